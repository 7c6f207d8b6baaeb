"""What every way of composing an answer receives and returns."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from assistant.answers.analysis import Kind, Question
from assistant.answers.citations import Citations
from assistant.answers.library import Library
from assistant.answers.ranking import Ranked

# How much each kind of name the question gives, missing from an article, lowers the confidence that
# the article is the one asked about (a place, person or document much more than an agency or a year).
MISSING_PENALTY = {Kind.PLACE: 0.25, Kind.PERSON: 0.25, Kind.DOCUMENT: 0.3, Kind.NAME: 0.5, Kind.DATE: 0.4,
                   Kind.PERIOD: 0.4, Kind.AGENCY: 0.45, Kind.YEAR: 0.7}
TIE = 0.75          # another program matching every name of the question, this close, is answered too
MAX_ARTICLES = 3    # for a question about one program that several articles match equally


@dataclass
class Asked:
    """One analysed question with its ranked articles and what composing needs."""
    question: Question
    ranked: list[Ranked]
    library: Library
    cites: Citations
    weights: dict[str, float]           # corpus idf of the question's words
    dense: dict[str, float]             # passage id -> similarity with the question (retrieved passages)
    query_vector: np.ndarray | None = None
    _fetched: set[str] = field(default_factory=set)

    def similarities(self, source: str) -> dict[str, float]:
        """Passage similarities for one article: every passage of it, not only the retrieved ones."""
        if source not in self._fetched:
            self.prefetch([source])
        return self.dense

    def prefetch(self, sources: list[str]) -> None:
        """Read the stored vectors of these articles' passages in one go."""
        todo = [s for s in sources if s not in self._fetched]
        if todo:
            self.dense = {**self.dense, **self.library.similarities(todo, self.query_vector)}
            self._fetched |= set(todo)


@dataclass
class Composed:
    text: str
    sources: list[str] = field(default_factory=list)
    confidence: float = 0.0


def named_penalty(ranked: Ranked) -> float:
    """1.0 when the article has every name the question gives, less for each it lacks."""
    value = 1.0
    for m in ranked.missing:
        value *= MISSING_PENALTY.get(m.kind, 0.6)
    return value


def ties(ranked: list[Ranked], best: Ranked) -> list[Ranked]:
    """Other articles that match the question as well as the best one (every name it has, a close
    score): a question about one program that several articles report is answered for each."""
    return [r for r in ranked[:MAX_ARTICLES + 1] if r is not best and r.mentions >= best.mentions - 1e-9
            and r.score >= TIE * best.score][:MAX_ARTICLES - 1]
