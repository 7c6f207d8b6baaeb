"""Extract a coordination program's facts from one article's clean text (pure functions).

Facts: title, event date and publication date, place (province; district or commune), signing
parties, period, legal basis, attendees (name + role) and author. Every value comes from the
text; a field the text does not give stays empty. Each extractor is a separate function so that
it can be tested on plain strings.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field, replace

from assistant.text import gazetteer as gz
from assistant.text.folding import fold, lower_tones
from assistant.text.sentences import Sentence, split_sentences

# ------------------------------------------------------------------ data


@dataclass(frozen=True)
class DateValue:
    """A calendar date whose year may be unknown (a day/month with no year and no reference)."""

    day: int
    month: int
    year: int | None = None

    def iso(self) -> str:
        return (f"{self.year:04d}-{self.month:02d}-{self.day:02d}" if self.year
                else f"--{self.month:02d}-{self.day:02d}")

    def display(self) -> str:
        return f"{self.day:02d}/{self.month:02d}/{self.year}" if self.year else f"{self.day:02d}/{self.month:02d}"

    @classmethod
    def from_iso(cls, text: str) -> "DateValue | None":
        m = re.fullmatch(r"(\d{4}|-)-(\d{2})-(\d{2})", text or "")
        if not m:
            return None
        return cls(int(m.group(3)), int(m.group(2)), None if m.group(1) == "-" else int(m.group(1)))


Span = tuple[int, int]  # (start, end) character offsets of a sentence in the article's clean text


@dataclass(frozen=True)
class Attendee:
    name: str
    role: str = ""
    evidence: Span | None = field(default=None, compare=False)  # the sentence naming them with that role


@dataclass(frozen=True)
class Item:
    """One content item or directive, with the sentence it was taken from."""

    text: str
    evidence: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Place:
    province: str = ""   # "Quảng Bình", "Cần Thơ"
    locality: str = ""   # district or commune with its unit word: "huyện Phú Bình"

    @property
    def locality_name(self) -> str:
        """The locality without its unit word: "huyện Phú Bình" -> "Phú Bình"."""
        return re.sub(r"^(?:thành phố|thị xã|thị trấn|huyện|quận|xã|phường)\s+", "", self.locality)

    def display(self) -> str:
        if self.locality and self.province:
            return f"{self.locality}, {self.province}"
        return self.locality or self.province


@dataclass(frozen=True)
class ProgramFacts:
    title: str = ""
    event_date: DateValue | None = None
    published: DateValue | None = None
    place: Place = field(default_factory=Place)
    parties: tuple[str, ...] = ()
    period: str = ""
    legal_basis: tuple[str, ...] = ()
    attendees: tuple[Attendee, ...] = ()
    author: str = ""
    venue: str = ""                                                   # "Hội trường Công an tỉnh"
    places: tuple[str, ...] = field(default=(), compare=False)         # every place the text names
    contents: tuple[Item, ...] = field(default=(), compare=False)    # what the program covers
    directives: tuple[Item, ...] = field(default=(), compare=False)  # what the leaders asked for
    # field name -> the sentence each fact came from ("event_date", "place", "period", …)
    evidence: dict = field(default_factory=dict, compare=False)

    def context(self) -> str:
        """What goes with every passage of the article into the indexes: its title, and its place when
        the title does not say it (a province known only from the site's name is then searchable)."""
        place = self.place.display()
        if place and not all(w in fold(self.title) for w in fold(place).replace(",", " ").split()):
            return f"{self.title} — {place}" if self.title else place
        return self.title

    def party_kinds(self) -> tuple[str, ...]:
        """The canonical kinds of the parties ("Ban Tuyên giáo", "Công an"), for filters and lists."""
        return party_kinds(self.parties)

    def period_years(self) -> set[int]:
        """Every year the program's period covers ("2021-2025" -> 2021…2025; "2024" -> 2024)."""
        if not self.period:
            return set()
        a, _, b = self.period.partition("-")
        return set(range(int(a), int(b or a) + 1))

    def years(self) -> set[int]:
        """The years a program touches: the signing year and every year of its period."""
        signed = {self.event_date.year} if self.event_date and self.event_date.year else set()
        return signed | self.period_years()

    def to_dict(self) -> dict:
        data = asdict(self)
        data["event_date"] = self.event_date.iso() if self.event_date else ""
        data["published"] = self.published.iso() if self.published else ""
        data["parties"] = list(self.parties)
        data["legal_basis"] = list(self.legal_basis)
        data["places"] = list(self.places)
        data["attendees"] = [asdict(a) for a in self.attendees]
        data["contents"] = [asdict(i) for i in self.contents]
        data["directives"] = [asdict(i) for i in self.directives]
        data["evidence"] = {k: list(v) for k, v in self.evidence.items()}
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "ProgramFacts":
        return cls(
            title=data.get("title", ""),
            event_date=DateValue.from_iso(data.get("event_date", "")),
            published=DateValue.from_iso(data.get("published", "")),
            place=Place(**data.get("place", {})),
            parties=tuple(data.get("parties", ())),
            period=data.get("period", ""),
            legal_basis=tuple(data.get("legal_basis", ())),
            attendees=tuple(Attendee(a["name"], a.get("role", ""), _span(a.get("evidence")))
                            for a in data.get("attendees", ())),
            author=data.get("author", ""),
            venue=data.get("venue", ""),
            places=tuple(data.get("places", ())),
            contents=tuple(Item(i["text"], _span(i.get("evidence"))) for i in data.get("contents", ())),
            directives=tuple(Item(i["text"], _span(i.get("evidence"))) for i in data.get("directives", ())),
            evidence={k: tuple(v) for k, v in data.get("evidence", {}).items()},
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)


def _span(value) -> Span | None:
    return tuple(value) if value else None


# ------------------------------------------------------------------ dates

_WEEKDAY = r"(?:thứ\s*(?:[2-7]|hai|ba|tư|năm|sáu|bảy)|chủ nhật|cn)"
_FULL_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})(?![\d/])")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_WRITTEN_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+(\d{4}))?", re.I)
_SHORT_DATE = re.compile(
    r"(?:(?P<lead>ngày|hôm|sáng|chiều|tối|trưa|nay|\()\s*(?:nay\s*)?\(?\s*)?"
    r"(?<![\d/.-])(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?![\d/.-]*\d)", re.I)
_STAMP_WORDS = re.compile(
    r"\b(?:cập nhật|ngày đăng|đăng lúc|đăng ngày|xuất bản|vào ngày|vào lúc|ngày|lúc|giờ|gmt\s*\+?\s*\d*|"
    + _WEEKDAY + r"|am|pm)\b|\d{1,2}:\d{2}(?::\d{2})?|[\[\]()|,:+-]", re.I)
