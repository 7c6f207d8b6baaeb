"""Grounded answers: analyse the question once, rank the articles, compose from their sentences.

The flow for one question:

  analyse   -> Question (words, intents, mentions)                analysis.py
  retrieve  -> passages (dense + BM25, fused)                      ../retrieval.py
  rank      -> articles, raised by what the question names         ranking.py
  compose   -> by scope: one program, several, or a briefing       single.py, across.py, brief.py
               (for each intent: the fact + the best sentences)    composers.py, evidence.py
  decide    -> a confidence from ranking and evidence; below the threshold, the refusal

Every line of an answer carries [n] markers to quotes of the articles. Follow-up questions reuse the
articles (and, when they ask nothing new, the intents) of the previous turn.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from enum import Enum

from assistant.answers.across import compose_across
from assistant.answers.analysis import Kind, Question, analyse
from assistant.answers.brief import briefing_note, compose_briefing
from assistant.answers.citations import Citations
from assistant.answers.corpus import Corpus, Filters
from assistant.answers.intents import Intent
from assistant.answers.library import Library
from assistant.answers.model import EMPTY_QUESTION, REFUSAL, Answer, Conversation
from assistant.answers.ranking import Ranked, rank, term_weights
from assistant.answers.scope import Asked, Composed
from assistant.answers.single import compose_single

POOL = 24                        # passages retrieved per question
CONFIDENCE_THRESHOLD = 0.5       # chosen on the development set (README: refusal curve)
OWN_NAMES = (Kind.PLACE, Kind.PERSON, Kind.DOCUMENT, Kind.NAME)


class Scope(str, Enum):
    ONE = "one"              # a question about one program
    SEVERAL = "several"      # "Liệt kê…", "So sánh…", "Những chương trình nào…"
    BRIEFING = "briefing"    # "Tóm tắt…", "Soạn ý chính…"


COMPOSE: dict[Scope, Callable[[Asked], Composed]] = {
    Scope.ONE: compose_single,
    Scope.SEVERAL: compose_across,
    Scope.BRIEFING: compose_briefing,
}


def scope_of(question: Question) -> Scope:
    if question.wants(Intent.BRIEFING):
        return Scope.BRIEFING
    return Scope.SEVERAL if question.across else Scope.ONE


class Answerer:
    """Extractive answers from the index; optionally an LLM (see `llm.py`) phrases them."""

    def __init__(self, corpus: Corpus, threshold: float = CONFIDENCE_THRESHOLD):
        self.corpus = corpus
        self.threshold = threshold
        self._library: Library | None = None
        self._library_of: object = None

    @property
    def library(self) -> Library:
        # a new corpus snapshot (after an ingest) gets a new library
        if self._library is None or self._library_of is not self.corpus.articles:
            self._library = Library(self.corpus)
            self._library_of = self.corpus.articles
        return self._library

    def analyse(self, question: str) -> Question:
        return analyse(question, self.library)

    # ------------------------------------------------------------ entry points

    def answer(self, question: str, conversation: Conversation | None = None,
               filters: Filters | None = None) -> Answer:
        started = time.perf_counter()
        result = self._answer(question or "", conversation, filters)
        result.seconds = time.perf_counter() - started
        if conversation is not None:
            conversation.remember(result)
        return result

    def brief(self, sources: list[str]) -> Answer:
        """The briefing note for chosen programs (the UI's briefing panel)."""
        started = time.perf_counter()
        library = self.library
        chosen = [s for s in sources if s in library.rows]
        title = "Tóm tắt: " + "; ".join(library.rows[s].facts.label(s) for s in chosen)
        if not chosen:
            return Answer(title, REFUSAL, True, intent="briefing")
        cites = Citations(library)
        question = self.analyse(title)
        text = cites.finalize("\n\n".join(briefing_note(question, s, library, cites) for s in chosen))
        return Answer(title, text, False, cites.items, time.perf_counter() - started, "briefing", chosen,
                      1.0, ("briefing",))

    # ------------------------------------------------------------ one question

    def _answer(self, text: str, conversation: Conversation | None, filters: Filters | None) -> Answer:
        question = self.analyse(text)
        if not question.words:
            return Answer(question.text, EMPTY_QUESTION, True)
        focus: set[str] = set()
        if conversation and conversation.focus and self._leans_on(question):
            focus = set(conversation.focus)
            if question.intents == (Intent.OTHER,) and conversation.intents:
                intents = tuple(Intent(i) for i in conversation.intents if i in Intent._value2member_map_)
                question = replace(question, intents=intents or question.intents)
        refused = Answer(question.text, REFUSAL, True, intent=question.main_intent.value,
                         intents=tuple(i.value for i in question.intents))
        library = self.library
        if any(m.explicit and not library.corpus_mentions(m.phrases) for m in question.mentions):
            refused.reason = "unknown name"   # a place, person or agency no indexed article mentions
            return refused
        allowed = filters.admitted(library.rows) if filters else None
        if focus and not self._names_own(question):
            allowed = focus if allowed is None else (allowed & focus) or allowed
        retrieval = self.corpus.retrieve(question.text, k=POOL, filters=filters, terms=question.lexical)
        ranked = rank(question, retrieval.hits, library, focus, allowed)
        if not ranked:
            refused.reason = "nothing retrieved"
            return refused
        asked = Asked(question, ranked, library, Citations(library), term_weights(library, list(question.content)),
                      {h.chunk.chunk_id: h.similarity for h in retrieval.hits if h.similarity is not None},
                      retrieval.query_vector)
        composed = COMPOSE[scope_of(question)](asked)
        if not composed.text or composed.confidence < self.threshold:
            refused.confidence = composed.confidence
            refused.reason = self._why(question, ranked[0], composed)
            return refused
        text = asked.cites.finalize(composed.text)
        return Answer(question.text, text, False, asked.cites.items, intent=question.main_intent.value,
                      sources=composed.sources, confidence=composed.confidence,
                      intents=tuple(i.value for i in question.intents),
                      passages=[(h.chunk.source, h.chunk.text) for h in retrieval.hits])

    @staticmethod
    def _why(question: Question, top: Ranked, composed: Composed) -> str:
        missing = ",".join(sorted({m.kind.value for m in top.missing}))
        missing = f" (missing {missing})" if missing else ""
        if not composed.text:
            return f"no part answered [{'+'.join(i.value for i in question.intents)}]{missing}"
        return f"confidence {composed.confidence:.2f}{missing}"

    @staticmethod
    def _names_own(question: Question) -> bool:
        return any(m.kind in OWN_NAMES for m in question.mentions)

    def _leans_on(self, question: Question) -> bool:
        """A follow-up: it names no program of its own and is short, says "còn … thì sao" or
        points back ("lễ đó", "chương trình này")."""
        return question.follow_up or not self._names_own(question) and len(question.content) <= 4
