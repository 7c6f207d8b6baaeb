"""Places: the province and the district or commune of the program, every place the article names,
and the venue of the event."""

from __future__ import annotations

import re
from collections import defaultdict

from assistant.facts.dates import EVENT_WORDS
from assistant.facts.model import Place, Span
from assistant.facts.parties import SIGNING
from assistant.facts.people import is_cap
from assistant.text import gazetteer as gz
from assistant.text.folding import fold, lower_tones
from assistant.text.sentences import Sentence

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
        if not clean or not is_cap(w) or not clean.isalpha() or (w.isupper() and len(w) > 1 and w not in ("Ba",)):
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


def extract_place(title: str, sentences: list[Sentence], url: str = "",
                  title_span: Span | None = None) -> tuple[Place, Span | None]:
    """Province and, for district- or commune-level programs, the district or commune, with the
    sentence that names it (preferably where the article speaks of the signing)."""
    place = _place(title, sentences, url)
    name = place.locality_name or place.province
    if not name:
        return place, None
    key = fold(name)
    naming = [s for s in sentences if key in fold(s.text)]
    signing = [s for s in naming if SIGNING.search(s.text)]
    if signing or naming:
        return place, (signing or naming)[0].span
    return place, title_span if key in fold(title) else None


def _place(title: str, sentences: list[Sentence], url: str) -> Place:
    provinces: defaultdict[str, float] = defaultdict(float)
    localities: defaultdict[str, float] = defaultdict(float)
    program_level: set[str] = set()
    first: dict[str, int] = {}
    texts = ([title] if title else []) + [s.text for s in sentences]
    for order, text in enumerate(texts):
        weight = 3 if (order == 0 and title) or SIGNING.search(text) else 1
        for m in _UNIT_RE.finditer(text):
            group = int((m.lastgroup or "u0")[1:])   # every alternative is a named group
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

    def best(counter: dict[str, float]) -> str:
        if not counter:
            return ""
        return max(counter, key=lambda k: (counter[k], -first.get(k, 0)))

    # A town merely named as the venue ("tại TP. Pleiku") does not make a provincial program local.
    locality = best({k: v for k, v in localities.items() if k in program_level})
    return Place(province=best(provinces), locality=locality)


# Capitalised words that open no place name (agency heads) or end one (verbs and nouns of a
# title written in title case: "Xã Tân Lập Ký Kết Chương Trình…").
_NOT_PLACE_START = {lower_tones(w) for w in (
    "ban sở hội cục bộ viện tòa toà đài báo trường văn đảng đoàn liên ủy uỷ công thành đồn trung học tổng chi "
    "quận huyện tỉnh xã phường thị").split()}   # compared with tone marks: "Thanh Sơn" is a place
_NOT_PLACE_WORD = {"ky", "ket", "to", "chuc", "hoi", "nghi", "phoi", "hop", "chuong", "trinh", "so", "tong", "trien",
                   "khai", "tang", "cuong", "tuyen", "truyen", "thuc", "hien", "le", "giao", "ban", "cong", "tac",
                   "va", "voi", "nam", "giai", "doan", "quy", "che", "dang", "uy"}


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
        if not EVENT_WORDS.search(sentence.text):
            continue
        m = _VENUE.search(sentence.text)
        if m:
            venue = re.split(r"\s+(?:đã|diễn ra|tổ chức|long trọng|với|giữa|về)\s", m.group("v"))[0].strip(" –-")
            return venue, (sentence.start, sentence.end)
    return "", None