_LEGAL_BEFORE_DATE = re.compile(r"(?:\d+[\w./-]*/[\wĐđ.-]+|ban hành|ký ban hành)\W{0,12}(?:ngày)?\s*$", re.I)
_EVENT_WORDS = re.compile(r"ký kết|tổ chức|diễn ra|hội nghị|\blễ\b|buổi|ký chương trình|ký quy chế", re.I)


def _valid(day: int, month: int, year: int | None) -> bool:
    try:
        dt.date(year or 2000, month, day)
        return year is None or 1990 <= year <= 2100
    except ValueError:
        return False


def parse_date(text: str) -> DateValue | None:
    """A full date in any of the genre's forms (`23-06-2022`, `17/02/2022`, ISO, written out)."""
    for pattern, order in ((_ISO_DATE, "ymd"), (_FULL_DATE, "dmy"), (_WRITTEN_DATE, "dmy")):
        m = pattern.search(text)
        if not m:
            continue
        if order == "ymd":
            y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        elif pattern is _FULL_DATE:
            d, mo, y = int(m.group(1)), int(m.group(3)), int(m.group(4))
        else:
            d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None
        if y and _valid(d, mo, y):
            return DateValue(d, mo, y)
    return None


def is_stamp_line(line: str) -> bool:
    """A dateline of the page ("Thứ 5, 17/02/2022 | 18:25:52", "[ Cập nhật vào ngày (02/01/2022) ]")."""
    if len(line) > 90 or not parse_date(line):
        return False
    rest = _STAMP_WORDS.sub(" ", _FULL_DATE.sub(" ", _ISO_DATE.sub(" ", line)))
    return len(rest.split()) <= 2


def resolve_year(day: int, month: int, reference: DateValue | None) -> DateValue:
    """Give a day/month the year of the reference (publication) date; an event is not reported
    more than a week before it happens, so a later day/month belongs to the previous year."""
    if not reference or not reference.year:
        return DateValue(day, month, None)
    year = reference.year
    try:
        if dt.date(year, month, day) > dt.date(year, reference.month, reference.day) + dt.timedelta(days=7):
            year -= 1
        return DateValue(day, month, year)
    except ValueError:
        return DateValue(day, month, None)


def extract_published(lines: list[str], title_index: int | None, header_date: str = "") -> DateValue | None:
    """Publication date: a header date, else the page's dateline nearest after the title."""
    if header_date:
        parsed = parse_date(header_date)
        if parsed:
            return parsed
    stamps = [(i, parse_date(line)) for i, line in enumerate(lines) if is_stamp_line(line)]
    if not stamps:
        # "Tổng kết việc thực hiện quy chế … (11/02/2020 18:26)": the stamp rides on the headline
        for line in lines[:12]:
            m = re.search(r"\(([^()]{6,30})\)\s*$", line)
            if m and len(line) < 250 and is_stamp_line(m.group(1)):
                return parse_date(m.group(1))
    if not stamps:
        return None
    if title_index is not None:
        after = [s for s in stamps if s[0] > title_index]
        if after:
            return after[0][1]
    return stamps[0][1]


def _date_mentions(sentence: str):
    """(position, day, month, year|None) of every explicit date in a sentence."""
    found = []
    for m in _FULL_DATE.finditer(sentence):
        d, mo, y = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if _valid(d, mo, y):
            found.append((m.start(), m.end(), d, mo, y))
    for m in _WRITTEN_DATE.finditer(sentence):
        d, mo = int(m.group(1)), int(m.group(2))
        y = int(m.group(3)) if m.group(3) else None
        if _valid(d, mo, y):
            found.append((m.start(), m.end(), d, mo, y))
    taken = [(a, b) for a, b, *_ in found]
    for m in _SHORT_DATE.finditer(sentence):
        if any(a <= m.start("d") < b for a, b in taken):
            continue
        sep, lead = m.group("sep"), (m.group("lead") or "").lower()
        if sep != "/" and not lead:  # "18.6" / "17-2" only after "ngày", "sáng", "(" …
            continue
        d, mo = int(m.group("d")), int(m.group("m"))
        if _valid(d, mo, None):
            found.append((m.start("d"), m.end(), d, mo, None))
    return sorted(found)


def extract_event_date(sentences: list[Sentence], published: DateValue | None,
                       skip_lines: set[int] | None = None) -> DateValue | None:
    """The date the event took place: the first date in a sentence about the event, not a
    dateline and not the date of a cited decision ("Quyết định số 238-QĐ/TW, ngày 30/9/2020")."""
    fallback = None
    for sentence in sentences:
        if skip_lines and sentence.start in skip_lines:
            continue
        for start, _end, d, mo, y in _date_mentions(sentence.text):
            if _LEGAL_BEFORE_DATE.search(sentence.text[:start]):
                continue
            value = DateValue(d, mo, y) if y else resolve_year(d, mo, published)
            if _EVENT_WORDS.search(sentence.text):
                return value
            fallback = fallback or value
    return fallback


# ------------------------------------------------------------------ title and author

_TITLE_WORDS = re.compile(r"ký kết|phối hợp|chương trình|quy chế|ký\b|hội nghị", re.I)


def extract_title(lines: list[str], header_title: str = "") -> tuple[str, int | None]:
    """The headline: a header title, else a short unpunctuated line before the body starts."""
    if header_title:
        for i, line in enumerate(lines[:12]):
            if fold(line) == fold(header_title):
                return header_title, i
        return header_title, None
    candidates = []
    for i, line in enumerate(lines[:12]):
        if len(line) > 250 or (line.endswith(".") and len(line) > 120):
            break  # the body has started
        words = line.split()
        if (len(words) >= 4 and 15 <= len(line) <= 250 and not line.endswith((".", ":", ";"))
                and not is_stamp_line(line) and not line.isupper()):
            candidates.append((i, line))
    for i, line in candidates:
        if _TITLE_WORDS.search(line):
            return line, i
    return (candidates[0][1], candidates[0][0]) if candidates else ("", None)


_BYLINE_PREFIX = re.compile(r"^(?:tin|bài|tin và ảnh|tin, ảnh|bài và ảnh|bài, ảnh|tin/ảnh|nhóm pv|pv|"
                            r"thực hiện|tác giả)\s*:\s*", re.I)
_NOT_BYLINE = re.compile(r"^(?:ảnh|nguồn|theo|video|đồ họa|clip)\b|https?://|\.(?:vn|com|net|org)\b", re.I)


def _looks_like_name(text: str, max_words: int = 5) -> bool:
    words = text.split()
    return (2 <= len(words) <= max_words and all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words)
            and not any(lower_tones(w) in {"ban", "tỉnh", "thành", "huyện", "ủy", "sở", "cục"} for w in words))


def extract_author(sentences: list[Sentence], header_author: str = "") -> str:
    """The byline: among the last lines, skipping photo credits and source attributions."""
    if header_author:
        return header_author.strip()
    for sentence in reversed(sentences[-5:]):
        text = sentence.text.strip()
        if _NOT_BYLINE.search(text):
            continue
        text = re.sub(r"\s*[(\[].*?[)\]]\s*$", "", _BYLINE_PREFIX.sub("", text)).strip(" .-–")
        if _looks_like_name(text):
            return text
        if len(text) > 60:
            break
    return ""


