"""Split an article into overlapping, sentence-aligned chunks (pure).

A chunk holds a few sentences; neighbouring chunks share `overlap` sentences so that a fact
spanning a boundary is still found whole. Short lines (titles, photo captions, bylines) never
form chunks of their own: they are merged into the following sentence (or the previous one at
the end). Each chunk knows its article, its position and the offsets of its sentences.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from assistant.text.sentences import Sentence, split_sentences

SHORT_LINE_WORDS = 8


@dataclass(frozen=True)
class Chunk:
    source: str                               # article file name
    position: int                             # 0-based order within the article
    start: int                                # offsets into the article's clean text
    end: int
    text: str                                 # article text[start:end]
    sentences: tuple[tuple[int, int], ...]    # (start, end) of each sentence, article offsets

    def chunk_id(self, content_hash: str) -> str:
        """Stable id: same file, same content, same position -> same id (re-runs are idempotent)."""
        src = hashlib.sha1(self.source.encode("utf-8")).hexdigest()[:12]
        return f"{src}-{content_hash[:12]}-{self.position:04d}"

    def embed_text(self, title: str) -> str:
        """What is embedded: the chunk, preceded by the article's title (and place) for context."""
        if title and title not in self.text:
            return f"{title}\n{self.text}"
        return self.text


def _is_short_line(sentence: Sentence, text: str) -> bool:
    line_start = text.rfind("\n", 0, sentence.start) + 1
    line_end = text.find("\n", sentence.end)
    line_end = len(text) if line_end == -1 else line_end
    whole_line = text[line_start:line_end].strip() == sentence.text
    return whole_line and len(sentence.text.split()) < SHORT_LINE_WORDS


def _units(text: str, sentences: list[Sentence]) -> list[list[Sentence]]:
    """Sentences grouped so that every short line rides with a neighbour."""
    units: list[list[Sentence]] = []
    pending: list[Sentence] = []
    for sentence in sentences:
        if _is_short_line(sentence, text):
            pending.append(sentence)
            continue
        units.append(pending + [sentence])
        pending = []
    if pending:
        if units:
            units[-1].extend(pending)
        else:
            units.append(pending)
    return units


def chunk_text(source: str, text: str, sentences_per_chunk: int = 4, overlap: int = 1,
               max_chars: int = 1000, sentences: list[Sentence] | None = None) -> list[Chunk]:
    """Chunks of about `sentences_per_chunk` sentence units, at most `max_chars` long unless a
    single unit is longer, each sharing `overlap` units with the previous one (`sentences`: the
    text's, when the caller has split it already)."""
    units = _units(text, split_sentences(text) if sentences is None else sentences)
    if not units:
        return []
    overlap = max(0, min(overlap, sentences_per_chunk - 1))
    chunks: list[Chunk] = []
    i = 0
    while i < len(units):
        j = i
        length = 0
        while j < len(units) and j - i < sentences_per_chunk:
            unit_len = units[j][-1].end - units[j][0].start
            if j > i and length + unit_len > max_chars:
                break
            length += unit_len
            j += 1
        group = [s for unit in units[i:j] for s in unit]
        start, end = group[0].start, group[-1].end
        chunks.append(Chunk(source, len(chunks), start, end, text[start:end],
                            tuple((s.start, s.end) for s in group)))
        if j >= len(units):
            break
        i = max(i + 1, j - overlap)
    return chunks
