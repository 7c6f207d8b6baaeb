"""The indexed articles as the answer layer reads them: facts, text, sentences and matching forms.

Sentences come from the offsets stored with the chunks at ingest (never split again); the matching
form of an article (`wording.match_text` of its title, URL words and text) and of each sentence is
computed once per article and kept in a bounded cache. Which articles mention a phrase is found from
the in-memory lexical postings (candidates sharing every word) and confirmed on their matching form,
so the cost follows the few articles that could match, not the size of the corpus.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property

from assistant.text import gazetteer as gz
from assistant.text import wording
from assistant.index.catalog import ArticleRow, StoredChunk

CACHE_ARTICLES = 2048
VERIFY_AT_MOST = 40


@dataclass(frozen=True)
class Sentence:
    source: str
    index: int            # position within the article
    start: int
    end: int
    text: str

    @cached_property
    def match(self) -> str:
        return wording.match_text(self.text)

    @cached_property
    def wordset(self) -> frozenset[str]:
        return frozenset(self.match.split())

    @cached_property
    def bigramset(self) -> frozenset[str]:
        return frozenset(wording.bigrams(self.match.split()))

    @cached_property
    def accented(self) -> frozenset[str]:
        """Words with their tone marks (spelt-out abbreviations folded)."""
        return frozenset(a for _f, a in wording.tokens(self.text))

    @cached_property
    def accented_bigrams(self) -> frozenset[str]:
        return frozenset(wording.bigrams([a for _f, a in wording.tokens(self.text)]))


@dataclass
class ArticleView:
    row: ArticleRow
    text: str
    chunks: list[StoredChunk]
    sentences: list[Sentence]
    match: str            # matching form of title + URL words + text

    @property
    def source(self) -> str:
        return self.row.source

    def mentions(self, phrases: tuple[str, ...]) -> bool:
        return any(wording.contains(self.match, p) for p in phrases)

    def chunk_of(self, sentence: Sentence) -> StoredChunk | None:
        for chunk in self.chunks:
            if chunk.start <= sentence.start and sentence.end <= chunk.end:
                return chunk
        return None


def _url_words(url: str) -> str:
    path = re.sub(r"^https?://", "", url or "")
    return " ".join(re.findall(r"[A-Za-z0-9]+", path.replace(".html", " ").replace(".htm", " ")))


class Library:
    """Read access to the indexed articles for one retriever snapshot."""

    def __init__(self, retriever):
        self.retriever = retriever
        self._views: OrderedDict[str, ArticleView] = OrderedDict()
        self._lock = threading.Lock()
        self._place_names: set[str] | None = None
        self._person_names: set[str] | None = None

    @property
    def rows(self) -> dict[str, ArticleRow]:
        return self.retriever.articles

    # ------------------------------------------------------------ one article

    def view(self, source: str) -> ArticleView:
        with self._lock:
            view = self._views.get(source)
            if view is not None:
                self._views.move_to_end(source)
                return view
        row = self.rows[source]
        text = self.retriever.article_text(source)
        chunks = self.retriever.chunks_of(source)
        spans = sorted({s for c in chunks for s in c.sentences})
        sentences, last_end = [], -1
        for a, b in spans:
            if a < last_end:   # overlapping chunks repeat sentences
                continue
            sentences.append(Sentence(source, len(sentences), a, b, text[a:b]))
            last_end = b
        site = gz.province_from_domain(row.url) or ""
        match = wording.match_text(" ".join((row.facts.title, _url_words(row.url), site, text)))
        view = ArticleView(row, text, chunks, sentences, match)
        with self._lock:
            self._views[source] = view
            while len(self._views) > CACHE_ARTICLES:
                self._views.popitem(last=False)
        return view

    def similarities(self, sources: list[str], query_vector) -> dict[str, float]:
        """The question's similarity with every passage of these articles (from the stored vectors),
        so that sentences are compared alike however many of their passages retrieval returned."""
        if query_vector is None:
            return {}
        ids = [c.chunk_id for source in sources for c in self.view(source).chunks]
        stored = self.retriever.store.vectors(ids)
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
            candidates = sorted(self.retriever.lexical.sources_with_all(words))
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
        df, total = self.retriever.lexical.document_frequencies([word])
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