# ------------------------------------------------------------------ people

_MARKER = re.compile(r"(?<!\w)(?:đồng chí|đ/c|ông|bà)(?!\w)\s*:?\s*", re.I)
_LIST_MARKER = re.compile(r"(?:có|gồm|với|cùng|là)\s+(?:các\s+)?(?:đồng chí|đại biểu|vị)\s*:\s*", re.I)
_WORD = re.compile(r"[^\s,;:()\[\]\"“”.!?]+")
_RANKS = ["Đại tá", "Thượng tá", "Trung tá", "Thiếu tá", "Đại úy", "Thiếu tướng", "Trung tướng",
          "Thượng tướng", "Đại tướng"]


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


def _parse_name(text: str, pos: int, need_surname: bool) -> tuple[str, int, str] | None:
    """Capitalised words at `pos` forming a person's name -> (name, end, rank)."""
    rank = ""
    for r in _RANKS:
        if text.startswith(r + " ", pos):
            rank, pos = r, pos + len(r) + 1
            break
    words, end = [], pos
    for m in _WORD.finditer(text, pos):
        if m.start() != end and text[end:m.start()] != " ":
            break
        w = m.group(0)
        if w.endswith(("-", "–")) and len(w) > 1:  # "Ngọc Lan- Phó Bí thư": the dash opens the role
            if not _is_cap(w) or not w.rstrip("-–").replace("-", "").isalpha():
                break
            words.append(w.rstrip("-–"))
            end = m.start() + len(w.rstrip("-–"))
            break
        if not _is_cap(w) or not w.replace("-", "").replace("'", "").isalpha():
            break
        if words and gz.role_head_at(text[m.start():m.start() + 40].split(), 0):
            break
        words.append(w)
        end = m.end()
        if len(words) == 5:
            break
    if not 2 <= len(words) <= 5:
        return None
    folded = [fold(w) for w in words]
    if gz.role_head_at(words, 0) or gz.province(" ".join(words[:2])) or gz.province(words[0]):
        return None
    if any(w.isupper() and len(w) > 1 for w in words):  # "HĐND", "VKSND": not a name
        return None
    if need_surname and folded[0] not in gz.SURNAMES:
        return None
    return " ".join(words), end, rank


_UNIT_WORDS = {"tinh", "huyen", "quan", "xa", "phuong", "tp", "pho", "tran", "thi", "uy"}


def _starts_person(text: str, pos: int, before: list[str]) -> bool:
    """Does a person's name (surname first) start at `pos`, rather than a place name?

    Place names after a unit word ("huyện Diễn Châu", "Quận ủy Ninh Kiều") take at least two
    syllables, so a name can only start two capitalised words after the unit word; right after
    the unit word, only a run of three or more words that is not a province is a name
    ("UBND tỉnh Nguyễn Văn A")."""
    words = text[pos:pos + 60].split()
    if before and " ".join(before) in _RANKS:  # "Đại tá Nguyễn Hồng Phong": a rank precedes the name
        return _parse_name(text, pos, need_surname=False) is not None
    if not before or not words or fold(words[0]) not in gz.SURNAMES:
        return False
    if any(gz.province(" ".join(words[:n])) for n in (2, 3, 4)):
        return False
    parsed = _parse_name(text, pos, need_surname=True)
    if parsed is None:
        return False
    trailing_caps = 0
    for word in reversed(before):
        if not _is_cap(word) or fold(word.rstrip(".")) in _UNIT_WORDS or word.isupper():
            break
        trailing_caps += 1
    if trailing_caps >= 2:
        return True
    at_unit = fold(before[-1].rstrip(".")) in _UNIT_WORDS or before[-1].isupper()
    if not (at_unit and trailing_caps == 0 and len(parsed[0].split()) >= 3):
        return False
    # "Quận ủy Ninh Kiều Trần Văn Bình": a two-word place, then a full name.
    rest = pos + len(" ".join(words[:2])) + 1
    later = _parse_name(text, rest, need_surname=True) if len(words) > 2 else None
    return not (later and len(later[0].split()) >= 3)


def _parse_role(text: str, pos: int) -> tuple[str, int]:
    """An official's role starting at `pos`: comma-separated segments, each opened by a role head
    and continued by organisation words, capitalised names and abbreviations."""
    segments, end = [], pos
    cursor = pos
    while True:
        seg_words, seg_end = [], cursor
        words = list(_WORD.finditer(text, cursor))
        if not words or text[cursor:words[0].start()].strip():
            break
        head = gz.role_head_at([w.group(0) for w in words[:4]], 0)
        if not head:
            break
        for k, m in enumerate(words):
            gap = text[seg_end:m.start()] if seg_words else text[cursor:m.start()]
            if seg_words and gap != " ":
                break
            w = m.group(0)
            if k >= head:
                if lower_tones(w) == "và":  # "và" joins two organisations only when a name follows
                    nxt = words[k + 1].group(0) if k + 1 < len(words) else ""
                    if not _is_cap(nxt):
                        break
                elif not (_is_cap(w) or lower_tones(w) in gz.ROLE_WORDS or w[:1].isdigit()
                          or (seg_words and _is_cap(seg_words[-1]) and lower_tones(w) in gz.ORG_SECOND)):
                    break
                if _starts_person(text, m.start(), seg_words):
                    break  # "… Quận ủy Ninh Kiều Trần Văn Bình": the role ended before a name
            seg_words.append(w)
            seg_end = m.end()
        if not seg_words:
            break
        segments.append(text[cursor:seg_end])
        end = seg_end
        sep = re.match(r"\s*(?:,|-|–|kiêm)\s*", text[end:])
        if not sep:
            break
        cursor = end + sep.end()
    role = ", ".join(s.strip() for s in segments)
    return re.sub(r"\s+và$", "", role).strip(), end


def role_in(text: str) -> str:
    """The first official's role named in a text ("Ai là Giám đốc Sở Y tế?" -> "Giám đốc Sở Y tế")."""
    for m in _WORD.finditer(text):
        if gz.role_head_at(text[m.start():m.start() + 40].split(), 0):
            role, _end = _parse_role(text, m.start())
            if len(role.split()) >= 3:  # a bare "Đại biểu" or "Giám đốc" names no particular office
                return role
    return ""


def _after_name_role(text: str, end: int) -> tuple[str, int]:
    sep = re.match(r"\s*(?:,|-|–|\()\s*", text[end:])
    if not sep:
        return "", end
    return _parse_role(text, end + sep.end())


