"""Vietnamese sentence segmentation with character offsets (pure).

Every line of clean article text is at least one sentence; inside a line, a sentence ends at
`.`, `!`, `?` or `…` followed by a capitalised word, also when the page glued the next sentence on
without a space ("…địa bàn.Võ Minh Luân"). Abbreviations (TP., ThS., đ/c.) and initials do not end
sentences. Offsets let a quote be located and highlighted in the article later.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_END = re.compile(r"[.!?…]+[\"”’)\]]*")
_ABBREVIATIONS = {"tp", "tt", "ths", "ts", "pgs", "gs", "bs", "ks", "q", "p", "x", "h", "tx", "ttg", "cn",
                  "kts", "nxb", "tr", "st", "v.v", "vv", "đ/c", "đc", "th.s", "pgs.ts", "gs.ts", "mr", "ms",
                  "no", "tel", "đt"}


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


def _word_before(line: str, pos: int) -> str:
    match = re.search(r"([^\s(\[\"“]+)$", line[:pos])
    return match.group(1) if match else ""


def _is_boundary(line: str, start: int, end: int) -> bool:
    before = _word_before(line, start)
    if before.lower().rstrip(".") in _ABBREVIATIONS:
        return False
    if len(before) == 1 and before.isupper():  # an initial: "Nguyễn V. A"
        return False
    rest = line[end:]
    if not rest:
        return False
    if rest[0].isspace():
        following = rest.lstrip().lstrip("\"“‘([-–")
        return bool(following) and (following[0].isupper() or following[0].isdigit())
    # No space: only a glued sentence ("bàn.Võ Minh"), never "TP.HCM" or "238-QĐ/TW".
    return len(rest) > 1 and rest[0].isupper() and rest[1].islower() and not before[-1:].isdigit()


def split_line(line: str, offset: int = 0) -> list[Sentence]:
    """Sentences of one line; offsets are relative to the text the line came from."""
    spans, cursor = [], 0
    for match in _END.finditer(line):
        if _is_boundary(line, match.start(), match.end()):
            spans.append((cursor, match.end()))
            cursor = match.end()
    spans.append((cursor, len(line)))
    out = []
    for a, b in spans:
        piece = line[a:b]
        lead = len(piece) - len(piece.lstrip())
        piece = piece.strip()
        if piece:
            out.append(Sentence(offset + a + lead, offset + a + lead + len(piece), piece))
    return out


def split_sentences(text: str) -> list[Sentence]:
    """All sentences of a text, in order, with offsets into `text`."""
    out: list[Sentence] = []
    pos = 0
    for line in text.split("\n"):
        out.extend(split_line(line, pos))
        pos += len(line) + 1
    return out


def distinct_spans(groups: Iterable[Iterable[Sequence[int]]]) -> list[tuple[int, int]]:
    """The sentences of an article once each, in order, from the (start, end) spans of its
    chunks (neighbouring chunks share sentences)."""
    spans = sorted({tuple(span) for group in groups for span in group})
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and a < out[-1][1]:
            continue
        out.append((a, b))
    return out
