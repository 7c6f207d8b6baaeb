"""Retrieval without an index: reciprocal rank fusion of the dense and lexical rankings, and the UI's
filters (place, agency, year) as the set of articles they admit."""

from __future__ import annotations

from assistant.answers.corpus import RRF_K, Filters
from assistant.answers.retrieval import fuse
from assistant.facts.model import DateValue, Place, ProgramFacts
from assistant.index.catalog import ArticleRow, StoredChunk


def chunk(cid: str, source: str, text: str) -> StoredChunk:
    return StoredChunk(cid, source, 0, 0, len(text), text, ((0, len(text)),))


CHUNKS = {c.chunk_id: c for c in [
    chunk("a1", "a.txt", "Ban Dân vận ký kết với Công an tỉnh."),
    chunk("b1", "b.txt", "Hội nghị ký kết quy chế phối hợp."),
    chunk("c1", "c.txt", "Hội nghị   ký kết quy chế phối hợp."),   # b1's text under another file name
    chunk("d1", "d.txt", "Hai bên thống nhất năm nội dung."),
    chunk("z1", "gone.txt", "Một bài đã bị xóa khỏi chỉ mục."),
]}
ARTICLES = {"a.txt", "b.txt", "c.txt", "d.txt"}


def test_fusion_adds_both_rankings_and_keeps_the_cosine():
    hits = fuse([("a1", 0.9), ("b1", 0.8)], [("b1", 7.0), ("d1", 5.0)], CHUNKS, ARTICLES, k=10)
    assert [h.chunk.chunk_id for h in hits] == ["b1", "a1", "d1"]   # b1 is in both rankings
    assert hits[0].score == 1 / (RRF_K + 2) + 1 / (RRF_K + 1)
    assert hits[1].similarity == 0.9 and hits[2].similarity is None  # d1 came from BM25 only


def test_fusion_drops_unknown_and_removed_passages_and_repeated_text():
    hits = fuse([("z1", 0.99), ("c1", 0.7)], [("missing", 9.0), ("b1", 8.0), ("d1", 1.0)], CHUNKS, ARTICLES, k=10)
    ids = [h.chunk.chunk_id for h in hits]
    assert "z1" not in ids and "missing" not in ids           # a deleted article, an id the catalog lacks
    assert len({" ".join(h.chunk.text.split()) for h in hits}) == len(hits) == 2
    # an id the catalog lacks takes no lexical rank: b1 is first of the lexical list
    assert hits[0].chunk.chunk_id == "b1" and hits[0].score == 1 / (RRF_K + 1)


def test_fusion_keeps_k():
    dense = [(cid, 0.5) for cid in ("a1", "b1", "d1")]
    assert len(fuse(dense, [], CHUNKS, ARTICLES, k=2)) == 2


def row(source: str, facts: ProgramFacts) -> ArticleRow:
    return ArticleRow(source, "h", "done", 1, 0, facts.title, "", 1, facts)


ROWS = {
    "a.txt": row("a.txt", ProgramFacts(place=Place("Phú Yên", "huyện Sơn Hòa"), parties=("Ban Dân vận Huyện ủy",),
                                       event_date=DateValue(4, 5, 2023), period="2023-2026")),
    "b.txt": row("b.txt", ProgramFacts(place=Place("Đắk Nông"), parties=("Công an tỉnh",),
                                       event_date=DateValue(2, 8, 2021))),
}


def test_filters_admit_by_place_agency_and_year():
    assert Filters().admitted(ROWS) is None                                   # restricts nothing
    assert Filters(provinces=("Son Hoa",)).admitted(ROWS) == {"a.txt"}        # a district, without marks
    assert Filters(parties=("Công an",)).admitted(ROWS) == {"b.txt"}
    assert Filters(years=(2025,)).admitted(ROWS) == {"a.txt"}                 # inside the period
    assert Filters(provinces=("Đắk Nông",), years=(2025,)).admitted(ROWS) == set()