def _people_in(text: str) -> list[tuple[Attendee, int, int]]:
    """(attendee, span start, span end) for every person named with a marker or a role."""
    found: list[tuple[Attendee, int, int]] = []
    taken: list[tuple[int, int]] = []

    def add(name, rank, role, a, b):
        if rank:
            role = f"{rank}, {role}" if role else rank
        found.append((Attendee(name, role), a, b))
        taken.append((a, b))

    # Lists: "có các đồng chí: A, role; B, role; đồng chí C, role"
    for lm in _LIST_MARKER.finditer(text):
        pos = lm.end()
        while pos < len(text):
            mk = _MARKER.match(text, pos)
            start = mk.end() if mk else pos
            parsed = _parse_name(text, start, need_surname=not mk)
            if not parsed:
                break
            name, end, rank = parsed
            role, end2 = _after_name_role(text, end)
            add(name, rank, role, pos, max(end, end2))
            nxt = re.match(r"[^;]*;\s*", text[max(end, end2):])
            if not nxt:
                break
            pos = max(end, end2) + nxt.end()
    # Markers: "đồng chí A, role" / "ông A - role" / "đồng chí Đại tá A"
    for mk in _MARKER.finditer(text):
        if any(a <= mk.start() < b for a, b in taken):
            continue
        parsed = _parse_name(text, mk.end(), need_surname=False)
        if parsed:
            name, end, rank = parsed
            role, end2 = _after_name_role(text, end)
            add(name, rank, role, mk.start(), max(end, end2))
        else:  # "đồng chí Phó Bí thư Tỉnh ủy" names a role only; remember its span
            role, end = _parse_role(text, mk.end())
            if role:
                taken.append((mk.start(), end))
    # Name first, no marker, at the start of a sentence or list item: "Lê Thị Mai, Chủ tịch Hội LHPN tỉnh, …"
    lead = re.match(r"\s*(?:[-+•*]\s*)?", text)
    if not any(a <= lead.end() < b for a, b in taken):
        parsed = _parse_name(text, lead.end(), need_surname=True)
        if parsed:
            name, end, rank = parsed
            role, end2 = _after_name_role(text, end)
            if role:
                add(name, rank, role, lead.end(), end2)
    # Role before name: "Phó Chủ tịch UBND tỉnh Nguyễn Văn A phát biểu"
    for m in _WORD.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        if not gz.role_head_at(text[m.start():m.start() + 40].split(), 0):
            continue
        prev = text[:m.start()].rstrip()
        if prev and prev[-1:].isalpha() and _is_cap(prev.split()[-1]):
            continue  # inside a longer capitalised run
        role, end = _parse_role(text, m.start())
        tail = re.match(r"\s+", text[end:])
        if not role or not tail:
            taken.append((m.start(), end)) if role else None
            continue
        parsed = _parse_name(text, end + tail.end(), need_surname=True)
        if parsed:
            name, name_end, rank = parsed
            after, after_end = _after_name_role(text, name_end)  # "Đại tá Nguyễn A, Giám đốc Công an tỉnh"
            add(name, rank, f"{role}, {after}" if after else role, m.start(), max(name_end, after_end))
        else:
            taken.append((m.start(), end))
    _chain(text, found, taken, add)
    return found, taken


_NEXT_IN_LIST = re.compile(r"\s*\)?\s*(?:[,;]|\s(?:và|cùng|với)\s)\s*(?:(?:các\s+)?(?:đồng chí|đ/c|ông|bà)\s*:?\s*)?", re.I)


def _chain(text: str, found, taken, add) -> None:
    """Lists that go on after a person and role: "A - role, B – role, C- role", "A, role; B, role",
    "A (role), B (role) và C, role": each next name (surname first) with its own role."""
    queue = sorted(b for _p, _a, b in found)
    seen_ends = set()
    while queue:
        end = queue.pop(0)
        if end in seen_ends:
            continue
        seen_ends.add(end)
        sep = _NEXT_IN_LIST.match(text, end)
        if not sep:
            continue
        start = sep.end()
        if any(a <= start < b for a, b in taken):
            continue
        marked = bool(re.search(r"đồng chí|đ/c|ông|bà", sep.group(0), re.I))
        parsed = _parse_name(text, start, need_surname=not marked)
        if not parsed:
            continue
        name, name_end, rank = parsed
        role, role_end = _after_name_role(text, name_end)
        if not role and not marked:
            continue
        close = re.match(r"\s*\)", text[role_end:]) if role else None
        stop = max(name_end, role_end) + (close.end() if close else 0)
        add(name, rank, role, start, stop)
        queue.append(stop)
        queue.sort()


def extract_attendees(sentences: list[Sentence]) -> tuple[Attendee, ...]:
    """Every person the article names with a role or as đồng chí / ông / bà, first mention first,
    each once with the fullest role given (and the sentence that gives it)."""
    order: dict[str, Attendee] = {}
    for sentence in sentences:
        people, _ = _people_in(sentence.text)
        for person, _a, _b in sorted(people, key=lambda p: p[1]):
            key = fold(person.name)
            known = order.get(key)
            if known is None or len(person.role) > len(known.role):
                order[key] = Attendee(known.name if known else person.name, person.role,
                                      (sentence.start, sentence.end))
    return tuple(order.values())


def people_in_sentence(text: str) -> list[Attendee]:
    """The people one sentence names, in order, with the role it gives them."""
    found, _ = _people_in(text)
    return [person for person, _a, _b in sorted(found, key=lambda p: p[1])]


def person_spans(text: str) -> list[tuple[int, int]]:
    """Spans of people and their roles (so that agencies inside roles are not taken for parties)."""
    _, taken = _people_in(text)
    return taken


# ------------------------------------------------------------------ parties, period, legal basis, place

