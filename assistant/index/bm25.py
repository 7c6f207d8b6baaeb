"""In-memory BM25 over the passages' lexical terms, for the query path.

The catalog's FTS5 table stays the durable lexical index (and answers phrase checks), but scoring
BM25 there costs time in proportion to every passage that shares a word with the question, and in
this genre almost every passage says "chương trình phối hợp … ký kết": 40 ms at 2,000 articles and
growing with the corpus. Here the postings live in numpy arrays (compressed sparse rows, one row per
term), so a question costs a few vector additions over the postings of its terms.

The index is loaded once and then kept in step with the catalog by `sync`: articles that are gone
or changed lose their passages, new ones have only theirs read; nothing is re-segmented, and a
question never rebuilds anything. Each sync publishes a new immutable snapshot, so readers never
see a half-updated index.

Scoring is Okapi BM25 (k1 = 1.2, b = 0.75) with the idf of SQLite FTS5: terms found in more than
half of the passages get a negligible weight instead of a negative one.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

K1 = 1.2
B = 0.75
_FLOOR_IDF = 1e-6


class TermSource(Protocol):
    def chunk_terms(self, sources: Collection[str]) -> Iterable[tuple[str, str, str]]:
        """(chunk_id, source, space-separated terms) of the passages of these articles."""


@dataclass(frozen=True)
class _Snapshot:
    chunk_ids: list[str]          # per passage
    doc_source: np.ndarray        # per passage: index into `sources`
    sources: list[str]
    source_index: dict[str, int]
    doc_len: np.ndarray           # per passage: number of terms (float32)
    norm: np.ndarray              # per passage: K1 * (1 - B + B * len / avg len)
    indptr: np.ndarray            # per term id: postings slice [indptr[t], indptr[t + 1])
    post_doc: np.ndarray          # passage index of each posting (int32)
    post_tf: np.ndarray           # term frequency of each posting (float32)

    @property
    def size(self) -> int:
        return len(self.chunk_ids)


def _empty(vocab_size: int = 0) -> _Snapshot:
    return _Snapshot([], np.zeros(0, np.int32), [], {}, np.zeros(0, np.float32), np.zeros(0, np.float32),
                     np.zeros(vocab_size + 1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.float32))


class Bm25Index:
    def __init__(self) -> None:
        self._vocab: dict[str, int] = {}
        self._loaded: dict[str, str] = {}  # source -> content hash of what is indexed
        self._snap = _empty()
        self._lock = threading.Lock()
        self._sources_cache: dict = {}

    def __len__(self) -> int:
        return self._snap.size

    # ------------------------------------------------------------ keeping in step with the catalog

    def sync(self, catalog: TermSource, articles: dict[str, str]) -> tuple[int, int]:
        """Make the index hold exactly the passages of `articles` (source -> content hash).
        Returns (articles dropped, articles read)."""
        with self._lock:
            stale = {s for s, h in self._loaded.items() if articles.get(s) != h}
            fresh = sorted(s for s, h in articles.items() if self._loaded.get(s) != h)
            if not stale and not fresh:
                return 0, 0
            old = self._snap
            # passages kept from the current snapshot
            keep_source = np.array([s not in stale for s in old.sources], dtype=bool)
            keep_doc = keep_source[old.doc_source] if old.size else np.zeros(0, bool)
            new_index = np.cumsum(keep_doc, dtype=np.int64) - 1
            old_terms = np.repeat(np.arange(len(old.indptr) - 1, dtype=np.int32), np.diff(old.indptr))
            kept_post = keep_doc[old.post_doc] if len(old.post_doc) else np.zeros(0, bool)

            sources = [s for s, keep in zip(old.sources, keep_source, strict=True) if keep]
            source_index = {s: i for i, s in enumerate(sources)}
            chunk_ids = [cid for cid, keep in zip(old.chunk_ids, keep_doc, strict=True) if keep]
            doc_source = list((np.cumsum(keep_source) - 1)[old.doc_source[keep_doc]])
            doc_len = list(old.doc_len[keep_doc])

            add_terms, add_docs, add_tf = [], [], []
            for chunk_id, source, text in catalog.chunk_terms(fresh):
                if source not in source_index:
                    source_index[source] = len(sources)
                    sources.append(source)
                counts = Counter(text.split())
                doc = len(chunk_ids)
                chunk_ids.append(chunk_id)
                doc_source.append(source_index[source])
                doc_len.append(sum(counts.values()))
                for term, tf in counts.items():
                    tid = self._vocab.get(term)
                    if tid is None:
                        tid = self._vocab[term] = len(self._vocab)
                    add_terms.append(tid)
                    add_docs.append(doc)
                    add_tf.append(tf)

            terms = np.concatenate([old_terms[kept_post], np.asarray(add_terms, np.int32)])
            docs = np.concatenate([new_index[old.post_doc[kept_post]].astype(np.int32),
                                   np.asarray(add_docs, np.int32)])
            tfs = np.concatenate([old.post_tf[kept_post], np.asarray(add_tf, np.float32)])
            order = np.argsort(terms, kind="stable")
            indptr = np.zeros(len(self._vocab) + 1, np.int64)
            np.cumsum(np.bincount(terms, minlength=len(self._vocab)), out=indptr[1:])
            lengths = np.asarray(doc_len, np.float32)
            avg = float(lengths.mean()) if len(lengths) else 1.0
            norm = (K1 * (1.0 - B + B * lengths / max(avg, 1e-9))).astype(np.float32)
            self._snap = _Snapshot(chunk_ids, np.asarray(doc_source, np.int32), sources, source_index, lengths, norm,
                                   indptr, docs[order], tfs[order])
            for source in stale:
                self._loaded.pop(source, None)
            for source in fresh:
                self._loaded[source] = articles[source]
            return len(stale), len(fresh)

    # ------------------------------------------------------------ queries

    def document_frequencies(self, terms: Iterable[str]) -> tuple[dict[str, int], int]:
        """(term -> number of passages containing it, number of passages)."""
        snap = self._snap
        result = {}
        for term in terms:
            tid = self._vocab.get(term)
            if tid is not None and tid + 1 < len(snap.indptr):
                df = int(snap.indptr[tid + 1] - snap.indptr[tid])
                if df:
                    result[term] = df
        return result, snap.size

    def sources_with_all(self, terms: Iterable[str]) -> set[str]:
        """Articles whose passages, together, contain every one of these terms."""
        snap = self._snap
        postings = []
        for term in dict.fromkeys(terms):
            tid = self._vocab.get(term)
            if tid is None or tid + 1 >= len(snap.indptr) or snap.indptr[tid] == snap.indptr[tid + 1]:
                return set()
            postings.append((int(snap.indptr[tid + 1] - snap.indptr[tid]), tid))
        if not postings:
            return set()
        found: np.ndarray | None = None
        for _df, tid in sorted(postings):   # rarest first: the intersection shrinks fastest
            sources = self._term_sources(snap, tid)
            found = sources if found is None else np.intersect1d(found, sources, assume_unique=True)
            if not len(found):
                return set()
        return {snap.sources[i] for i in found} if found is not None else set()

    def _term_sources(self, snap: _Snapshot, tid: int) -> np.ndarray:
        """The articles (source indexes) whose passages have the term; the genre's common words come
        up in most questions, so their arrays are kept for the snapshot's lifetime (bounded)."""
        cache = self._sources_cache
        if cache.get("snapshot") is not snap:
            cache.clear()
            cache["snapshot"] = snap
        found = cache.get(tid)
        if found is None:
            docs = snap.post_doc[snap.indptr[tid]:snap.indptr[tid + 1]]
            found = np.unique(snap.doc_source[docs])
            if len(cache) < 4096:
                cache[tid] = found
        return found

    def search(self, terms: Iterable[str], k: int = 20,
               sources: Collection[str] | None = None) -> list[tuple[str, float]]:
        """(chunk_id, BM25 score), best first, among passages sharing a term with the query;
        restricted to the passages of `sources` when given."""
        snap = self._snap
        n = snap.size
        if n == 0 or k <= 0:
            return []
        scores = np.zeros(n, np.float32)
        matched = False
        for term in dict.fromkeys(t for t in terms if t):
            tid = self._vocab.get(term)
            if tid is None or tid + 1 >= len(snap.indptr):
                continue
            start, end = int(snap.indptr[tid]), int(snap.indptr[tid + 1])
            if start == end:
                continue
            df = end - start
            idf = math.log((n - df + 0.5) / (df + 0.5))
            idf = idf if idf > 0 else _FLOOR_IDF
            docs, tf = snap.post_doc[start:end], snap.post_tf[start:end]
            scores[docs] += idf * tf * (K1 + 1.0) / (tf + snap.norm[docs])
            matched = True
        if not matched:
            return []
        if sources is not None:
            wanted = [snap.source_index[s] for s in sources if s in snap.source_index]
            scores[~np.isin(snap.doc_source, np.asarray(wanted, np.int32))] = 0.0
        candidates = np.flatnonzero(scores > 0)
        if len(candidates) > k:
            candidates = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
        # best first; equal scores in passage order, so results are deterministic
        candidates = candidates[np.lexsort((candidates, -scores[candidates]))]
        return [(snap.chunk_ids[i], float(scores[i])) for i in candidates]
