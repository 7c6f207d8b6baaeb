"""Readers' feedback on answers (👍/👎, an optional comment), kept in the index's SQLite file beside the
catalog (table `feedback`, created with the catalog's schema): the question, the answer and its
citations as they were shown, so a rating can be read without the chat it came from."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

from assistant.errors import InvalidInput
from assistant.text.plain import clean_text

RATINGS = ("up", "down")
MAX_COMMENT = 2000       # characters of a feedback comment
MAX_FEEDBACK_TEXT = 20000  # characters of the question, the answer and each citation field kept with it
MAX_FEEDBACK_CITATIONS = 50


class FeedbackStore:
    """The feedback table's reads and writes; mixed into `Catalog`, which owns the connection."""

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def _query(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        raise NotImplementedError

    def add_feedback(self, rating: str, comment: str, question: str, answer: str, citations: list[dict]) -> int:
        """Store one reader's rating ('up' or 'down', else `InvalidInput`) of an answer; returns its id.
        Texts are stored without control or bidi override characters and capped (the comment at
        `MAX_COMMENT` characters, the rest at `MAX_FEEDBACK_TEXT`)."""
        if rating not in RATINGS:
            raise InvalidInput(f"Đánh giá không hợp lệ ('{str(rating)[:20]}'): chỉ nhận 'up' (hữu ích) "
                               f"hoặc 'down' (chưa đúng).")
        kept = [{str(k): v[:MAX_FEEDBACK_TEXT] if isinstance(v, str) else v for k, v in c.items()}
                for c in (citations or [])[:MAX_FEEDBACK_CITATIONS] if isinstance(c, dict)]
        row = (time.time(), rating, clean_text(comment).strip()[:MAX_COMMENT],
               clean_text(question).strip()[:MAX_FEEDBACK_TEXT], clean_text(answer)[:MAX_FEEDBACK_TEXT],
               json.dumps(kept, ensure_ascii=False, default=str))
        with self.transaction() as db:
            cursor = db.execute("INSERT INTO feedback (created_at, rating, comment, question, answer, citations) "
                                "VALUES (?, ?, ?, ?, ?, ?)", row)
        return int(cursor.lastrowid or 0)

    def comment_feedback(self, feedback_id: int, comment: str) -> bool:
        """Add the reader's comment to a rating given a moment ago; False when there is no such rating."""
        with self.transaction() as db:
            cursor = db.execute("UPDATE feedback SET comment = ? WHERE id = ?",
                                (clean_text(comment).strip()[:MAX_COMMENT], int(feedback_id)))
        return cursor.rowcount == 1

    def rate_feedback(self, feedback_id: int, rating: str | None) -> bool:
        """A reader changing their mind: another rating for the same answer, or None to take it back."""
        if rating is not None and rating not in RATINGS:
            raise InvalidInput(f"Đánh giá không hợp lệ ('{str(rating)[:20]}').")
        with self.transaction() as db:
            if rating is None:
                cursor = db.execute("DELETE FROM feedback WHERE id = ?", (int(feedback_id),))
            else:
                cursor = db.execute("UPDATE feedback SET rating = ? WHERE id = ?", (rating, int(feedback_id)))
        return cursor.rowcount == 1

    def feedback(self, limit: int = 100) -> list[dict]:
        """The latest feedback, newest first: id, created_at (epoch seconds), rating, comment, question,
        answer and citations (the list given). Empty for an index opened read-only from before the table."""
        if not self._query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'feedback'"):
            return []
        rows = self._query("SELECT id, created_at, rating, comment, question, answer, citations FROM feedback "
                           "ORDER BY id DESC LIMIT ?", (max(0, int(limit)),))
        keys = ("id", "created_at", "rating", "comment", "question", "answer", "citations")
        return [dict(zip(keys, (*r[:6], json.loads(r[6] or "[]")), strict=True)) for r in rows]