_NP = r"[Nn]hân [Dd]ân"
PARTY_PATTERNS = [
    ("Ban Tuyên giáo và Dân vận", r"Ban Tuyên giáo (?:và|&) Dân vận"),
    ("Ban Tuyên giáo", r"Ban Tuyên giáo"),
    ("Ban Dân vận", r"Ban Dân vận"),
    ("Ban Nội chính", r"Ban Nội chính"),
    ("Viện Kiểm sát nhân dân", rf"Viện [Kk]iểm [Ss]át(?: {_NP})?|Viện KSND|VKSND|\bVKS\b"),
    ("Tòa án nhân dân", rf"T(?:òa|oà) [Áá]n(?: {_NP})?|TAND"),
    ("Hội đồng nhân dân", rf"Hội [Đđ]ồng {_NP}|HĐND"),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam", r"(?:Ủy|Uỷ) ban (?:MTTQ|Mặt trận Tổ quốc)(?: Việt Nam)?|MTTQ(?: Việt Nam)?"
                                         r"|Mặt trận Tổ quốc(?: Việt Nam)?"),
    ("Ủy ban nhân dân", rf"(?:Ủy|Uỷ) ban {_NP}|UBND"),
    ("Chi cục Thi hành án dân sự", r"Chi cục (?:[Tt]hi hành án dân sự|THADS)"),
    ("Cục Thi hành án dân sự", r"Cục (?:[Tt]hi hành án dân sự|THADS)|[Tt]hi hành án dân sự|THADS"),
    ("Công an", r"Công an(?= (?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|TP))|Công an [A-ZĐ]\w+"),
    ("Bộ Chỉ huy Quân sự", r"Bộ Chỉ huy Quân sự|Bộ CHQS|Ban Chỉ huy Quân sự"),
    ("Bộ đội Biên phòng", r"Bộ (?:Chỉ huy )?[Bb]ộ đội [Bb]iên phòng|BĐBP"),
    ("Sở Tư pháp", r"Sở Tư pháp"),
    ("Sở Thông tin và Truyền thông", r"Sở Thông tin và Truyền thông|Sở TT&TT"),
    ("Hội Nông dân", r"Hội Nông dân"),
    ("Hội Liên hiệp Phụ nữ", r"Hội Liên hiệp Phụ nữ|Hội LHPN"),
    ("Đoàn Thanh niên", r"Đoàn Thanh niên|Tỉnh đoàn|Thành đoàn|Huyện đoàn"),
    ("Liên đoàn Lao động", r"Liên đoàn Lao động|LĐLĐ"),
    ("Hội Cựu chiến binh", r"Hội Cựu chiến binh|Hội CCB"),
]
_PARTY_RE = re.compile("|".join(f"(?P<p{i}>{pat})" for i, (_n, pat) in enumerate(PARTY_PATTERNS)))
_SIGNING = re.compile(r"ký kết|ký chương trình|ký quy chế|phối hợp giữa|phối hợp với|chương trình phối hợp|"
                      r"quy chế phối hợp", re.I)


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


def party_kind(phrase: str) -> str:
    """The canonical kind of an agency phrase ("BTG Thành ủy Mỹ Tho" -> "Ban Tuyên giáo"), or ""."""
    m = _PARTY_RE.search(phrase)
    return PARTY_PATTERNS[int(m.lastgroup[1:])][0] if m else ""


# Words that open an agency's name, and lower-case words that continue one.
_AGENCY_HEAD = re.compile(
    r"(?<!\w)(?:Ban cán sự [đĐ]ảng|Đảng đoàn|Đảng [uủ]ỷ|Đảng ủy|Ban Chỉ huy|Bộ Chỉ huy|Bộ đội|Ban|Sở|Hội đồng|Hội|"
    r"Cục|Chi cục|Tổng cục|Bộ|Viện|T[òo]a án|Toà án|Đài|Báo|Trường|Trung tâm|Văn phòng|Liên đoàn|Liên hiệp|"
    r"Ủy ban|Uỷ ban|Công an|Thanh tra|Đồn|Câu lạc bộ|CLB|Quận [Đđ]oàn|Tỉnh [Đđ]oàn|Thành [Đđ]oàn|Huyện [Đđ]oàn|"
    r"Đoàn|Mặt trận|Kho bạc|Bảo hiểm|Ngân hàng|Phòng|UBND|HĐND|TAND|VKSND|VKS|UBMTTQVN|UBMTTQ|MTTQVN|MTTQ|LĐLĐ|"
    r"BĐBP|BCHQS|BCH|BTG|BDV|BNC|THADS|Công đoàn|UB)(?!\w)")
_AGENCY_CONTINUE = {lower_tones(w) for w in (
    "nhân dân tỉnh thành phố huyện quận thị xã phường trấn đảng ủy uỷ trung ương khối cơ quan doanh nghiệp "
    "kiểm sát tuyên giáo vận nội chính tổ chức quân sự biên phòng phụ nữ nông dân cựu chiến binh lao động "
    "thanh niên cộng sản hồ chí minh mặt trận tổ quốc việt nam thi hành án dân sự chỉ huy đội tư pháp "
    "thông tin truyền thông giáo dục đào tạo dục tạo văn hóa thể thao du lịch nội vụ y tế tài chính công thương "
    "kháng chiến truyền thống thường vụ chấp hành hành chính sự nghiệp dân tộc tôn giáo kiểm tra nhà báo "
    "phát thanh truyền hình quốc phòng an ninh công an cấp các đốc cán sự đạo"
).split()}
_AGENCY_STOP = {lower_tones(w) for w in "và với cùng giữa đã đang sẽ tổ ký về trong tại của để là có do".split()}


# Bodies that issue the documents a program rests on, or stand for every level: never a signing party.
_ISSUER = re.compile(r"Ban Bí thư|Bộ Chính trị|Ban Chấp hành Trung ương|Chính phủ|Quốc hội|các cấp|cùng cấp|"
                     r"Ban hành|Bộ luật|Hội trường|Hội nghị|Hội thảo|Hội thi|Hội diễn", re.I)


def agency_phrases(text: str) -> list[tuple[str, int, int]]:
    """Agencies a text names, as written ("Ban Tuyên giáo Thành ủy", "Viện Kiểm sát nhân dân thị xã",
    "Ban cán sự đảng TAND thành phố"), with their spans; people's roles are left out."""
    masked = _mask(text, person_spans(text))
    found: list[tuple[str, int, int]] = []
    pos = 0
    while True:
        m = _AGENCY_HEAD.search(masked, pos)
        if not m:
            break
        end = m.end()
        words = list(re.finditer(r"[^\s,;:()\[\]\"“”.!?]+", masked[end:end + 120]))
        cursor = end
        prev_cap = True
        for w in words:
            gap = masked[cursor:end + w.start()]
            if gap.strip() and gap.strip() not in ("-", "–"):
                break
            if gap.strip() in ("-", "–") and " " in gap:
                break
            token = w.group(0)
            key = lower_tones(token)
            if key == "và":
                # "Ban Tuyên giáo và Dân vận", "Sở Thông tin và Truyền thông": "và" inside a name, unless
                # another agency follows ("Ban Tuyên giáo và Công an tỉnh")
                nxt = re.match(r"\s+(\S+)", masked[end + w.end():])
                after = end + w.end() + (nxt.start(1) if nxt else 0)
                if nxt and nxt.group(1)[:1].isupper() and not _AGENCY_HEAD.match(masked, after):
                    cursor = end + w.end()
                    continue
            if key in _AGENCY_STOP:
                break
            if token[:1].isupper() or token[:1].isdigit() or key in _AGENCY_CONTINUE or \
                    (prev_cap and key in gz.ORG_SECOND):
                prev_cap = token[:1].isupper()
                cursor = end + w.end()
                continue
            break
        phrase = text[m.start():cursor].strip(" -–")
        if (len(phrase) > len(m.group(0)) or m.group(0).isupper()) and not _ISSUER.match(text, m.start()) \
                and not _ISSUER.search(phrase):
            found.append((phrase, m.start(), cursor))
        pos = max(cursor, m.end())
    return found


