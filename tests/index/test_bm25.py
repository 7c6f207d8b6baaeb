"""The in-memory BM25 index of the query path: same ranking as SQLite FTS5's bm25(), kept in step
with the catalog incrementally (only changed articles are read), restricted search, empty index."""

from __future__ import annotations

import random
import sqlite3

import pytest

from assistant.index.bm25 import Bm25Index


class Terms:
    """A catalog stand-in holding passages' terms; records which articles were read."""

    def __init__(self, articles: dict[str, list[str]]):
        self.articles = articles  # source -> passages (space-separated terms)
        self.reads: list[str] = []

    def versions(self) -> dict[str, str]:
        return {s: str(hash(tuple(p))) for s, p in self.articles.items()}

    def chunk_terms(self, sources):
        for source in sorted(sources):
            self.reads.append(source)
            for i, text in enumerate(self.articles[source]):
                yield f"{source}#{i}", source, text


def corpus(seed: int = 3, articles: int = 40) -> dict[str, list[str]]:
    rng = random.Random(seed)
    common = ["chuong_trinh", "phoi_hop", "ky_ket", "ban", "tuyen_giao", "nam", "2025"]
    rare = [f"w{i}" for i in range(300)]
    return {f"a{n:03d}.txt": [" ".join(rng.choices(common, k=rng.randint(3, 12)) + rng.choices(rare, k=rng.randint(5, 40)))
                              for _ in range(rng.randint(1, 5))] for n in range(articles)}


def fts5_ranking(articles: dict[str, list[str]], terms: list[str], k: int) -> list[tuple[str, float]]:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(cid UNINDEXED, terms, tokenize = \"unicode61 tokenchars '_'\")")
    for source, passages in articles.items():
        db.executemany("INSERT INTO t VALUES (?, ?)", [(f"{source}#{i}", p) for i, p in enumerate(passages)])
    match = " OR ".join(f'"{t}"' for t in terms)
    rows = db.execute("SELECT cid, bm25(t) FROM t WHERE t MATCH ? ORDER BY bm25(t), rowid LIMIT ?", (match, k))
    return [(cid, -score) for cid, score in rows]


@pytest.mark.parametrize("query", [["w7", "w12"], ["tuyen_giao", "w3", "w250", "khong_co"], ["w42"],
                                   ["chuong_trinh", "phoi_hop", "w100"]])
def test_scores_match_sqlite_fts5_bm25(query):
    articles = corpus()
    source = Terms(articles)
    index = Bm25Index()
    index.sync(source, source.versions())
    ours = index.search(query, 15)
    theirs = fts5_ranking(articles, query, 15)
    assert [cid for cid, _ in ours] == [cid for cid, _ in theirs]
    assert [round(s, 4) for _, s in ours] == pytest.approx([round(s, 4) for _, s in theirs], rel=1e-4)


def test_sync_reads_only_changed_articles_and_forgets_removed_ones():
    articles = corpus()
    source = Terms(articles)
    index = Bm25Index()
    assert index.sync(source, source.versions()) == (0, 40)
    assert len(index) == sum(len(p) for p in articles.values())

    source.reads.clear()
    assert index.sync(source, source.versions()) == (0, 0) and source.reads == []

    # one article changes, one disappears, one arrives
    articles["a005.txt"] = ["zzz_new_term ban"]
    del articles["a010.txt"]
    articles["b999.txt"] = ["w7 w7 w7 only_here"]
    assert index.sync(source, source.versions()) == (2, 2)
    assert sorted(set(source.reads)) == ["a005.txt", "b999.txt"]

    assert [cid for cid, _ in index.search(["zzz_new_term"], 5)] == ["a005.txt#0"]
    assert index.search(["only_here"], 5)[0][0] == "b999.txt#0"
    assert not any(cid.startswith("a010.txt") for cid, _ in index.search([f"w{i}" for i in range(300)], 10_000))
    # after in-place updates the ranking is that of an index built from scratch
    fresh = Bm25Index()
    fresh.sync(Terms(articles), Terms(articles).versions())
    for query in (["w7", "w12"], ["ban", "w3"], ["tuyen_giao", "w250"]):
        updated, rebuilt = dict(index.search(query, 10_000)), dict(fresh.search(query, 10_000))
        assert updated.keys() == rebuilt.keys()
        assert [updated[c] for c in sorted(updated)] == pytest.approx([rebuilt[c] for c in sorted(rebuilt)], rel=1e-5)
    assert index.document_frequencies(["w7", "nothing"]) == fresh.document_frequencies(["w7", "nothing"])
    assert index.document_frequencies(["nothing"]) == ({}, len(fresh))


def test_search_restricted_to_articles_and_edge_cases():
    articles = corpus()
    source = Terms(articles)
    index = Bm25Index()
    assert index.search(["w1"], 5) == []  # empty index
    index.sync(source, source.versions())
    allowed = {"a001.txt", "a002.txt"}
    hits = index.search(["ban", "w1", "w2"], 50, sources=allowed)
    assert hits and {cid.split("#")[0] for cid, _ in hits} <= allowed
    assert index.search(["ban"], 5, sources={"not-indexed.txt"}) == []
    assert index.search([], 5) == [] and index.search(["", "unknown"], 5) == []
    assert index.search(["ban"], 0) == []
    # scores are best first and deterministic
    hits = index.search(["ban", "w1"], 30)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    assert hits == index.search(["w1", "ban"], 30)

    index.sync(source, {})  # every article removed
    assert len(index) == 0 and index.search(["ban"], 5) == []

