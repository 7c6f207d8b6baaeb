"""Hybrid retrieval: dense (Chroma) and lexical (BM25) results fused by reciprocal rank fusion.

Optional filters (place, agency, year: the UI's corpus filters) restrict retrieval to matching
articles. Duplicate passages (the same text under two file names) are returned once. Which articles
a question is about (the places, agencies and people it names) is decided later, by ranking in the
answer layer, never by filtering here. `LangChainRetriever` wraps it for LangChain composition.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from typing import Callable, Iterable

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.index.bm25 import Bm25Index
from assistant.index.catalog import ArticleRow, Catalog, StoredChunk
from assistant.text.folding import fold
from assistant.index.lexical import query_terms
from assistant.index.store import VectorStore

RRF_K = 60


@dataclass(frozen=True)
class Filters:
    """User-chosen restrictions (the UI's corpus filters). Empty fields do not restrict."""

    provinces: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    years: tuple[int, ...] = ()

    def admits(self, row: ArticleRow) -> bool:
        facts = row.facts
        if self.provinces and not ({fold(p) for p in self.provinces} &
                                   {fold(facts.place.province), fold(facts.place.locality),
                                    fold(facts.place.locality_name)}):
            return False
        if self.parties and not set(self.parties) & set(facts.party_kinds()):
            return False
        if self.years and not facts.years() & set(self.years):
            return False
        return True

    @property
    def active(self) -> bool:
        return bool(self.provinces or self.parties or self.years)


@dataclass(frozen=True)
class Hit:
    chunk: StoredChunk
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None
    similarity: float | None = None   # cosine similarity of question and passage (dense)


@dataclass
class Retrieval:
    hits: list[Hit]
    query_vector: object = None   # the question's embedding (to compare it with an article's passages)


class Retriever:
    """Owns the in-memory view of the catalog (facts, chunks) used on the query path."""

    def __init__(self, catalog: Catalog, store: VectorStore, embed_query: Callable[[str], object], k: int = 8):
        self.catalog = catalog
        self.store = store
        self.embed_query = embed_query
        self.k = k
        self._lock = threading.Lock()
        self.lexical = Bm25Index()
        self.refresh()

    def refresh(self) -> None:
        """Reload article facts after an ingest (cheap: no text, no vectors) and bring the in-memory
        lexical index in step (only changed articles are read)."""
        with self._lock:
            self.articles = {s: r for s, r in self.catalog.articles().items() if r.status == "done"}
            self.lexical.sync(self.catalog, {s: r.content_hash for s, r in self.articles.items()})
            self._chunks: dict[str, list[StoredChunk]] = {}
            self._texts: dict[str, str] = {}

    def chunks_of(self, source: str) -> list[StoredChunk]:
        if source not in self._chunks:
            self._chunks[source] = self.catalog.chunks_of(source)
        return self._chunks[source]

    def article_text(self, source: str) -> str:
        if source not in self._texts:
            self._texts[source] = self.catalog.article_text(source) or ""
        return self._texts[source]

    def retrieve(self, question: str, k: int | None = None, filters: Filters | None = None,
                 extra_terms: Iterable[str] = ()) -> Retrieval:
        """Ranked passages for a question; `extra_terms` (the question's words with abbreviations
        spelt out) join its lexical terms."""
        k = k or self.k
        allowed = None
        if filters and filters.active:
            allowed = {s for s, row in self.articles.items() if filters.admits(row)}
            if not allowed:
                return Retrieval([])
        pool = max(30, k * 3)

        where = None
        if allowed is not None:
            where = {"source": {"$in": sorted(allowed)}} if len(allowed) > 1 else {"source": next(iter(allowed))}
        vector = self.embed_query(question)
        dense = self.store.query(vector, pool, where=where)
        terms = list(dict.fromkeys([*query_terms(question), *extra_terms]))
        lexical = self.lexical.search(terms, pool, sources=allowed)

        scores: dict[str, float] = {}
        ranks: dict[str, list[int | None]] = {}
        similarity: dict[str, float] = {}
        for rank, (cid, sim, _meta) in enumerate(dense):
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (RRF_K + rank + 1)
            ranks.setdefault(cid, [None, None])[0] = rank
            similarity[cid] = sim
        kept = 0
        lexical_chunks = self.catalog.chunks_by_id([cid for cid, _ in lexical])
        for cid, _score in lexical:
            chunk = lexical_chunks.get(cid)
            if chunk is None:
                continue
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (RRF_K + kept + 1)
            ranks.setdefault(cid, [None, None])[1] = kept
            kept += 1
        chunks = {**lexical_chunks, **self.catalog.chunks_by_id([cid for cid in scores if cid not in lexical_chunks])}

        hits, seen_text = [], set()
        for cid in sorted(scores, key=scores.get, reverse=True):
            chunk = chunks.get(cid)
            if chunk is None or chunk.source not in self.articles:
                continue
            digest = hashlib.sha1(" ".join(chunk.text.split()).encode("utf-8")).hexdigest()
            if digest in seen_text:
                continue
            seen_text.add(digest)
            hits.append(Hit(chunk, scores[cid], *ranks[cid], similarity.get(cid)))
            if len(hits) >= k:
                break
        return Retrieval(hits, vector)


class LangChainRetriever(BaseRetriever):
    """The hybrid retriever as a LangChain `BaseRetriever` (documents carry the article facts)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    retriever: Retriever
    k: int = 8

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        result = self.retriever.retrieve(query, self.k)
        docs = []
        for hit in result.hits:
            row = self.retriever.articles[hit.chunk.source]
            docs.append(Document(page_content=hit.chunk.text, metadata={
                "source": hit.chunk.source, "chunk_id": hit.chunk.chunk_id, "score": hit.score,
                "title": row.facts.title, "url": row.url, "start": hit.chunk.start, "end": hit.chunk.end}))
        return docs