def extract_parties(title: str, sentences: list[Sentence]) -> tuple[str, ...]:
    """Agencies named where the article speaks of the signing, as written (roles of people excluded)."""
    seen: dict[str, str] = {}
    about = [s.text for s in sentences if _SIGNING.search(s.text)]
    acts = [t for t in about if _SIGNED_BY.search(t)]
    texts = ([title] if title and not title.isupper() else []) + (acts if any(map(agency_phrases, acts)) else about)
    for text in texts:
        for phrase, _a, _b in agency_phrases(text):
            key = _party_key(phrase)
            if not any(key == k or k.startswith(key + " ") for k in seen):
                seen = {k: v for k, v in seen.items() if not key.startswith(k + " ")}
                seen[key] = phrase
    return tuple(list(seen.values())[:12])


_LEVEL_WORDS = {"dang", "tinh", "thanh", "pho", "huyen", "quan", "thi", "xa", "phuong", "tp", "uy"}
# Where an article says who signs: the act itself, not every mention of "chương trình phối hợp".
_SIGNED_BY = re.compile(r"(?<!\w)ký(?!\w)|giữa|phối hợp với|cùng với|liên tịch", re.I)


def _party_key(phrase: str) -> str:
    """Two writings of one party compare equal: "Ban cán sự Đảng Viện kiểm sát nhân dân" and "Ban cán sự
    Viện kiểm sát nhân dân tỉnh" (the level and "Đảng" aside)."""
    return " ".join(w for w in fold(phrase).split() if w not in _LEVEL_WORDS)


def party_kinds(parties: tuple[str, ...]) -> tuple[str, ...]:
    """The canonical kinds of the parties, once each (for filters and lists)."""
    return tuple(dict.fromkeys(k for k in (party_kind(p) for p in parties) if k))


_PERIOD = re.compile(r"(?P<lead>giai đoạn|nhiệm kỳ|từ năm|từ)?\s*(?P<a>20\d{2})\s*(?:-|–|—|đến năm|đến)\s*"
                     r"(?P<b>20\d{2})(?!\d)", re.I)


def extract_period(title: str, sentences: list[Sentence]) -> str:
    """The program's period: `giai đoạn 2021 - 2025` or a bare `2022-2026` near the signing;
    a congress term (`nhiệm kỳ 2020-2025`) is not the program's period."""
    best: tuple[int, int, str] | None = None
    texts = ([title] if title else []) + [s.text for s in sentences]
    for order, text in enumerate(texts):
        for m in _PERIOD.finditer(text):
            a, b = int(m.group("a")), int(m.group("b"))
            lead = (m.group("lead") or "").lower()
            if not 0 < b - a <= 10 or lead == "nhiệm kỳ":
                continue
            score = (2 if lead == "giai đoạn" else 0) + (1 if order == 0 and title or _SIGNING.search(text) else 0)
            if not lead and not (_SIGNING.search(text) or (order == 0 and title)):
                continue
            if best is None or score > best[0]:
                best = (score, order, f"{a}-{b}")
    if best:
        return best[2]
    for text in texts:  # a one-year program: "chương trình phối hợp … năm 2024"
        m = _ONE_YEAR.search(text)
        if m and _SIGNING.search(text):
            return m.group(1)
    return ""


_ONE_YEAR = re.compile(r"(?:chương trình|quy chế|kế hoạch) phối hợp[^.;:]{0,200}?\bnăm (20\d{2})\b", re.I)

_LEGAL = re.compile(r"(?P<kind>Quyết định|Nghị quyết|Chỉ thị|Quy định|Kết luận|Hướng dẫn|Thông tri|Nghị định|"
                    r"Thông tư|Kế hoạch|Quy chế)\s+(?:số\s+)?(?P<num>\d+[\w.-]*/[\wĐđ./-]*[\wĐđ])")


def extract_legal_basis(text: str) -> tuple[str, ...]:
    """Numbered documents cited: "Quyết định số 238-QĐ/TW", once each, in order."""
    seen: dict[str, str] = {}
    for m in _LEGAL.finditer(text):
        seen.setdefault(m.group("num").upper(), f"{m.group('kind')} số {m.group('num')}")
    return tuple(seen.values())


_UNITS = [  # (pattern before a capitalised name, level, unit word for display)
    (r"Tỉnh [uủ]ỷ|Tỉnh ủy|tỉnh|Tỉnh", "province", ""),
    (r"Thành [uủ]ỷ|Thành ủy|thành phố|Thành phố|TP\.?|Tp\.?", "city", "thành phố"),
    (r"Huyện [uủ]ỷ|Huyện ủy|huyện|Huyện", "district", "huyện"),
    (r"Thị [uủ]ỷ|Thị ủy|thị xã|Thị xã", "district", "thị xã"),
    (r"Quận [uủ]ỷ|Quận ủy|quận|Quận", "district", "quận"),
    (r"Đảng [uủ]ỷ xã|xã|Xã", "commune", "xã"),
    (r"Đảng [uủ]ỷ phường|phường|Phường", "commune", "phường"),
]
_UNIT_RE = re.compile("|".join(f"(?P<u{i}>(?<!\\w)(?:{p}))" for i, (p, _l, _w) in enumerate(_UNITS)))


def _cap_run(text: str, pos: int, limit: int = 4) -> str:
    words = []
    for m in re.finditer(r"\S+", text[pos:pos + 80]):
        w = m.group(0).rstrip(",;:.)”\"")
        clean = w.replace("-", "")
        if not clean or not _is_cap(w) or not clean.isalpha() or (w.isupper() and len(w) > 1 and w not in ("Ba",)):
            break
        words.append(w)
        if w != m.group(0) or len(words) == limit:
            break
    return " ".join(words)


def _trim_place(name: str) -> str:
    """Drop a trailing person's name glued to a place ("Diễn Châu Phan Văn Lâm"); place names
    take at least two syllables."""
    words = name.split()
    for i in range(2, len(words)):
        if fold(words[i]) in gz.SURNAMES and not gz.province(" ".join(words[:i + 1])):
            return " ".join(words[:i])
    return name


