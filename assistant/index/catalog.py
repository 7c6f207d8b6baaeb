"""The local catalog: article manifest, chunk texts and the BM25 lexical index, in one SQLite file.

The answer layer's matching forms are stored here too (each sentence's words folded and with
their marks, each article's whole matching form), so the query path reads them instead of
analysing text again.

Keeping the manifest and the lexical index in one database means one transaction updates both:
an article's chunks, its lexical terms and its `done` status appear together or not at all.
Before an article's vectors are written to Chroma it is marked `pending`; a run that finds
`pending` or `deleting` rows (a killed ingest) simply redoes them. The lexical terms (pre-segmented,
folded, see `lexical`) are kept in an FTS5 table, updated in place: it answers phrase checks and
feeds the in-memory BM25 index of the query path (`bm25`).

Readers' feedback on answers (👍/👎, a comment, the question, the answer and its citations) is kept
in a `feedback` table of the same file; ingest never touches it.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import IndexCorrupt, IndexLocked, IndexUnwritable
from assistant.facts.model import ProgramFacts
from assistant.index.feedback import FeedbackStore
from assistant.index.lexical import article_form, index_terms, sentence_forms
from assistant.text.sentences import distinct_spans

if TYPE_CHECKING:  # typing only: the index does not depend on the ingest stage at run time
    from assistant.ingest.chunking import Chunk
    from assistant.ingest.loading import Article

SCHEMA_VERSION = "1"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    source TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'deleting')),
    size INTEGER NOT NULL DEFAULT 0,
    mtime_ns INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    facts TEXT NOT NULL DEFAULT '{}',
    chunk_count INTEGER NOT NULL DEFAULT 0,
    indexed_at REAL NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY,
    chunk_id TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    position INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    sentences TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_by_source ON chunks(source);
CREATE TABLE IF NOT EXISTS sentences (
    source TEXT NOT NULL,
    position INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    folded TEXT NOT NULL,
    accented TEXT NOT NULL,
    PRIMARY KEY (source, position)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS article_forms (source TEXT PRIMARY KEY, folded TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS article_pages (
    source TEXT NOT NULL,
    page INTEGER NOT NULL,
    start INTEGER NOT NULL,
    PRIMARY KEY (source, page)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS chunk_terms USING fts5(terms, tokenize = "unicode61 remove_diacritics 0 tokenchars '_'");
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at REAL NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL DEFAULT '',
    citations TEXT NOT NULL DEFAULT '[]'
);
"""


@dataclass(frozen=True)
class ArticleRow:
    source: str
    content_hash: str
    status: str
    size: int
    mtime_ns: int
    title: str
    url: str
    chunk_count: int
    facts: ProgramFacts


@dataclass(frozen=True)
class StoredChunk:
    chunk_id: str
    source: str
    position: int
    start: int
    end: int
    text: str
    sentences: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class StoredSentence:
    position: int
    start: int
    end: int
    folded: str       # matching-form words, space-joined
    accented: str     # the same words with their tone marks


@dataclass(frozen=True)
class ArticleRecords:
    """What the catalog stores of one analysed article, besides its text and facts."""

    chunks: list[tuple[StoredChunk, str]]   # each passage with its lexical terms (space-joined)
    sentences: list[StoredSentence]         # each distinct sentence with its matching forms
    form: str                               # the article's matching form (title, URL words, site, text)
    pages: tuple[tuple[int, int], ...] = () # (page number, start offset) of a paged file (PDF)


def article_records(article: Article, facts: ProgramFacts, chunks: list[Chunk]) -> ArticleRecords:
    """Passages with their lexical terms, sentences with their forms, the article's form: computed
    once here, at ingest, and read by the query path (segmentation is the costly part)."""
    stored = [(StoredChunk(chunk.chunk_id(article.content_hash), chunk.source, chunk.position, chunk.start,
                           chunk.end, chunk.text, chunk.sentences),
               " ".join(index_terms(chunk.embed_text(facts.context())))) for chunk in chunks]
    spans = distinct_spans(chunk.sentences for chunk in chunks)
    sentences = [StoredSentence(i, a, b, *sentence_forms(article.text[a:b])) for i, (a, b) in enumerate(spans)]
    return ArticleRecords(stored, sentences, article_form(facts.title, article.url, article.text), article.pages)


def _translate(exc: sqlite3.Error, path: Path) -> Exception:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return IndexLocked(f"Chỉ mục {path.parent} đang bị một tiến trình khác khóa. "
                           f"Hãy chờ tiến trình đó xong rồi chạy lại.")
    if "readonly" in text or "read-only" in text or "unable to open" in text or "disk i/o" in text \
            or "full" in text:
        return IndexUnwritable(f"Không ghi được chỉ mục {path.parent} ({exc}). Hãy kiểm tra quyền ghi và "
                               f"dung lượng đĩa, hoặc chọn thư mục khác bằng --index.")
    return IndexCorrupt(f"Chỉ mục {path.parent} bị hỏng ({exc}). Cách sửa: xóa thư mục {path.parent} rồi chạy "
                        f"lại `python -m assistant ingest` để dựng lại từ các bài viết.")


