"""Parties: the agencies an article names where it says who signs, as it writes them, and their
canonical kinds (for filters)."""

from __future__ import annotations

import re

from assistant.facts.model import Span
from assistant.facts.people import person_spans
from assistant.text import gazetteer as gz
from assistant.text.folding import fold, lower_tones
from assistant.text.sentences import Sentence

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
SIGNING = re.compile(r"ký kết|ký chương trình|ký quy chế|phối hợp giữa|phối hợp với|chương trình phối hợp|"
                      r"quy chế phối hợp", re.I)


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


def party_kind(phrase: str) -> str:
    """The canonical kind of an agency phrase ("BTG Thành ủy Mỹ Tho" -> "Ban Tuyên giáo"), or ""."""
    m = _PARTY_RE.search(phrase)
    return PARTY_PATTERNS[int(m.lastgroup[1:])][0] if m and m.lastgroup else ""


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


def extract_parties(title: str, sentences: list[Sentence],
                    title_span: Span | None = None) -> tuple[tuple[str, ...], Span | None]:
    """Agencies named where the article speaks of the signing, as written (roles of people excluded),
    and the sentence naming the most of them (the title when no sentence names any)."""
    seen: dict[str, str] = {}
    about = [s for s in sentences if SIGNING.search(s.text)]
    acts = [s for s in about if _SIGNED_BY.search(s.text)]
    named = {s.span: agency_phrases(s.text) for s in about}
    chosen = acts if any(named[s.span] for s in acts) else about
    texts = ([title] if title and not title.isupper() else []) + [s.text for s in chosen]
    for text in texts:
        for phrase, _a, _b in agency_phrases(text):
            key = _party_key(phrase)
            if not any(key == k or k.startswith(key + " ") for k in seen):
                seen = {k: v for k, v in seen.items() if not key.startswith(k + " ")}
                seen[key] = phrase
    best = max(about, key=lambda s: len(named[s.span]), default=None)
    span = best.span if best is not None and named[best.span] else title_span if seen else None
    return tuple(list(seen.values())[:12]), span


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
