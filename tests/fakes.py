"""Small fakes for the fast tests: a hashing encoder (no model) and an in-memory corpus.

`HashingEncoder` implements the `Encoder` interface with hashed bags of folded syllables and their
bigrams, so texts that share words get similar vectors, deterministically, in microseconds.
`MemoryCorpus` implements the answer layer's `Corpus` interface in memory. Everything an article
goes through is the real pipeline (loading, cleaning, sentences, facts, chunks, stored matching
forms, BM25 terms, the fusion of dense and lexical ranks); only SQLite, Chroma and the e5 model are
replaced. So the composers, ranking and question analysis are tested as they run in the product,
in seconds.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

from assistant.answers.corpus import Filters, Retrieval, candidate_pool
from assistant.answers.retrieval import fuse
from assistant.config import load_settings
from assistant.embedding.encoder import Embedder
from assistant.index.bm25 import Bm25Index
from assistant.index.catalog import ArticleRow, StoredChunk, StoredSentence, article_records
from assistant.index.lexical import query_terms
from assistant.ingest.indexer import analyse_article
from assistant.ingest.loading import load_file
from assistant.text.folding import fold

DIM = 512
_WORD = re.compile(r"\w+")


class HashingEncoder:
    """An `Encoder` without a model: normalised hashed counts of folded words and word pairs."""

    dim = DIM
    prompts = {"passage": "passage: ", "query": "query: "}

    def encode(self, texts: list[str], batch_size: int = 8) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            words = _WORD.findall(fold(text.split(": ", 1)[-1]).lower())
            for feature in words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]:
                out[row, int(hashlib.blake2b(feature.encode(), digest_size=4).hexdigest(), 16) % DIM] += 1.0
            norm = np.linalg.norm(out[row])
            if norm:
                out[row] /= norm
        return out


def fake_embedder() -> Embedder:
    """The product's `Embedder` (its prompts, its passage/query helpers) over the hashing encoder."""
    return Embedder(load_settings(), encoder=HashingEncoder())


class MemoryCorpus:
    """The `Corpus` of the answer layer, built in memory from article files."""

    def __init__(self, files: Iterable[Path], embedder: Embedder | None = None):
        self.embedder = embedder or fake_embedder()
        self.articles: dict[str, ArticleRow] = {}
        self._texts: dict[str, str] = {}
        self._forms: dict[str, tuple[str, list[StoredSentence]]] = {}
        self._chunks: dict[str, list[StoredChunk]] = {}
        self._terms: dict[str, str] = {}
        self._vectors: dict[str, np.ndarray] = {}
        self._pages: dict[str, tuple[tuple[int, int], ...]] = {}
        settings = load_settings()
        for path in files:
            self._add(path, settings)
        self.lexical = Bm25Index()
        self.lexical.sync(self, {s: r.content_hash for s, r in self.articles.items()})

    def _add(self, path: Path, settings) -> None:
        # the product's own ingest analysis and stored records; only where they are kept differs
        article = load_file(path, path.parent, settings.max_file_bytes)
        facts, chunks = analyse_article(article, settings)
        records = article_records(article, facts, chunks)
        stored = [chunk for chunk, _terms in records.chunks]
        vectors = self.embedder.embed_passages([c.embed_text(facts.context()) for c in chunks])
        for (chunk, terms), vector in zip(records.chunks, vectors, strict=True):
            self._terms[chunk.chunk_id] = terms
            self._vectors[chunk.chunk_id] = vector
        self._forms[article.source] = (records.form, records.sentences)
        self._pages[article.source] = records.pages
        self._chunks[article.source] = stored
        self._texts[article.source] = article.text
        self.articles[article.source] = ArticleRow(article.source, article.content_hash, "done", len(article.text), 0,
                                                   facts.title, article.url, len(stored), facts)

    # ------------------------------------------------------------ the Corpus interface

    def chunk_terms(self, sources: Collection[str]) -> Iterator[tuple[str, str, str]]:
        """The BM25 index's term source (what the catalog's FTS table gives the real index)."""
        for source in sources:
            for chunk in self._chunks.get(source, []):
                yield chunk.chunk_id, source, self._terms[chunk.chunk_id]

    def retrieve(self, question: str, k: int | None = None, filters: Filters | None = None,
                 terms: Sequence[str] | None = None) -> Retrieval:
        k = k or 8
        allowed = filters.admitted(self.articles) if filters else None
        if allowed is not None and not allowed:
            return Retrieval([])
        pool = candidate_pool(k)
        vector = self.embedder.embed_query(question)
        candidates = [c for s, chunks in self._chunks.items() if allowed is None or s in allowed for c in chunks]
        sims = [(c.chunk_id, float(self._vectors[c.chunk_id] @ vector)) for c in candidates]
        dense = sorted(sims, key=lambda pair: -pair[1])[:pool]
        lexical = self.lexical.search(query_terms(question) if terms is None else terms, pool, sources=allowed)
        by_id = {c.chunk_id: c for c in candidates}
        return Retrieval(fuse(dense, lexical, by_id, self.articles, k), vector)

    def article_text(self, source: str) -> str:
        return self._texts.get(source, "")

    def article_forms(self, source: str) -> tuple[str, list[StoredSentence]]:
        return self._forms.get(source, ("", []))

    def chunks_of(self, source: str) -> list[StoredChunk]:
        return self._chunks.get(source, [])

    def article_pages(self, source: str) -> tuple[tuple[int, int], ...]:
        return self._pages.get(source, ())

    def passage_vectors(self, chunk_ids: list[str]) -> dict[str, np.ndarray]:
        return {cid: self._vectors[cid] for cid in chunk_ids if cid in self._vectors}

    def sources_with_all(self, terms: Iterable[str]) -> set[str]:
        return self.lexical.sources_with_all(terms)

    def document_frequencies(self, terms: Iterable[str]) -> tuple[dict[str, int], int]:
        return self.lexical.document_frequencies(terms)

    def best_sources(self, terms: Sequence[str], limit: int, among: set[str]) -> list[str]:
        owner = {c.chunk_id: s for s, chunks in self._chunks.items() for c in chunks}
        hits = self.lexical.search(terms, limit * 3, sources=among)
        return list(dict.fromkeys(owner[cid] for cid, _score in hits))[:limit]

