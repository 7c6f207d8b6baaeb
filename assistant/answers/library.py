"""The indexed articles as the answer layer reads them: facts, text, sentences and matching forms.

An article's sentences and their matching forms (and the article's own matching form: title, URL
words and text) were stored at ingest (`lexical.sentence_forms`, `lexical.article_form`); a view reads
them and is kept in a bounded cache. Which articles mention a phrase is found from the in-memory
lexical postings (candidates sharing every word) and confirmed on their matching form, so the cost
follows the few articles that could match, not the size of the corpus. Everything is read through a
`Corpus` (the retriever, or a small fake in tests).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from assistant.answers.corpus import Corpus
from assistant.index.catalog import ArticleRow, StoredChunk
from assistant.text import wording

CACHE_ARTICLES = 2048
VERIFY_AT_MOST = 40


@dataclass(frozen=True)
class Sentence:
    source: str
    index: int            # position within the article
    start: int
    end: int
    text: str
    folded: str           # matching-form words, space-joined (stored at ingest)
    marked: str           # the same words with their tone marks

    @property
    def match(self) -> str:
        return f" {self.folded} "

    @cached_property
    def wordset(self) -> frozenset[str]:
        return frozenset(self.folded.split())

    @cached_property
    def bigramset(self) -> frozenset[str]:
        return frozenset(wording.bigrams(self.folded.split()))

    @cached_property
    def accented(self) -> frozenset[str]:
        """Words with their tone marks (spelt-out abbreviations folded)."""
        return frozenset(self.marked.split())

    @cached_property
    def accented_bigrams(self) -> frozenset[str]:
        return frozenset(wording.bigrams(self.marked.split()))


HEAD_SENTENCES = 3     # sentences of the lede that say what an article is about


@dataclass
class ArticleView:
    row: ArticleRow
    text: str
    chunks: list[StoredChunk]
    sentences: list[Sentence]
    match: str            # matching form of title + URL words + text
    pages: tuple[tuple[int, int], ...] = ()   # (page number, start offset) of a paged article

    def page_at(self, offset: int) -> int | None:
        """The page an offset of the text is on, for a paged article (PDF)."""
        found = [number for number, start in self.pages if start <= offset]
        return found[-1] if found else None

    @property
    def source(self) -> str:
        return self.row.source

    def mentions(self, phrases: tuple[str, ...]) -> bool:
        return any(wording.contains(self.match, p) for p in phrases)

    @cached_property
    def head(self) -> str:
        """The title and lede (the first sentences of some length, datelines aside) in matching form:
        what the article is about (from the stored sentence forms)."""
        lede = [s.folded for s in self.sentences if len(s.text.split()) >= 8][:HEAD_SENTENCES]
        parts = [wording.match_text(self.row.facts.title).strip(), *lede]
        return f" {' '.join(p for p in parts if p)} "

    @cached_property
    def parties_form(self) -> str:
        return wording.match_text(" ".join(self.row.facts.parties))

    def chunk_of(self, sentence: Sentence) -> StoredChunk | None:
        for chunk in self.chunks:
            if chunk.start <= sentence.start and sentence.end <= chunk.end:
                return chunk
        return None


class Library:
    """Read access to the indexed articles for one retriever snapshot."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self._views: OrderedDict[str, ArticleView] = OrderedDict()
        self._lock = threading.Lock()
        self._place_names: set[str] | None = None
        self._person_names: set[str] | None = None

    @property
    def rows(self) -> dict[str, ArticleRow]:
        return self.corpus.articles

    # ------------------------------------------------------------ one article

    def view(self, source: str) -> ArticleView:
        with self._lock:
            view = self._views.get(source)
            if view is not None:
                self._views.move_to_end(source)
                return view
        row = self.rows[source]
        text = self.corpus.article_text(source)
        form, stored = self.corpus.article_forms(source)
        sentences = [Sentence(source, s.position, s.start, s.end, text[s.start:s.end], s.folded, s.accented)
                     for s in stored]
        view = ArticleView(row, text, self.corpus.chunks_of(source), sentences, form,
                           self.corpus.article_pages(source))
        with self._lock:
            self._views[source] = view
            while len(self._views) > CACHE_ARTICLES:
                self._views.popitem(last=False)
        return view

    def similarities(self, sources: list[str], query_vector: np.ndarray | None) -> dict[str, float]:
        """The question's similarity with every passage of these articles (from the stored vectors),
        so that sentences are compared alike however many of their passages retrieval returned."""
        if query_vector is None:
            return {}
        ids = [c.chunk_id for source in sources for c in self.view(source).chunks]
        stored = self.corpus.passage_vectors(ids)
        return {cid: float(vec @ query_vector) for cid, vec in stored.items()}

    # ------------------------------------------------------------ the whole corpus

    def corpus_mentions(self, phrases: tuple[str, ...]) -> bool:
        """Does any indexed article contain one of the phrases (or name it as its place)? A phrase of
        several words also counts when one sentence has all its words (the question may word a name a
        little differently: "Công an TP" / "Công an thành phố")."""
        if any(p in self.place_names() for p in phrases):
            return True
        for phrase in phrases:
            words = phrase.split()
            candidates = sorted(self.corpus.sources_with_all(words))
            for source in candidates[:VERIFY_AT_MOST]:
                if source not in self.rows:
                    continue
                view = self.view(source)
                if view.mentions((phrase,)):
                    return True
                if len(words) > 1 and any(set(words) <= s.wordset for s in view.sentences):
                    return True
            if len(candidates) > VERIFY_AT_MOST:
                return True   # words this common together: too many articles to prove it absent
        return False

    def is_common(self, word: str) -> bool:
        """A word found in more than 2% of the passages is a common word, not a name."""
        df, total = self.corpus.document_frequencies([word])
        return total > 0 and df.get(word, 0) > max(2, 0.02 * total)

    def place_names(self) -> set[str]:
        if self._place_names is None:
            self._build_names()
        return self._place_names or set()

    def person_names(self) -> set[str]:
        if self._person_names is None:
            self._build_names()
        return self._person_names or set()

    def _build_names(self) -> None:
        places, persons = set(), set()
        for row in self.rows.values():
            facts = row.facts
            for name in (facts.place.province, facts.place.locality_name, *facts.places):
                if name:
                    places.add(" ".join(wording.words(name)))
            for person in facts.attendees:
                persons.add(" ".join(wording.words(person.name)))
        places.discard("")
        self._place_names = {p for p in places if len(p.split()) > 1 or p.isdigit()}
        self._person_names = persons
