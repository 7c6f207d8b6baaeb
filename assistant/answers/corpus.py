"""What the answer layer reads from the index: one interface, so the layer is assembled, not wired.

`Retriever` (retrieval.py) implements it over the SQLite catalog, the in-memory BM25 index and the
Chroma store; the fast tests implement it in memory (tests/fakes.py). Nothing in the answer layer
reaches past it into the catalog, the store or the lexical index.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

import numpy as np

from assistant.index.catalog import ArticleRow, StoredChunk, StoredSentence


@dataclass(frozen=True)
class Filters:
    """User-chosen restrictions (the UI's corpus filters). Empty fields do not restrict."""

    provinces: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    years: tuple[int, ...] = ()

    @cached_property
    def chosen(self) -> dict[str, list]:
        """The chosen values, keyed as in `ProgramFacts.filter_values`."""
        from assistant.text.folding import fold

        values: dict[str, list] = {"places": sorted({fold(p) for p in self.provinces}),
                                   "parties": sorted(set(self.parties)),
                                   "years": sorted(set(self.years))}
        return {key: value for key, value in values.items() if value}

    def admits(self, row: ArticleRow) -> bool:
        """An article matches when, for every restricted field, it has one of the chosen values."""
        have = row.facts.filter_values
        return all(set(values) & set(have.get(key, ())) for key, values in self.chosen.items())

    def where(self) -> dict | None:
        """The same restriction as a Chroma metadata filter on the passage vectors (each field an array:
        `$contains` one of the chosen values), or None when nothing is restricted."""
        clauses: list[dict] = []
        for key, values in self.chosen.items():
            options = [{key: {"$contains": value}} for value in values]
            clauses.append(options[0] if len(options) == 1 else {"$or": options})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    @property
    def active(self) -> bool:
        return bool(self.provinces or self.parties or self.years)

    def admitted(self, articles: Mapping[str, ArticleRow]) -> set[str] | None:
        """The articles these filters admit, or None when they restrict nothing."""
        if not self.active:
            return None
        return {source for source, row in articles.items() if self.admits(row)}


RRF_K = 60   # reciprocal rank fusion: 1 / (RRF_K + rank), for passages and for articles


def candidate_pool(k: int) -> int:
    """How many passages each ranking (dense, lexical) contributes before fusion keeps `k`."""
    return max(30, k * 3)


@dataclass(frozen=True)
class Hit:
    chunk: StoredChunk
    score: float
    similarity: float | None = None   # cosine similarity of question and passage (dense)


@dataclass
class Retrieval:
    hits: list[Hit]
    query_vector: np.ndarray | None = None   # the question's embedding (to compare with an article's passages)


class Corpus(Protocol):
    """The indexed articles as the answer layer sees them (one snapshot: `articles` is replaced,
    never changed in place, when an ingest lands)."""

    articles: dict[str, ArticleRow]

    def retrieve(self, question: str, k: int | None = None, filters: Filters | None = None,
                 terms: Sequence[str] | None = None) -> Retrieval:
        """Passages for a question, best first; `terms` are its lexical terms when already known."""
        ...

    def article_text(self, source: str) -> str: ...

    def article_forms(self, source: str) -> tuple[str, list[StoredSentence]]:
        """The article's matching form and its sentences with theirs (stored at ingest)."""
        ...

    def chunks_of(self, source: str) -> list[StoredChunk]: ...

    def article_pages(self, source: str) -> tuple[tuple[int, int], ...]:
        """(page number, start offset) of a paged article (PDF), for citations; empty for the others."""
        ...

    def passage_vectors(self, chunk_ids: list[str]) -> dict[str, np.ndarray]: ...

    def sources_with_all(self, terms: Iterable[str]) -> set[str]:
        """Articles having every one of these lexical terms somewhere."""
        ...

    def document_frequencies(self, terms: Iterable[str]) -> tuple[dict[str, int], int]:
        """Passages having each term, and the number of passages."""
        ...

    def best_sources(self, terms: Sequence[str], limit: int, among: set[str]) -> list[str]:
        """Of the articles `among`, those whose passages match the terms best (BM25), best first."""
        ...
