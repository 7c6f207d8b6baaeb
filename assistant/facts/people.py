"""People: the names an article gives with a role or as đồng chí / ông / bà, in every list shape."""

from __future__ import annotations

import re

from assistant.facts.model import Attendee
from assistant.text import gazetteer as gz
from assistant.text.folding import fold, lower_tones
from assistant.text.sentences import Sentence

_MARKER = re.compile(r"(?<!\w)(?:đồng chí|đ/c|ông|bà)(?!\w)\s*:?\s*", re.I)
_LIST_MARKER = re.compile(r"(?:có|gồm|với|cùng|là)\s+(?:các\s+)?(?:đồng chí|đại biểu|vị)\s*:\s*", re.I)
_WORD = re.compile(r"[^\s,;:()\[\]\"“”.!?]+")
_RANKS = ["Đại tá", "Thượng tá", "Trung tá", "Thiếu tá", "Đại úy", "Thiếu tướng", "Trung tướng",
          "Thượng tướng", "Đại tướng"]


def is_cap(word: str) -> bool:
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
            if not is_cap(w) or not w.rstrip("-–").replace("-", "").isalpha():
                break
            words.append(w.rstrip("-–"))
            end = m.start() + len(w.rstrip("-–"))
            break
        if not is_cap(w) or not w.replace("-", "").replace("'", "").isalpha():
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
        if not is_cap(word) or fold(word.rstrip(".")) in _UNIT_WORDS or word.isupper():
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
        seg_words: list[str] = []
        seg_end = cursor
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
                    if not is_cap(nxt):
                        break
                elif not (is_cap(w) or lower_tones(w) in gz.ROLE_WORDS or w[:1].isdigit()
                          or (seg_words and is_cap(seg_words[-1]) and lower_tones(w) in gz.ORG_SECOND)):
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


class _PeopleFinder:
    """The people one sentence names, found in passes from the clearest form to the loosest; each pass
    skips what an earlier one took (`taken`: spans of people, and of roles named without a person)."""

    def __init__(self, text: str):
        self.text = text
        self.found: list[tuple[Attendee, int, int]] = []   # (attendee, span start, span end)
        self.taken: list[tuple[int, int]] = []
        self._lists()
        self._markers()
        self._leading()
        self._role_first()
        self._chain()

    def _add(self, name: str, rank: str, role: str, a: int, b: int) -> None:
        if rank:
            role = f"{rank}, {role}" if role else rank
        self.found.append((Attendee(name, role), a, b))
        self.taken.append((a, b))

    def _is_taken(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.taken)

    def _lists(self) -> None:
        """Lists: "có các đồng chí: A, role; B, role; đồng chí C, role"."""
        text = self.text
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
                self._add(name, rank, role, pos, max(end, end2))
                nxt = re.match(r"[^;]*;\s*", text[max(end, end2):])
                if not nxt:
                    break
                pos = max(end, end2) + nxt.end()

    def _markers(self) -> None:
        """Markers: "đồng chí A, role" / "ông A - role" / "đồng chí Đại tá A"."""
        text = self.text
        for mk in _MARKER.finditer(text):
            if self._is_taken(mk.start()):
                continue
            parsed = _parse_name(text, mk.end(), need_surname=False)
            if parsed:
                name, end, rank = parsed
                role, end2 = _after_name_role(text, end)
                self._add(name, rank, role, mk.start(), max(end, end2))
            else:  # "đồng chí Phó Bí thư Tỉnh ủy" names a role only; remember its span
                role, end = _parse_role(text, mk.end())
                if role:
                    self.taken.append((mk.start(), end))

    def _leading(self) -> None:
        """Name first, no marker, at the start of a sentence or list item: "Lê Thị Mai, Chủ tịch Hội LHPN tỉnh, …"."""
        lead = re.match(r"\s*(?:[-+•*]\s*)?", self.text)
        if lead is None or self._is_taken(lead.end()):
            return
        parsed = _parse_name(self.text, lead.end(), need_surname=True)
        if parsed:
            name, end, rank = parsed
            role, end2 = _after_name_role(self.text, end)
            if role:
                self._add(name, rank, role, lead.end(), end2)

    def _role_first(self) -> None:
        """Role before name: "Phó Chủ tịch UBND tỉnh Nguyễn Văn A phát biểu"."""
        text = self.text
        for m in _WORD.finditer(text):
            if self._is_taken(m.start()) or not gz.role_head_at(text[m.start():m.start() + 40].split(), 0):
                continue
            prev = text[:m.start()].rstrip()
            if prev and prev[-1:].isalpha() and is_cap(prev.split()[-1]):
                continue  # inside a longer capitalised run
            role, end = _parse_role(text, m.start())
            tail = re.match(r"\s+", text[end:])
            parsed = _parse_name(text, end + tail.end(), need_surname=True) if role and tail else None
            if parsed:
                name, name_end, rank = parsed
                after, after_end = _after_name_role(text, name_end)  # "Đại tá Nguyễn A, Giám đốc Công an tỉnh"
                self._add(name, rank, f"{role}, {after}" if after else role, m.start(), max(name_end, after_end))
            elif role:
                self.taken.append((m.start(), end))

    def _chain(self) -> None:
        """Lists that go on after a person and role: "A - role, B – role, C- role", "A, role; B, role",
        "A (role), B (role) và C, role": each next name (surname first) with its own role."""
        text = self.text
        queue = sorted(b for _p, _a, b in self.found)
        seen_ends = set()
        while queue:
            end = queue.pop(0)
            if end in seen_ends:
                continue
            seen_ends.add(end)
            sep = _NEXT_IN_LIST.match(text, end)
            if not sep or self._is_taken(sep.end()):
                continue
            start = sep.end()
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
            self._add(name, rank, role, start, stop)
            queue.append(stop)
            queue.sort()


_NEXT_IN_LIST = re.compile(r"\s*\)?\s*(?:[,;]|\s(?:và|cùng|với)\s)\s*(?:(?:các\s+)?(?:đồng chí|đ/c|ông|bà)\s*:?\s*)?", re.I)


def extract_attendees(sentences: list[Sentence]) -> tuple[Attendee, ...]:
    """Every person the article names with a role or as đồng chí / ông / bà, first mention first,
    each once with the fullest role given (and the sentence that gives it)."""
    order: dict[str, Attendee] = {}
    for sentence in sentences:
        for person, _a, _b in sorted(_PeopleFinder(sentence.text).found, key=lambda p: p[1]):
            key = fold(person.name)
            known = order.get(key)
            if known is None or len(person.role) > len(known.role):
                order[key] = Attendee(known.name if known else person.name, person.role,
                                      (sentence.start, sentence.end))
    return tuple(order.values())


def people_in_sentence(text: str) -> list[Attendee]:
    """The people one sentence names, in order, with the role it gives them."""
    return [person for person, _a, _b in sorted(_PeopleFinder(text).found, key=lambda p: p[1])]


def person_spans(text: str) -> list[tuple[int, int]]:
    """Spans of people and their roles (so that agencies inside roles are not taken for parties)."""
    return _PeopleFinder(text).taken