def extract_place(title: str, sentences: list[Sentence], url: str = "") -> Place:
    """Province and, for district- or commune-level programs, the district or commune."""
    provinces: Counter = Counter()
    localities: Counter = Counter()
    program_level: set[str] = set()
    first: dict[str, int] = {}
    texts = ([title] if title else []) + [s.text for s in sentences]
    for order, text in enumerate(texts):
        weight = 3 if (order == 0 and title) or _SIGNING.search(text) else 1
        for m in _UNIT_RE.finditer(text):
            group = int(m.lastgroup[1:])
            _p, level, unit = _UNITS[group]
            name = _trim_place(_cap_run(text, m.end() + 1)) if text[m.end():m.end() + 1] == " " else ""
            if m.group(0).startswith(("TP.", "Tp.")) and not name:
                name = _trim_place(_cap_run(text, m.end()))
            if not name:
                continue
            prov = gz.province(name)
            if level == "province" or (level == "city" and prov in gz.CENTRAL_CITIES):
                if prov:
                    provinces[prov] += weight
                    first.setdefault(prov, order)
            elif level in ("city", "district", "commune") and not prov:
                key = f"{unit} {name}"
                localities[key] += weight if level != "commune" else weight / 2
                first.setdefault(key, order)
                if "ủy" in lower_tones(m.group(0)) or (order == 0 and title):
                    program_level.add(key)  # "Huyện ủy Phú Bình": the program is at this level
        for m in re.finditer(r"(?<!\w)[A-ZÀ-ỸĐ][\w-]*(?: [-–]? ?[A-ZÀ-ỸĐ][\w-]*){1,3}", text):
            prov = gz.province(m.group(0))
            if prov:
                provinces[prov] += weight
                first.setdefault(prov, order)
    if not provinces and url:
        prov = gz.province_from_domain(url)
        if prov:
            provinces[prov] += 1
    if not provinces:
        for text in texts[-3:]:
            for host in re.findall(r"[\w.-]+\.gov\.vn", text):
                prov = gz.province_from_domain(host)
                if prov:
                    provinces[prov] += 1

    def best(counter: Counter) -> str:
        if not counter:
            return ""
        return max(counter, key=lambda k: (counter[k], -first.get(k, 0)))

    # A town merely named as the venue ("tại TP. Pleiku") does not make a provincial program local.
    locality = best(Counter({k: v for k, v in localities.items() if k in program_level}))
    return Place(province=best(provinces), locality=locality)


# Capitalised words that open no place name (agency heads) or end one (verbs and nouns of a
# title written in title case: "Xã Tân Lập Ký Kết Chương Trình…").
_NOT_PLACE_START = {lower_tones(w) for w in (
    "ban sở hội cục bộ viện tòa toà đài báo trường văn đảng đoàn liên ủy uỷ công thành đồn trung học tổng chi "
    "quận huyện tỉnh xã phường thị").split()}   # compared with tone marks: "Thanh Sơn" is a place
_NOT_PLACE_WORD = {"ky", "ket", "to", "chuc", "hoi", "nghi", "phoi", "hop", "chuong", "trinh", "so", "tong", "trien",
                   "khai", "tang", "cuong", "tuyen", "truyen", "thuc", "hien", "le", "giao", "ban", "cong", "tac",
                   "va", "voi", "nam", "giai", "doan", "quy", "che", "dang", "uy", "doan", "hien"}


def _place_words(name: str) -> str:
    words = name.split()
    if words and lower_tones(words[0]) in _NOT_PLACE_START:
        return ""
    kept = []
    for w in words:
        if fold(w) in _NOT_PLACE_WORD:
            break
        kept.append(w)
    return " ".join(kept)


def extract_places(title: str, sentences: list[Sentence]) -> tuple[str, ...]:
    """Every place name the article gives after a unit word ("huyện Cai Lậy", "Quận 3"), as written."""
    seen: dict[str, str] = {}
    for text in ([title] if title else []) + [s.text for s in sentences]:
        for m in _UNIT_RE.finditer(text):
            after = text[m.end():m.end() + 1]
            if after != " ":
                continue
            name = _place_words(_trim_place(_cap_run(text, m.end() + 1)))
            if not name:
                number = re.match(r" (\d{1,2})(?!\d)", text[m.end():])
                if number and fold(m.group(0)).startswith(("quan", "phuong")):
                    name = f"{m.group(0).split()[0].capitalize()} {number.group(1)}"
            if name and not gz.role_head_at(name.split(), 0):
                seen.setdefault(fold(name), name)
    return tuple(seen.values())


_VENUE = re.compile(r"(?<!\w)tại\s+(?P<v>(?:[Hh]ội trường|[Tt]rụ sở|[Nn]hà văn hó?á|[Tt]rung tâm|[Pp]hòng họp|"
                    r"[Kk]hách sạn|[Nn]hà khách|[Cc]ung|[Hh]ọc viện|[Ss]ố \d|\d+[a-zA-Z]?\s+[A-ZĐ])[^,;.()]{0,80})")


def extract_venue(sentences: list[Sentence]) -> tuple[str, Span | None]:
    """Where the event took place: "tại Hội trường …", "tại 18b Lê Hồng Phong – trụ sở …"."""
    for sentence in sentences:
        if not _EVENT_WORDS.search(sentence.text):
            continue
        m = _VENUE.search(sentence.text)
        if m:
            venue = re.split(r"\s+(?:đã|diễn ra|tổ chức|long trọng|với|giữa|về)\s", m.group("v"))[0].strip(" –-")
            return venue, (sentence.start, sentence.end)
    return "", None


# ------------------------------------------------------------------ contents and directives

# Explicit lists first ("Nội dung phối hợp gồm: …", "các nội dung trọng tâm như: …"), then the
# looser "hai bên thống nhất phối hợp …" forms, used only when an article has no explicit list.
_CONTENT_TRIGGERS = [
    re.compile(r"(?:(?:các|những|\d+)\s+)?nội dung(?: chương trình| phối hợp| chương trình phối hợp)?[^:;.]{0,60}?"
               r"(?:gồm|bao gồm|tập trung vào|tập trung|là|như)\s*:?\s*"
               r"|phối hợp (?:thực hiện |tập trung vào )?(?:các|những) nội dung(?: trọng tâm| chính)?(?: như| sau)?\s*:?\s*"
               r"|(?:gồm|có) (?:\d+ |các |những |\w+ )?nội dung(?: chính| trọng tâm| cơ bản)?\s*:\s*"
               r"|^nội dung (?:chương trình )?phối hợp\s+", re.I),
    re.compile(r"(?:thống nhất|sẽ|cùng)\s+phối hợp(?:\s+thực hiện)?\s+(?=\w)"
               r"|(?:hai|ba|bốn|các|\d+)\s+(?:bên|cơ quan|ngành|đơn vị)\s+(?:sẽ\s+)?phối hợp\s+(?=\w)", re.I),
]
_CONTINUATION = re.compile(r"^(?:bên cạnh đó|đồng thời|ngoài ra|cùng với đó)\s*,?\s*", re.I)


def _items_from(text: str, span: Span) -> list[Item]:
    items = []
    for part in re.split(r";\s*", text):
        part = re.sub(r"^(?:và|cùng|trong|về)\s+", "", part.strip())
        part = re.sub(r"[\s,.…]+$", "", part).rstrip(".").strip()
        if len(part.split()) >= 3:
            items.append(Item(part[0].upper() + part[1:], span))
    return items


def extract_contents(sentences: list[Sentence], text: str) -> tuple[Item, ...]:
    """The program's content items: the list after "Nội dung phối hợp gồm:", "các nội dung trọng tâm
    như:", "hai bên thống nhất phối hợp …", split at ";" and continued by the following sentences of
    the same paragraph when the list was opened with a colon or goes on with "Bên cạnh đó", bullets."""
    for trigger in _CONTENT_TRIGGERS:
        items = _contents_after(trigger, sentences, text)
        if items:
            return tuple(items)
    return ()


