"""Numbering of quotes: one citation per distinct (article, sentence), in order of first use."""

from __future__ import annotations

import re

from assistant.answers.library import Library
from assistant.answers.model import Citation

# private-use characters: never in article text, never stripped as whitespace
_OPEN, _SEP, _CLOSE = "\ue000", "\ue001", "\ue002"
_MARK = re.compile(f"{_OPEN}([^{_OPEN}{_SEP}{_CLOSE}]+){_SEP}(\\d+){_SEP}(\\d+){_CLOSE}")


class Citations:
    """Composers write a mark for each sentence they cite (`cite`); `finalize` numbers the marks of
    the final text in order of appearance, so only what the answer shows becomes a citation and
    drafts of articles not chosen cost nothing."""

    def __init__(self, library: Library):
        self.library = library
        self.items: list[Citation] = []
        self._index: dict[tuple[str, int, int], int] = {}

    @staticmethod
    def cite(source: str, span: tuple[int, int] | None) -> str:
        """The mark for a sentence of an article ("" without a span)."""
        if span is None:
            return ""
        return f"{_OPEN}{source}{_SEP}{span[0]}{_SEP}{span[1]}{_CLOSE}"

    def finalize(self, text: str) -> str:
        """The text with every mark replaced by its [n], the citations numbered in that order."""
        return _MARK.sub(lambda m: self._number(m.group(1), (int(m.group(2)), int(m.group(3)))), text)

    def _number(self, source: str, span: tuple[int, int]) -> str:
        key = (source, span[0], span[1])
        if key not in self._index:
            view = self.library.view(source)
            row, text = view.row, view.text
            start, end = span
            for chunk in view.chunks:
                if chunk.start <= span[0] and span[1] <= chunk.end:
                    start, end = chunk.start, chunk.end
                    break
            self.items.append(Citation(
                n=len(self.items) + 1, source=source, title=row.facts.title or source, url=row.url,
                date=row.facts.date_text(), quote=text[span[0]:span[1]], text=text[start:end],
                quote_start=span[0] - start, quote_end=span[1] - start, page=view.page_at(span[0])))
            self._index[key] = len(self.items)
        return f"[{self._index[key]}]"
