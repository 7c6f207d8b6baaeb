"""Hybrid retrieval: dense (Chroma) and lexical (BM25) results fused by reciprocal rank fusion.

Optional filters (place, agency, year: the UI's corpus filters) restrict retrieval to matching
articles. Duplicate passages (the same text under two file names) are returned once. Which articles
a question is about (the places, agencies and people it names) is decided later, by ranking in the
answer layer, never by filtering here. `LangChainRetriever` wraps it for LangChain composition.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Container, Iterable, Mapping, Sequence

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.answers.corpus import RRF_K, Filters, Hit, Retrieval, candidate_pool
from assistant.index.bm25 import Bm25Index
from assistant.index.catalog import Catalog, StoredChunk, StoredSentence
from assistant.index.lexical import query_terms
from assistant.index.store import VectorStore

__all__ = ["Retriever", "LangChainRetriever", "Filters", "Hit", "Retrieval"]



class Retriever:
    """The `Corpus` of the answer layer over the catalog, the BM25 index and the vector store: owns
    the in-memory view of the catalog (facts, chunks) used on the query path."""

    def __init__(self, catalog: Catalog, store: VectorStore, embed_query: Callable[[str], np.ndarray], k: int = 8):
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

    def article_forms(self, source: str) -> tuple[str, list[StoredSentence]]:
        return self.catalog.article_forms(source)

    def article_pages(self, source: str) -> tuple[tuple[int, int], ...]:
        return self.catalog.article_pages(source)

    def chunks_by_id(self, chunk_ids: list[str]) -> dict[str, StoredChunk]:
        return self.catalog.chunks_by_id(chunk_ids)

    def passage_vectors(self, chunk_ids: list[str]) -> dict[str, np.ndarray]:
        return self.store.vectors(chunk_ids)

    def sources_with_all(self, terms: Iterable[str]) -> set[str]:
        return self.lexical.sources_with_all(terms)

    def document_frequencies(self, terms: Iterable[str]) -> tuple[dict[str, int], int]:
        return self.lexical.document_frequencies(terms)

    def best_sources(self, terms: Sequence[str], limit: int, among: set[str]) -> list[str]:
        hits = self.lexical.search(terms, limit * 3, sources=among)
        chunks = self.catalog.chunks_by_id([cid for cid, _score in hits])
        return list(dict.fromkeys(chunks[cid].source for cid, _s in hits if cid in chunks))[:limit]

    def retrieve(self, question: str, k: int | None = None, filters: Filters | None = None,
                 terms: Sequence[str] | None = None) -> Retrieval:
        """Ranked passages for a question; `terms` are its lexical terms when the caller has them
        (see `analysis.Question.lexical`), else they are found here."""
        k = k or self.k
        allowed = filters.admitted(self.articles) if filters else None
        if allowed is not None and not allowed:
            return Retrieval([])
        pool = candidate_pool(k)
        vector = self.embed_query(question)
        dense = self.store.query(vector, pool, where=filters.where() if filters else None)
        lexical = self.lexical.search(query_terms(question) if terms is None else terms, pool, sources=allowed)

        chunks = self.catalog.chunks_by_id(list(dict.fromkeys([cid for cid, _ in dense] + [cid for cid, _ in lexical])))
        return Retrieval(fuse(dense, lexical, chunks, self.articles, k), vector)


def fuse(dense: Sequence[tuple[str, float]], lexical: Sequence[tuple[str, float]],
         chunks: Mapping[str, StoredChunk], articles: Container[str], k: int) -> list[Hit]:
    """Reciprocal rank fusion of the dense (id, cosine) and lexical (id, BM25) rankings: the best
    `k` passages of indexed `articles`, each text once (the same passage under two file names)."""
    scores: dict[str, float] = {}
    similarity: dict[str, float] = {}
    for rank, (cid, sim) in enumerate(dense):
        scores[cid] = scores.get(cid, 0.0) + 1.0 / (RRF_K + rank + 1)
        similarity[cid] = sim
    kept = 0
    for cid, _score in lexical:
        if cid not in chunks:
            continue
        scores[cid] = scores.get(cid, 0.0) + 1.0 / (RRF_K + kept + 1)
        kept += 1

    hits: list[Hit] = []
    seen_text: set[str] = set()
    for cid in sorted(scores, key=lambda c: scores[c], reverse=True):
        chunk = chunks.get(cid)
        if chunk is None or chunk.source not in articles:
            continue
        digest = hashlib.sha1(" ".join(chunk.text.split()).encode("utf-8")).hexdigest()
        if digest in seen_text:
            continue
        seen_text.add(digest)
        hits.append(Hit(chunk, scores[cid], similarity.get(cid)))
        if len(hits) >= k:
            break
    return hits


class LangChainRetriever(BaseRetriever):
    """The hybrid retriever as a LangChain `BaseRetriever` (documents carry the article facts),
    optionally kept to the articles `filters` admit (a Chroma `where` on the vectors' metadata)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    retriever: Retriever
    k: int = 8
    filters: Filters | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        result = self.retriever.retrieve(query, self.k, self.filters)
        docs = []
        for hit in result.hits:
            row = self.retriever.articles[hit.chunk.source]
            docs.append(Document(page_content=hit.chunk.text, metadata={
                "source": hit.chunk.source, "chunk_id": hit.chunk.chunk_id, "score": hit.score,
                "title": row.facts.title, "url": row.url, "start": hit.chunk.start, "end": hit.chunk.end}))
        return docs
