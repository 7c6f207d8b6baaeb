"""What names the program: the headline, the byline, the period it runs for and the documents it
rests on."""

from __future__ import annotations

import re

from assistant.facts.dates import is_stamp_line
from assistant.facts.model import Span
from assistant.facts.parties import SIGNING
from assistant.text.folding import fold, lower_tones
from assistant.text.sentences import Sentence

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


def extract_author(sentences: list[Sentence], header_author: str = "") -> tuple[str, Span | None]:
    """The byline and its line: among the last lines, skipping photo credits and source
    attributions (a header author has no line, unless the text repeats it)."""
    if header_author:
        author = header_author.strip()
        line = next((s for s in reversed(sentences) if author in s.text), None)
        return author, line.span if line else None
    for sentence in reversed(sentences[-5:]):
        text = sentence.text.strip()
        if _NOT_BYLINE.search(text):
            continue
        text = re.sub(r"\s*[(\[].*?[)\]]\s*$", "", _BYLINE_PREFIX.sub("", text)).strip(" .-–")
        if _looks_like_name(text):
            return text, sentence.span
        if len(text) > 60:
            break
    return "", None


_PERIOD = re.compile(r"(?P<lead>giai đoạn|nhiệm kỳ|từ năm|từ)?\s*(?P<a>20\d{2})\s*(?:-|–|—|đến năm|đến)\s*"
                     r"(?P<b>20\d{2})(?!\d)", re.I)


def extract_period(title: str, sentences: list[Sentence], title_span: Span | None = None) -> tuple[str, Span | None]:
    """The program's period and the sentence saying it: `giai đoạn 2021 - 2025` or a bare
    `2022-2026` near the signing; a congress term (`nhiệm kỳ 2020-2025`) is not the program's period."""
    period, order = _period(title, sentences)
    if not period:
        return "", None
    a, _, b = period.partition("-")
    said = re.compile(rf"{a}\s*(?:-|–|—|đến năm|đến)\s*{b}" if b else rf"năm {a}")
    for s in sentences:   # quoted from the body rather than the headline, where the body says it
        if said.search(s.text) and "nhiệm kỳ" not in s.text.lower():
            return period, s.span
    return period, title_span if title and order == 0 else (sentences[order - (1 if title else 0)].span)


def _period(title: str, sentences: list[Sentence]) -> tuple[str, int]:
    best: tuple[int, int, str] | None = None
    texts = ([title] if title else []) + [s.text for s in sentences]
    for order, text in enumerate(texts):
        for m in _PERIOD.finditer(text):
            a, b = int(m.group("a")), int(m.group("b"))
            lead = (m.group("lead") or "").lower()
            if not 0 < b - a <= 10 or lead == "nhiệm kỳ":
                continue
            score = (2 if lead == "giai đoạn" else 0) + (1 if order == 0 and title or SIGNING.search(text) else 0)
            if not lead and not (SIGNING.search(text) or (order == 0 and title)):
                continue
            if best is None or score > best[0]:
                best = (score, order, f"{a}-{b}")
    if best:
        return best[2], best[1]
    for order, text in enumerate(texts):  # a one-year program: "chương trình phối hợp … năm 2024"
        one = _ONE_YEAR.search(text)
        if one and SIGNING.search(text):
            return one.group(1), order
    return "", 0


_ONE_YEAR = re.compile(r"(?:chương trình|quy chế|kế hoạch) phối hợp[^.;:]{0,200}?\bnăm (20\d{2})\b", re.I)

_LEGAL = re.compile(r"(?P<kind>Quyết định|Nghị quyết|Chỉ thị|Quy định|Kết luận|Hướng dẫn|Thông tri|Nghị định|"
                    r"Thông tư|Kế hoạch|Quy chế)\s+(?:số\s+)?(?P<num>\d+[\w.-]*/[\wĐđ./-]*[\wĐđ])")


def extract_legal_basis(sentences: list[Sentence]) -> tuple[tuple[str, ...], Span | None]:
    """Numbered documents cited ("Quyết định số 238-QĐ/TW", once each, in order) and the sentence
    citing the first."""
    seen: dict[str, str] = {}
    first: Span | None = None
    for sentence in sentences:
        for m in _LEGAL.finditer(sentence.text):
            if first is None:
                first = sentence.span
            seen.setdefault(m.group("num").upper(), f"{m.group('kind')} số {m.group('num')}")
    return tuple(seen.values()), first