class Catalog(FeedbackStore):
    """Manifest + chunk store + lexical index. One instance per process; not thread-safe for writes."""

    def __init__(self, path: Path, readonly: bool = False):
        self.path = Path(path)
        self._lock = threading.RLock()  # one connection shared by the UI's worker threads
        try:
            if readonly:
                self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=5,
                                          check_same_thread=False)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(self.path, timeout=5, check_same_thread=False)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
                self.db.executescript(_SCHEMA)
                self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
                self.db.commit()
            schema = self.get_meta("schema")
            if schema not in (None, SCHEMA_VERSION):
                raise IndexCorrupt(f"Chỉ mục {self.path.parent} thuộc phiên bản khác ({schema}). Cách sửa: xóa "
                                   f"thư mục đó rồi chạy lại `python -m assistant ingest`.")
        except sqlite3.Error as exc:
            raise _translate(exc, self.path) from exc
        except OSError as exc:
            raise IndexUnwritable(f"Không tạo được chỉ mục {self.path.parent} ({exc.strerror}). Hãy kiểm tra "
                                  f"quyền ghi hoặc chọn thư mục khác bằng --index.") from exc

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                with self.db:
                    yield self.db
            except sqlite3.Error as exc:
                raise _translate(exc, self.path) from exc

    def _query(self, sql: str, args: Sequence[object] = ()) -> list[Any]:
        with self._lock:
            try:
                return self.db.execute(sql, args).fetchall()
            except sqlite3.Error as exc:
                raise _translate(exc, self.path) from exc

    def check(self) -> None:
        """Quick structural check; raises IndexCorrupt with the fix when the file is damaged."""
        rows = self._query("PRAGMA quick_check")
        if rows and rows[0][0] != "ok":
            raise _translate(sqlite3.DatabaseError(rows[0][0]), self.path)

    # ------------------------------------------------------------ meta

    def get_meta(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def index_id(self) -> str:
        """This index's own name, made once: its vectors' collection carries it, so indexes sharing a
        Chroma server never read, repair or drop each other's vectors."""
        found = self.get_meta("index_id")
        if found is None:   # made once: of two processes opening a new index together, the first wins
            import uuid

            with self.transaction() as db:
                db.execute("INSERT OR IGNORE INTO meta VALUES ('index_id', ?)", (uuid.uuid4().hex[:12],))
                found = db.execute("SELECT value FROM meta WHERE key = 'index_id'").fetchone()[0]
        return str(found)

    # ------------------------------------------------------------ manifest

    def articles(self) -> dict[str, ArticleRow]:
        rows = self._query("SELECT source, content_hash, status, size, mtime_ns, title, url, chunk_count, facts "
                           "FROM articles ORDER BY source")
        return {r[0]: ArticleRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7],
                                 ProgramFacts.from_dict(json.loads(r[8] or "{}"))) for r in rows}

    def article_count(self) -> int:
        return self._query("SELECT COUNT(*) FROM articles")[0][0]

    def article_text(self, source: str) -> str | None:
        rows = self._query("SELECT text FROM articles WHERE source = ?", (source,))
        return rows[0][0] if rows else None

    def article_forms(self, source: str) -> tuple[str, list[StoredSentence]]:
        """An article's stored matching form and its sentences (see `lexical.sentence_forms`)."""
        form = self._query("SELECT folded FROM article_forms WHERE source = ?", (source,))
        rows = self._query("SELECT position, start, end, folded, accented FROM sentences WHERE source = ? "
                           "ORDER BY position", (source,))
        return (form[0][0] if form else ""), [StoredSentence(*r) for r in rows]

    def article_pages(self, source: str) -> tuple[tuple[int, int], ...]:
        """(page number, start offset) of a paged article (PDF); empty for the others."""
        return tuple((int(p), int(s)) for p, s in self._query(
            "SELECT page, start FROM article_pages WHERE source = ? ORDER BY page", (source,)))

    def mark_pending(self, items: list[tuple[str, str, int, int]]) -> None:
        """(source, content_hash, size, mtime_ns): about to be (re)written to the vector store."""
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO articles (source, content_hash, status, size, mtime_ns) VALUES (?, ?, 'pending', ?, ?) "
                "ON CONFLICT(source) DO UPDATE SET content_hash = excluded.content_hash, status = 'pending', "
                "size = excluded.size, mtime_ns = excluded.mtime_ns", items)

    def mark_deleting(self, sources: list[str]) -> None:
        with self.transaction() as db:
            db.executemany("UPDATE articles SET status = 'deleting' WHERE source = ?", [(s,) for s in sources])

    def mark_all_pending(self) -> None:
        with self.transaction() as db:
            db.execute("UPDATE articles SET status = 'pending' WHERE status = 'done'")

    def touch(self, source: str, size: int, mtime_ns: int) -> None:
        """Same content, new timestamp (a copied or re-saved file): remember it to skip hashing next time."""
        with self.transaction() as db:
            db.execute("UPDATE articles SET size = ?, mtime_ns = ? WHERE source = ?", (size, mtime_ns, source))

    def commit_articles(self, items: Iterable[tuple[Article, ProgramFacts, list[Chunk]]]) -> None:
        """items: (Article, ProgramFacts, list[Chunk]). Chunks, lexical terms and `done` in one transaction."""
        # segmentation happens before the lock is taken
        prepared = [(article, facts, article_records(article, facts, chunks)) for article, facts, chunks in items]
        with self.transaction() as db:
            for article, facts, records in prepared:
                self._delete_chunks(db, article.source)
                for c, terms in records.chunks:
                    cur = db.execute("INSERT INTO chunks (chunk_id, source, position, start, end, text, sentences) "
                                     "VALUES (?, ?, ?, ?, ?, ?, ?)",
                                     (c.chunk_id, c.source, c.position, c.start, c.end, c.text,
                                      json.dumps(c.sentences)))
                    db.execute("INSERT INTO chunk_terms (rowid, terms) VALUES (?, ?)", (cur.lastrowid, terms))
                db.executemany("INSERT INTO sentences VALUES (?, ?, ?, ?, ?, ?)",
                               [(article.source, s.position, s.start, s.end, s.folded, s.accented)
                                for s in records.sentences])
                db.execute("INSERT INTO article_forms VALUES (?, ?)", (article.source, records.form))
                db.executemany("INSERT INTO article_pages VALUES (?, ?, ?)",
                               [(article.source, page, start) for page, start in records.pages])
                db.execute(
                    "UPDATE articles SET status = 'done', title = ?, url = ?, text = ?, facts = ?, chunk_count = ?, "
                    "indexed_at = ? WHERE source = ?",
                    (facts.title, article.url, article.text, facts.to_json(), len(records.chunks), time.time(),
                     article.source))

    @staticmethod
    def _delete_chunks(db: sqlite3.Connection, source: str) -> None:
        db.execute("DELETE FROM chunk_terms WHERE rowid IN (SELECT id FROM chunks WHERE source = ?)", (source,))
        db.execute("DELETE FROM chunks WHERE source = ?", (source,))
        db.execute("DELETE FROM sentences WHERE source = ?", (source,))
        db.execute("DELETE FROM article_forms WHERE source = ?", (source,))
        db.execute("DELETE FROM article_pages WHERE source = ?", (source,))

    def remove(self, sources: list[str]) -> None:
        with self.transaction() as db:
            for source in sources:
                self._delete_chunks(db, source)
                db.execute("DELETE FROM articles WHERE source = ?", (source,))

    # ------------------------------------------------------------ chunks and search

    def chunk_ids(self) -> set[str]:
        return {r[0] for r in self._query("SELECT chunk_id FROM chunks")}

    def chunk_total(self) -> int:
        return self._query("SELECT COUNT(*) FROM chunks")[0][0]

    def chunk_chars(self) -> int:
        return self._query("SELECT COALESCE(SUM(LENGTH(text)), 0) FROM chunks")[0][0]

    def chunks_of(self, source: str) -> list[StoredChunk]:
        rows = self._query("SELECT chunk_id, source, position, start, end, text, sentences FROM chunks "
                           "WHERE source = ? ORDER BY position", (source,))
        return [self._stored(r) for r in rows]

    def chunks_by_id(self, chunk_ids: list[str]) -> dict[str, StoredChunk]:
        if not chunk_ids:
            return {}
        marks = ",".join("?" * len(chunk_ids))
        rows = self._query(f"SELECT chunk_id, source, position, start, end, text, sentences FROM chunks "
                           f"WHERE chunk_id IN ({marks})", tuple(chunk_ids))
        return {r[0]: self._stored(r) for r in rows}

    @staticmethod
    def _stored(row: Sequence[Any]) -> StoredChunk:
        return StoredChunk(row[0], row[1], row[2], row[3], row[4], row[5],
                           tuple(tuple(s) for s in json.loads(row[6])))

    def chunk_terms(self, sources: Collection[str]) -> Iterator[tuple[str, str, str]]:
        """(chunk_id, source, lexical terms) of the passages of these articles, in index order."""
        sources = sorted(sources)
        for i in range(0, len(sources), 500):
            part = sources[i:i + 500]
            marks = ",".join("?" * len(part))
            yield from self._query(f"SELECT c.chunk_id, c.source, t.terms FROM chunks c JOIN chunk_terms t "
                                   f"ON t.rowid = c.id WHERE c.source IN ({marks}) ORDER BY c.source, c.position",
                                   tuple(part))
