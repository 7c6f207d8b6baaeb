"""Readers' feedback is kept in the index's SQLite file: it round-trips (newest first, citations as
given), survives reopening, appears in an index made before the table existed, and is refused with a
Vietnamese message for a rating other than up/down. Stored texts carry no control or bidi override
characters and are capped."""

from __future__ import annotations

import sqlite3

import pytest

from assistant.errors import AssistantError, InvalidInput
from assistant.index.catalog import Catalog
from assistant.index.feedback import MAX_COMMENT, MAX_FEEDBACK_TEXT

CITATIONS = [{"n": 1, "source": "ha_tinh.txt", "title": "Ký kết chương trình phối hợp", "url": "https://x.vn/a",
              "date": "12/04/2024", "quote": "Sáng 12/4, Ban Dân vận Tỉnh ủy và Công an tỉnh ký kết…", "text": "…"}]


@pytest.fixture
def catalog(tmp_path):
    catalog = Catalog(tmp_path / "catalog.sqlite3")
    yield catalog
    catalog.close()


def test_feedback_round_trips_newest_first(catalog):
    first = catalog.add_feedback("up", "Rất hữu ích", "Ai dự lễ ký kết ở Hà Tĩnh?", "Ông Nguyễn Hồng Phong [1]",
                                 CITATIONS)
    second = catalog.add_feedback("down", "", "Kinh phí là bao nhiêu?", "Không tìm thấy thông tin này.", [])
    assert second > first
    newest, oldest = catalog.feedback()
    assert (newest["id"], newest["rating"], newest["citations"]) == (second, "down", [])
    assert {k: oldest[k] for k in ("id", "rating", "comment", "question", "answer", "citations")} == {
        "id": first, "rating": "up", "comment": "Rất hữu ích", "question": "Ai dự lễ ký kết ở Hà Tĩnh?",
        "answer": "Ông Nguyễn Hồng Phong [1]", "citations": CITATIONS}
    assert oldest["created_at"] <= newest["created_at"]
    assert [f["id"] for f in catalog.feedback(limit=1)] == [second]


@pytest.mark.parametrize("rating", ["", "UP", "good", "1", None, "up; DROP TABLE feedback"])
def test_a_bad_rating_is_refused_and_nothing_is_stored(catalog, rating):
    with pytest.raises(InvalidInput) as refused:
        catalog.add_feedback(rating, "x", "q", "a", [])
    assert isinstance(refused.value, AssistantError) and "'up'" in str(refused.value)
    assert catalog.feedback() == []


def test_texts_are_cleaned_and_capped(catalog):
    comment = "Sai\x00 tên\u202e người\u2066 ký\r\nDòng hai\t!" + "x" * 5000
    catalog.add_feedback("down", comment, "Câu hỏi\x1b[31m" + "q" * 30000, "a" * 30000, CITATIONS * 100)
    [stored] = catalog.feedback()
    assert stored["comment"].startswith("Sai tên người ký\nDòng hai\t!") and len(stored["comment"]) == MAX_COMMENT
    assert "\x1b" not in stored["question"] and len(stored["question"]) == MAX_FEEDBACK_TEXT
    assert len(stored["answer"]) == MAX_FEEDBACK_TEXT
    assert 0 < len(stored["citations"]) <= 50


def test_feedback_survives_reopening_and_ingest_style_writes(tmp_path):
    path = tmp_path / "catalog.sqlite3"
    catalog = Catalog(path)
    catalog.add_feedback("up", "", "q", "a", [])
    catalog.mark_all_pending()
    catalog.close()
    again = Catalog(path)
    assert [f["rating"] for f in again.feedback()] == ["up"]
    again.close()


def test_an_index_made_before_the_table_gets_it(tmp_path):
    path = tmp_path / "catalog.sqlite3"
    Catalog(path).close()
    with sqlite3.connect(path) as db:   # as an index written by the version before feedback
        db.execute("DROP TABLE feedback")
    old = Catalog(path, readonly=True)
    assert old.feedback() == []   # read-only: nothing to create, nothing to show
    old.close()
    upgraded = Catalog(path)
    upgraded.add_feedback("down", "thiếu người ký", "q", "a", [])
    assert [f["comment"] for f in upgraded.feedback()] == ["thiếu người ký"]
    upgraded.close()


def test_a_reader_changes_their_mind_on_one_row(catalog):
    first = catalog.add_feedback("up", "", "Câu hỏi?", "Trả lời.", [])
    assert catalog.comment_feedback(first, "rõ ràng") and catalog.rate_feedback(first, "down")
    [row] = catalog.feedback()
    assert (row["id"], row["rating"], row["comment"]) == (first, "down", "rõ ràng")
    assert catalog.rate_feedback(first, None) and catalog.feedback() == []      # taken back
    assert not catalog.rate_feedback(first, "up")                               # nothing left to change
    with pytest.raises(InvalidInput):
        catalog.rate_feedback(first, "meh")