def _contents_after(trigger: re.Pattern, sentences: list[Sentence], text: str) -> list[Item]:
    items: list[Item] = []
    for i, sentence in enumerate(sentences):
        m = trigger.search(sentence.text)
        if not m or items:
            continue
        if "ký kết" in sentence.text[:m.start()].lower() and not m.group(0).rstrip().endswith(":"):
            continue  # "… tổ chức ký kết chương trình phối hợp với …" names parties, not contents
        rest = sentence.text[m.end():]
        opened = m.group(0).rstrip().endswith(":") or not rest.strip()
        items.extend(_items_from(rest, (sentence.start, sentence.end)))
        paragraph_end = text.find("\n", sentence.start)
        paragraph_end = len(text) if paragraph_end == -1 else paragraph_end
        for nxt in sentences[i + 1:]:
            bullet = re.match(r"^[-+•*]\s*", nxt.text)
            same_paragraph = nxt.start < paragraph_end
            if bullet and opened:
                items.extend(_items_from(nxt.text[bullet.end():], (nxt.start, nxt.end)))
                paragraph_end = max(paragraph_end, nxt.end)
                continue
            cont = _CONTINUATION.match(nxt.text)
            if same_paragraph and (opened or cont):
                items.extend(_items_from(nxt.text[cont.end() if cont else 0:], (nxt.start, nxt.end)))
                continue
            break
    return items


_DIRECTIVE = re.compile(r"(?:đề nghị|yêu cầu)\s*:?\s*", re.I)


def extract_directives(sentences: list[Sentence], text: str) -> tuple[Item, ...]:
    """What the leaders asked for in their speeches ("Đồng chí đề nghị: …"), one item per sentence."""
    items: list[Item] = []
    for i, sentence in enumerate(sentences):
        m = _DIRECTIVE.search(sentence.text)
        if not m or not re.search(r"đề nghị|yêu cầu", sentence.text, re.I):
            continue
        before = sentence.text[:m.start()]
        spoken = re.search(r"đồng chí|ông|bà|phát biểu|chỉ đạo|lãnh đạo|chủ tịch|bí thư|trưởng ban", before, re.I)
        if not spoken:
            continue  # "… nội dung, yêu cầu đã thống nhất" is a noun, not a directive
        span = (sentence.start, sentence.end)
        body = sentence.text[m.end():].strip()
        if body:
            items.append(Item(body[0].upper() + body[1:].rstrip("."), span))
        if sentence.text[m.start():m.end()].rstrip().endswith(":") or len(body.split()) < 12:
            paragraph_end = text.find("\n", sentence.start)
            paragraph_end = len(text) if paragraph_end == -1 else paragraph_end
            for nxt in sentences[i + 1:i + 6]:
                if nxt.start >= paragraph_end:
                    break
                items.append(Item(nxt.text.rstrip("."), (nxt.start, nxt.end)))
    seen: dict[str, Item] = {}
    for item in items:
        seen.setdefault(item.text, item)
    return tuple(seen.values())


# ------------------------------------------------------------------ where each fact came from


def locate_evidence(facts: "ProgramFacts", title_span: Span | None, sentences: list[Sentence],
                    lines: list[str], line_starts: list[int]) -> dict:
    """The sentence each fact was read from, so that answers can quote it."""
    evidence: dict[str, Span] = {}

    def first(predicate):
        for s in sentences:
            if predicate(s.text):
                return (s.start, s.end)
        return None

    if facts.title and title_span:
        evidence["title"] = title_span
    if facts.event_date:
        d = facts.event_date
        evidence["event_date"] = first(lambda t: any(
            (dd, mm) == (d.day, d.month) and not _LEGAL_BEFORE_DATE.search(t[:a])
            for a, _b, dd, mm, _y in _date_mentions(t)))
    if facts.published:
        for i, line in enumerate(lines):
            if is_stamp_line(line) and parse_date(line) == facts.published:
                evidence["published"] = (line_starts[i], line_starts[i] + len(line))
                break
    if facts.period:
        a, _, b = facts.period.partition("-")
        pattern = re.compile(rf"{a}\s*(?:-|–|—|đến năm|đến)\s*{b}" if b else rf"năm {a}")
        evidence["period"] = first(lambda t: pattern.search(t) and "nhiệm kỳ" not in t.lower()) or \
            (title_span if facts.title and pattern.search(facts.title) else None)
    if facts.parties:
        best = max((s for s in sentences if _SIGNING.search(s.text)),
                   key=lambda s: len(agency_phrases(s.text)), default=None)
        if best is not None and agency_phrases(best.text):
            evidence["parties"] = (best.start, best.end)
        elif title_span:
            evidence["parties"] = title_span
    place_name = facts.place.locality_name or facts.place.province
    if place_name:
        evidence["place"] = first(lambda t: fold(place_name) in fold(t) and _SIGNING.search(t)) or \
            first(lambda t: fold(place_name) in fold(t)) or \
            (title_span if fold(place_name) in fold(facts.title) else None)
    if facts.legal_basis:
        number = facts.legal_basis[0].split("số ", 1)[-1]
        evidence["legal_basis"] = first(lambda t: number in t)
    if facts.author:
        for s in reversed(sentences):
            if facts.author in s.text:
                evidence["author"] = (s.start, s.end)
                break
    return {k: v for k, v in evidence.items() if v}


# ------------------------------------------------------------------ all together


def extract_facts(text: str, header: dict | None = None, title: str = "", url: str = "") -> ProgramFacts:
    """All facts of one article from its clean text and header fields."""
    header = header or {}
    lines = text.split("\n")
    title, title_index = extract_title(lines, title or header.get("title", ""))
    sentences = split_sentences(text)
    line_starts, pos = [], 0
    for line in lines:
        line_starts.append(pos)
        pos += len(line) + 1
    stamp_starts = {line_starts[i] for i, line in enumerate(lines) if is_stamp_line(line)}
    if title_index is not None:
        stamp_starts.add(line_starts[title_index])
    body = [s for s in sentences if s.start not in stamp_starts]
    published = extract_published(lines, title_index, header.get("date", ""))
    venue, venue_span = extract_venue(body)
    facts = ProgramFacts(
        title=title,
        event_date=extract_event_date(body, published),
        published=published,
        place=extract_place(title, body, url),
        parties=extract_parties(title, body),
        period=extract_period(title, body),
        legal_basis=extract_legal_basis(text),
        attendees=extract_attendees(sentences),
        author=extract_author(sentences, header.get("author", "")),
        venue=venue,
        places=extract_places(title, body),
        contents=extract_contents(body, text),
        directives=extract_directives(body, text),
    )
    title_span = None
    if title_index is not None:
        title_span = (line_starts[title_index], line_starts[title_index] + len(lines[title_index]))
    evidence = locate_evidence(facts, title_span, body, lines, line_starts)
    if venue_span:
        evidence["venue"] = venue_span
    return replace(facts, evidence=evidence)
