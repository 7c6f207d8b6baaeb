"""What a question names: places, agencies, people, documents, dates, years, periods and other names.

`find_mentions(text, accented, folded, names)` returns each with the phrase to look for in article
text (matching form, see `wording`). A question typed with capitals and marks is read by its
capitalised runs and unit words ("tỉnh", "huyện", "ở"); one typed without them by unit words and the
corpus vocabulary (`Names`: the place and person names the indexed articles use).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

from assistant.text import gazetteer as gz
from assistant.text import wording
from assistant.text.folding import fold, lower_tones


class Kind(str, Enum):
    PLACE = "place"
    AGENCY = "agency"
    PERSON = "person"
    DOCUMENT = "document"
    DATE = "date"
    YEAR = "year"
    PERIOD = "period"
    NAME = "name"        # a capitalised name the question gives without saying what it is


# How much a mention says about which article is meant.
WEIGHTS = {Kind.PLACE: 3.0, Kind.PERSON: 3.0, Kind.DOCUMENT: 3.0, Kind.DATE: 2.0, Kind.PERIOD: 2.0,
           Kind.NAME: 2.0, Kind.AGENCY: 1.2, Kind.YEAR: 1.0}


@dataclass(frozen=True)
class Mention:
    kind: Kind
    text: str                     # as the question writes it
    phrases: tuple[str, ...]      # matching forms; an article mentions it when it contains any
    explicit: bool = False        # written so clearly (capitals, a unit word) that "nobody mentions it"
                                  # means the corpus does not have it
    qualified: str = ""           # with its unit word ("thanh uy lang son"): a closer match, if present

    @property
    def weight(self) -> float:
        return WEIGHTS[self.kind]


class Names(Protocol):
    """The corpus vocabulary the analysis recognises names against (folded phrase -> known)."""

    def place_names(self) -> set[str]: ...
    def person_names(self) -> set[str]: ...
    def is_common(self, word: str) -> bool: ...


@dataclass
class StaticNames:
    places: set[str] = field(default_factory=set)
    persons: set[str] = field(default_factory=set)
    common: set[str] = field(default_factory=set)

    def place_names(self) -> set[str]:
        return self.places

    def person_names(self) -> set[str]:
        return self.persons

    def is_common(self, word: str) -> bool:
        return word in self.common


# ------------------------------------------------------------------ mentions

_UNIT = (r"tỉnh|thành phố|TP\.?|Tp\.?|TX\.?|huyện|quận|thị xã|thị trấn|xã|phường|Tỉnh ủy|Tỉnh uỷ|Thành ủy|"
         r"Thành uỷ|Huyện ủy|Huyện uỷ|Quận ủy|Quận uỷ|Thị ủy|Thị uỷ|Đảng ủy xã|Đảng ủy phường|Tỉnh|Huyện|Quận|"
         r"Thị xã|Thành phố|Xã|Phường|Thị trấn|địa bàn|ở|tại|Ở|Tại")
_UNIT_CASED = re.compile(rf"(?<!\w)(?:{_UNIT})\s+")
_UNIT_FOLDED = re.compile(r"(?<!\w)(?P<unit>tinh|thanh pho|tp|tx|huyen|quan|thi xa|thi tran|xa|phuong|o|tai|"
                          r"tinh uy|thanh uy|huyen uy|quan uy|thi uy)\s+"
                          r"(?=(?P<a>\w+)(?:\s+(?P<b>\w+))?(?:\s+(?P<c>\w+))?)")
_NOT_NAME = set("""
dau nao day do cac nhung cap tinh huyen le hoi buoi dia thanh ca trong ngoai tren duoi giai nam ngay nay tp xa
thi co la gi va da duoc ky to de voi cua khi sao ra ai dong chuong quy ban vien toa so cuc cong uy phong doan
hoi dong nhan dan lanh dao chinh quyen mat tran dang uy khoi the ket tong cung thuc hien phoi hop hai ba bon
chu tri tham du noi dung can cu tai o phia ben nganh quan su bien cac cho ve
""".split())
_TOKEN = re.compile(r"\S+")
_PUNCT = ",.;:?!()\"“”'‘’[]"
_DOCUMENT = re.compile(r"(?i)(?<!\w)(?:quyết định|chỉ thị|nghị quyết|kết luận|kế hoạch|chương trình|CTPH|quy chế|"
                       r"quy định|hướng dẫn|thông tri|thông báo|nghị định|văn bản)\s*(?:liên tịch\s*)?(?:số\s*)?"
                       r"(?P<num>\d{1,4})(?P<code>[\w./-]*)")
_CODE = re.compile(r"(?<![\w/-])(?P<num>\d{1,4})-(?P<code>[A-Za-zĐđ][\w./-]*)")
_PERIOD = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:-|–|—|đến|den|tới|toi)\s*((?:19|20)\d{2})(?!\d)")
_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*((?:19|20)\d{2}))?(?![\d/])")
_YEAR = re.compile(r"(?<![\d/.-])((?:19|20)\d{2})(?![\d/])")

# Agency kinds a question may name, as matching forms (general vocabulary of the genre).
AGENCY_KINDS = [
    "ban tuyen giao va dan van", "ban tuyen giao", "ban dan van", "ban noi chinh", "ban to chuc", "ban dan toc",
    "ban ton giao", "uy ban kiem tra", "van phong", "bo cong an", "cong an", "toa an", "vien kiem sat",
    "hoi dong nhan dan", "uy ban nhan dan", "mat tran to quoc", "ban chi huy quan su", "bo chi huy quan su",
    "quan su", "bien phong", "quan khu", "quan doan", "tinh doan", "thanh doan", "huyen doan", "doan thanh nien",
    "hoi nong dan", "hoi cuu chien binh", "cuu chien binh", "lien hiep phu nu", "lien doan lao dong",
    "thi hanh an", "thanh tra", "so tu phap", "so giao duc", "so thong tin", "so van hoa", "so noi vu",
    "dai phat thanh", "hoi nha bao", "dang uy khoi", "cau lac bo", "truong chinh tri", "trung tam chinh tri",
    "doan dai bieu quoc hoi", "lien minh hop tac xa", "hoi chu thap do", "bo quoc phong", "ban chap hanh",
]
_AGENCY_HEAD = re.compile(r"(?<!\w)(?:Sở|Ban|Hội|Cục|Chi cục|Bộ|Viện|Tòa|Toà|Đài|Báo|Trường|Trung tâm|Văn phòng|"
                          r"Đảng ủy|Đảng uỷ|Đoàn|Liên đoàn|Ủy ban|Uỷ ban|Công an|Thanh tra|Đồn|Câu lạc bộ|CLB|"
                          rf"Học viện|Tổng cục|Liên hiệp)\s+(?P<name>[{wording.UPPER}][{wording.LOWER}]*(?:\s+[{wording.LOWER}]+)?)(?!\w)")


def cap_runs(text: str) -> list[tuple[int, list[str]]]:
    """Runs of capitalised words (a number may close one: "Quận 8"), stopping at punctuation."""
    runs: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for m in _TOKEN.finditer(text):
        raw = m.group(0)
        token = raw.strip(_PUNCT)
        opens = raw[:1] in _PUNCT
        capital = wording.is_capitalised(token) or (current and token.isdigit() and len(token) <= 2)
        if capital and token and not (opens and current):
            if not current:
                start = m.start() + (len(raw) - len(raw.lstrip(_PUNCT)))
            current.append(token)
            if raw[-1:] in _PUNCT and raw.rstrip(_PUNCT) != raw:
                runs.append((start, current))
                current = []
            continue
        if current:
            runs.append((start, current))
            current = []
        if capital and token:
            start = m.start() + (len(raw) - len(raw.lstrip(_PUNCT)))
            current = [token]
    if current:
        runs.append((start, current))
    return runs


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    return not before or before.endswith((".", "?", "!", ":"))


def _is_surname(token: str) -> bool:
    return lower_tones(token) in gz.SURNAMES_ACCENTED


def _phrase(text: str) -> str:
    return " ".join(wording.words(text))


def _places(question: str, accented: bool, names: Names) -> list[Mention]:
    found: dict[str, Mention] = {}
    folded = " ".join(wording.words(question))
    if accented and any(ch.isupper() for ch in question[1:]):
        _cased_places(question, found)
    else:
        _folded_places(folded, names, found)
    _known_places(folded, names, found)
    return list(found.values())


def _cased_places(question: str, found: dict[str, Mention]) -> None:
    """Capitalised names after a unit word ("huyện Tân Uyên", "ở Bến Cát"), and one joined to it by "và"."""
    for m in _UNIT_CASED.finditer(question):
        words = []
        for raw in question[m.end():].split()[:4]:
            token = raw.strip(_PUNCT)
            if not token or not (token[0].isupper() or token.isdigit()) or (token.isupper() and len(token) > 1
                                                                             and not token.isdigit()):
                break
            words.append(token)
            if token.isdigit() or raw[-1:] in _PUNCT:
                break
        if not words or _is_agency_word(words[0]):
            continue
        name = " ".join(words)
        unit = m.group(0).strip()
        lead = fold(unit) in ("o", "tai", "dia ban")
        if lead and gz.role_head_at(words, 0):
            continue
        phrase = _phrase(name)
        if fold(unit).startswith("quan") and name.isdigit():
            phrase = f"quan {name}"
        qualified = _phrase(f"{unit} {name}") if not lead else ""
        found.setdefault(phrase, Mention(Kind.PLACE, name, (phrase,), explicit=True, qualified=qualified))
        # "ở Tân Uyên và Bến Cát": the place joined by "và" is a place too
        tail = question[m.end():].split(name, 1)[-1]
        more = re.match(rf"\s+(?:và|hoặc|,)\s+((?:[{wording.UPPER}]\w*\s?){{1,3}})", tail)
        if more:
            other = " ".join(more.group(1).split())
            if not _is_agency_word(other.split()[0]) and not gz.role_head_at(other.split(), 0):
                found.setdefault(_phrase(other), Mention(Kind.PLACE, other, (_phrase(other),), explicit=True))


def _folded_place_words(parts: list[str]) -> list[str]:
    """The words after a unit word that may be a name: up to a function or question word."""
    name: list[str] = []
    for i, p in enumerate(parts):
        # "o da lat": a function word ("đã") may also be a syllable of a name ("Đà") when a
        # name-like word follows; a question word ("ở đâu") never is
        if p in _NOT_NAME and not (i == 0 and p in wording.STOPWORDS and p not in wording.GENERIC
                                   and len(parts) > 1 and parts[1] not in _NOT_NAME
                                   and parts[1] not in wording.STOPWORDS):
            break
        if p in wording.STOPWORDS and i > 0:
            break
        name.append(p)
    return name


def _folded_places(folded: str, names: Names, found: dict[str, Mention]) -> None:
    """Names after a unit word in a question typed without capitals or marks ("o tan uyen")."""
    for m in _UNIT_FOLDED.finditer(folded):
        parts = [p for p in (m.group("a"), m.group("b"), m.group("c")) if p]
        name = _folded_place_words(parts)
        if m.group("unit") == "quan" and parts and parts[0].isdigit():
            name = ["quan", parts[0]]
        elif not name:
            continue
        known = [n for n in (" ".join(name[:k]) for k in (3, 2, 1))
                 if n in names.place_names() or (len(n.split()) > 1 and gz.province(n))]
        phrase = known[0] if known else " ".join(name[:2])
        if len(phrase.split()) == 1 and not phrase.isdigit() and not known:
            continue
        if not known:
            # typed without marks, "tinh hinh" is "tình hình" and not a province: an unknown name
            # after a unit word counts only if its words are not common ones
            lead = m.group("unit") in ("o", "tai")
            common = [w for w in phrase.split() if names.is_common(w)]
            if (lead and names.is_common(phrase.split()[-1])) or (not lead and common):
                continue
        found.setdefault(phrase, Mention(Kind.PLACE, phrase, (phrase,), explicit=bool(known)))
        after = folded.find(f" {phrase} ", m.start() - 1)
        rest = folded[after + len(phrase) + 2:].split() if after >= 0 else []
        if len(rest) >= 2 and rest[0] == "va" and rest[1] not in _NOT_NAME and rest[1] not in wording.STOPWORDS:
            other = " ".join(w for w in rest[1:1 + len(phrase.split())] if w not in wording.STOPWORDS)
            if other and (known or not all(names.is_common(w) for w in other.split())) \
                    and not any(w in _NOT_NAME for w in other.split()):
                found.setdefault(other, Mention(Kind.PLACE, other, (other,), explicit=False))


def _known_places(folded: str, names: Names, found: dict[str, Mention]) -> None:
    """Known place names anywhere (provinces, and places the corpus names), longest first."""
    words = folded.split()
    taken: set[int] = set()
    for size in (4, 3, 2, 1):
        for i in range(len(words) - size + 1):
            if taken & set(range(i, i + size)):
                continue
            key = " ".join(words[i:i + size])
            if size > 1 and (gz.province(key) or key in names.place_names()):
                taken |= set(range(i, i + size))
                found.setdefault(key, Mention(Kind.PLACE, key, (key,), explicit=False))


_AGENCY_WORDS = "ban sở hội cục bộ viện tòa toà đài báo trường văn đảng đoàn liên ủy uỷ công thanh đồn clb trung học tổng"
_AGENCY_WORDS_ACCENTED = set(_AGENCY_WORDS.split())
_AGENCY_WORDS_FOLDED = {fold(w) for w in _AGENCY_WORDS.split()}


def _is_agency_word(word: str) -> bool:
    """Does the word open an agency's name ("Sở", "Văn phòng")? Compared with its tone marks when it
    has them ("Vạn Ninh" is a place, "Văn phòng" an office)."""
    low = lower_tones(word)
    return low in _AGENCY_WORDS_ACCENTED if low != fold(word) else low in _AGENCY_WORDS_FOLDED


def _agencies(question: str, folded: str) -> list[Mention]:
    found: dict[str, Mention] = {}
    padded = f" {folded} "
    for kind in AGENCY_KINDS:
        if f" {kind} " in padded and not any(f" {kind} " in f" {k} " for k in found):
            found[kind] = Mention(Kind.AGENCY, kind, (kind,))
    for m in _AGENCY_HEAD.finditer(question):
        phrase = _phrase(m.group(0))
        if not any(phrase.startswith(k) or k.startswith(phrase) for k in found):
            found[phrase] = Mention(Kind.AGENCY, m.group(0), (phrase,), explicit=True)
    return list(found.values())


def _persons(question: str, folded: str, names: Names) -> list[Mention]:
    found: dict[str, Mention] = {}
    for _start, tokens in cap_runs(question):
        while tokens and not _is_surname(tokens[0]):
            tokens = tokens[1:]   # "Thiếu tướng Đỗ Hữu Ca", "Đồng chí Lê Văn Nưng"
        if len(tokens) < 2 or gz.province(" ".join(tokens[:2])) or any(t.isdigit() for t in tokens):
            continue
        if any(t.isupper() and len(t) > 1 for t in tokens):
            continue
        name = " ".join(tokens[:4])
        found[_phrase(name)] = Mention(Kind.PERSON, name, (_phrase(name),), explicit=len(tokens) >= 3)
    words = folded.split()
    for size in (4, 3, 2):
        for i in range(len(words) - size + 1):
            key = " ".join(words[i:i + size])
            if key in names.person_names() and not any(key in k for k in found):
                found[key] = Mention(Kind.PERSON, key, (key,), explicit=False)
    return list(found.values())


def _documents(question: str) -> list[Mention]:
    found: dict[str, Mention] = {}
    for pattern in (_DOCUMENT, _CODE):
        for m in pattern.finditer(question):
            num = m.group("num").lstrip("0") or "0"
            if re.fullmatch(r"(19|20)\d{2}", num) and not m.group("code"):
                continue  # "chương trình 2021" is a year
            found.setdefault(num, Mention(Kind.DOCUMENT, m.group(0).strip(), (num,), explicit=False))
    return list(found.values())


def _times(question: str) -> list[Mention]:
    out: list[Mention] = []
    text = question
    for m in _PERIOD.finditer(text):
        out.append(Mention(Kind.PERIOD, m.group(0), (f"{m.group(1)} {m.group(2)}",)))
    masked = _PERIOD.sub(" ", text)
    for m in _DATE.finditer(masked):
        d, mo, y = int(m.group(1)), int(m.group(2)), m.group(3)
        if 1 <= d <= 31 and 1 <= mo <= 12:
            phrase = f"{d} {mo}" + (f" {y}" if y else "")
            out.append(Mention(Kind.DATE, m.group(0), (phrase,)))
    masked = _DATE.sub(" ", masked)
    for m in _YEAR.finditer(masked):
        out.append(Mention(Kind.YEAR, m.group(1), (m.group(1),)))
    return out


def _names(question: str, taken: list[Mention], names: Names) -> list[Mention]:
    """Capitalised names not recognised as anything else ("Buôn Ma Thuột", "Mỹ Tho", "PTKV 2 Tân Lập":
    an abbreviation and a number may open one)."""
    covered = {p for m in taken for p in m.phrases}
    out = []
    for start, tokens in cap_runs(question):
        if _sentence_start(question, start) and len(tokens) < 2:
            continue  # the first word of a sentence is capitalised anyway
        kept: list[str] = []
        opened = False   # an abbreviation or number already began this name
        for t in tokens:
            abbreviation = t.isupper() and len(t) > 1 and t in wording.ABBREVIATIONS
            if abbreviation and fold(wording.ABBREVIATIONS[t]).split()[0] not in ("ban", "so", "hoi", "uy"):
                kept.append(t)        # "PTKV": a unit's name, not an agency's head
                opened = True
                continue
            if t.isdigit():
                if opened or kept:
                    kept.append(t)
                    opened = True
                continue
            if t.isupper() or (not opened and _is_agency_word(t)) or gz.role_head_at([t], 0) \
                    or fold(t) in wording.GENERIC or fold(t) in _NOT_NAME:
                if kept:
                    break
                continue
            kept.append(t)
        if not kept or all(k.isupper() or k.isdigit() for k in kept):
            continue
        phrase = _phrase(" ".join(kept))
        if not phrase or any(phrase in c or c in phrase for c in covered):
            continue
        if len(kept) == 1 and names.is_common(phrase):
            continue   # a capitalised common word ("Truyền thống"), not a name
        covered.add(phrase)
        out.append(Mention(Kind.NAME, " ".join(kept), (phrase,)))
    return out




def find_mentions(text: str, accented: bool, folded: str, names: Names) -> list[Mention]:
    """Every mention in the question (`folded`: its words in matching form, space-joined)."""
    mentions: list[Mention] = []
    mentions += _times(text)
    mentions += _documents(text)
    mentions += _places(text, accented, names)
    mentions += _agencies(text, folded)
    mentions += _persons(text, folded, names)
    mentions += _names(text, mentions, names)
    # a name after "ở", "tại" or a unit word is a place, not a person ("ở Ninh Kiều"); otherwise a
    # person's name is not also a place
    places = {p for m in mentions if m.kind == Kind.PLACE and m.explicit for p in m.phrases}
    mentions = [m for m in mentions if not (m.kind == Kind.PERSON and set(m.phrases) & places)]
    persons = {p for m in mentions if m.kind == Kind.PERSON for p in m.phrases}
    return [m for m in mentions if not (m.kind in (Kind.PLACE, Kind.NAME) and
                                        any(p in q for p in m.phrases for q in persons))]
