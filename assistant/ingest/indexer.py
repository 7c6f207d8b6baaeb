"""Incremental ingest: bring the index in line with the sources folder, safely.

New files are added, changed ones (content hash) re-indexed, deleted ones removed from both the
vector store and the lexical index. An article is indexed all-or-nothing: it is marked `pending`
in the catalog before its vectors are written, and its chunks, lexical terms and `done` status
are committed in one transaction afterwards. A killed run leaves `pending` rows that the next run
redoes; vector ids are deterministic, so nothing is duplicated. A cheap count check at start
catches anything else (vectors without a catalog row, or the reverse) and repairs it.
"""

from __future__ import annotations

import fcntl
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from assistant.config import Settings
from assistant.embedding.encoder import ChromaEmbedding, Embedder
from assistant.errors import IndexLocked, IndexMissing, IndexUnwritable, Rejected
from assistant.facts.extract import extract_facts
from assistant.facts.model import ProgramFacts
from assistant.index.catalog import ArticleRow, Catalog
from assistant.index.store import VectorStore
from assistant.ingest.chunking import Chunk, chunk_text
from assistant.ingest.loading import Article, check_size, discover, file_hash, load_bytes, source_name
from assistant.text.sentences import split_sentences

# Bump when loading, fact extraction or chunking changes, so existing indexes are rebuilt.
PIPELINE_VERSION = "17"   # 17: filter values on each vector; a collection per index; DOCX pages

# An article ready to write: its facts, its chunks, whether it replaces an indexed one, (size, mtime_ns).
_Prepared = tuple[Article, ProgramFacts, list[Chunk], bool, tuple[int, int]]


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    unchanged: int = 0
    chunks_written: int = 0
    total_articles: int = 0
    total_chunks: int = 0
    seconds: float = 0.0
    facts: dict[str, ProgramFacts] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return 2 if self.rejected else 0

    def summary(self) -> str:
        return (f"Xong: thêm {len(self.added)}, cập nhật {len(self.updated)}, xóa {len(self.removed)}, "
                f"bị từ chối {len(self.rejected)}, không đổi {self.unchanged}; {self.chunks_written} đoạn mới; "
                f"chỉ mục có {self.total_articles} bài, {self.total_chunks} đoạn; {self.seconds:.1f} giây.")


_process_lock = threading.Lock()


@contextmanager
def index_lock(index_dir: Path) -> Iterator[None]:
    """One writer per index, across processes (flock) and threads."""
    index_dir = Path(index_dir)
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        handle = open(index_dir / ".lock", "a+")  # noqa: SIM115 (closed by the `with` below, after the lock)
    except OSError as exc:
        raise IndexUnwritable(f"Không ghi được vào thư mục chỉ mục {index_dir} ({exc.strerror}). Hãy kiểm tra quyền "
                              f"ghi và dung lượng đĩa, hoặc chọn thư mục khác bằng --index.") from exc
    with _process_lock, handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IndexLocked(f"Chỉ mục {index_dir} đang được một tiến trình khác cập nhật. Hãy chờ tiến trình "
                              f"đó xong rồi chạy lại.") from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def not_articles(settings: Settings) -> tuple[Path, ...]:
    """Folders ingest must skip should they lie inside the sources folder: the trash of deleted
    articles (a sources folder equal to the index folder holds it) and the index folder itself
    (its database and vector files are not articles)."""
    return Path(settings.trash_dir), Path(settings.index_dir)


def analyse_article(article: Article, settings: Settings) -> tuple[ProgramFacts, list[Chunk]]:
    """An article's facts and passages; its sentences are split once, for both."""
    sentences = split_sentences(article.text)
    facts = extract_facts(article.text, article.header, article.title, article.url, sentences)
    chunks = chunk_text(article.source, article.text, settings.chunk_sentences, settings.chunk_overlap,
                        settings.chunk_max_chars, sentences)
    return facts, chunks


class Indexer:
    """Owns the catalog, the vector store and (lazily) the embedding model for one index."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.settings = settings
        self._embedder = embedder
        self._embedder_lock = threading.Lock()
        self.catalog = Catalog(Path(settings.index_dir) / "catalog.sqlite3")
        self.catalog.check()
        self.store = VectorStore(settings, ChromaEmbedding(self.embedder, settings.model, settings.effective_precision),
                                 owner=self.catalog.index_id())

    def check_current(self) -> None:
        """For commands that only read (ask, programs): an index built by an earlier pipeline lacks
        what the query path reads (stored sentence forms), and an index of another model cannot be
        searched with this one; say to run ingest rather than answer wrongly."""
        if not self.catalog.article_count():
            return
        if self.catalog.get_meta("pipeline") != PIPELINE_VERSION or \
                self.catalog.get_meta("model") != self.settings.embedding_key:
            raise IndexMissing(f"Chỉ mục {self.settings.index_dir} được lập bởi phiên bản trước hoặc bằng mô hình "
                               f"khác. Hãy chạy `python -m assistant ingest` để cập nhật (bài viết không mất).")

    def embedder(self) -> Embedder:
        with self._embedder_lock:
            if self._embedder is None:
                self._embedder = Embedder(self.settings)
            return self._embedder

    def close(self) -> None:
        self.catalog.close()

    def __enter__(self) -> Indexer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ whole-folder ingest

    def ingest(self, progress: bool = False) -> IngestReport:
        started = time.monotonic()
        report = IngestReport()
        with index_lock(self.settings.index_dir):
            known = self._prepare()
            sources_dir = Path(self.settings.sources_dir)
            found = discover(sources_dir, not_articles(self.settings)) if sources_dir.is_dir() else []
            files = {source_name(p, sources_dir): p for p in found}

            gone = [s for s in known if s not in files]
            if gone:
                self._remove(gone)
                report.removed.extend(gone)

            todo = []
            for source, path in files.items():
                row = known.get(source)
                try:
                    stat = path.stat()
                except OSError as exc:
                    report.rejected.append((source, f"không đọc được tệp ({exc.strerror})"))
                    continue
                if row and row.status == "done" and row.size == stat.st_size and row.mtime_ns == stat.st_mtime_ns:
                    report.unchanged += 1
                else:
                    todo.append((source, path, stat, row))
            self._process(todo, report, progress)
            report.total_articles = self.catalog.article_count()
            report.total_chunks = self.catalog.chunk_total()
        report.seconds = time.monotonic() - started
        return report

    def _prepare(self) -> dict[str, ArticleRow]:
        """Re-embed on a model change, re-extract on a pipeline change, repair store/catalog drift.

        Returns the catalog's article rows as they are after the repair."""
        if self.catalog.get_meta("model") != self.settings.embedding_key or \
                self.catalog.get_meta("pipeline") != PIPELINE_VERSION:
            self.catalog.mark_all_pending()
            self.catalog.set_meta("model", self.settings.embedding_key)
            self.catalog.set_meta("pipeline", PIPELINE_VERSION)
            self.store.drop_other_models()
        rows = self.catalog.articles()
        done_chunks = sum(r.chunk_count for r in rows.values() if r.status == "done")
        if self.store.count() != done_chunks:
            self._reconcile(rows)
            rows = self.catalog.articles()
        return rows

    def _reconcile(self, rows: dict[str, ArticleRow]) -> None:
        in_store = self.store.all_ids()
        expected: dict[str, str] = {}
        for row in rows.values():
            if row.status == "done":
                for chunk in self.catalog.chunks_of(row.source):
                    expected[chunk.chunk_id] = row.source
        extra = sorted(in_store - set(expected))
        if extra:
            self.store.delete_ids(extra)
        missing_sources = {expected[cid] for cid in set(expected) - in_store}
        if missing_sources:
            self.catalog.mark_pending([(s, rows[s].content_hash, 0, 0) for s in sorted(missing_sources)])

    def _remove(self, sources: list[str]) -> None:
        self.catalog.mark_deleting(sources)
        self.store.delete_sources(sources)
        self.catalog.remove(sources)

    def _process(self, todo: list[tuple[str, Path, os.stat_result, ArticleRow | None]], report: IngestReport,
                 progress: bool) -> None:
        from tqdm import tqdm

        batch: list[_Prepared] = []
        bar = tqdm(total=len(todo), desc="Lập chỉ mục", unit="bài", file=sys.stderr, disable=not progress or not todo,
                   dynamic_ncols=True)
        for source, path, stat, row in todo:
            item = self._prepare_one(source, path, stat, row, report)
            if item is not None:
                batch.append(item)
            if len(batch) >= max(1, self.settings.ingest_batch):
                self._write(batch, report)
                batch = []
            bar.update(1)
        if batch:
            self._write(batch, report)
        bar.close()

    def _prepare_one(self, source: str, path: Path, stat: os.stat_result, row: ArticleRow | None,
                     report: IngestReport) -> _Prepared | None:
        try:
            check_size(stat.st_size, self.settings.max_file_bytes)
            data = path.read_bytes()
            digest = file_hash(data)
            if row and row.status == "done" and row.content_hash == digest:
                self.catalog.touch(source, stat.st_size, stat.st_mtime_ns)
                report.unchanged += 1
                return None
            article = load_bytes(data, source, path.suffix.lower())
        except Rejected as rejected:
            report.rejected.append((source, rejected.reason))
            if row and row.status != "done":  # half-written earlier and now unreadable: take it out
                self._remove([source])
            return None
        except OSError as exc:
            report.rejected.append((source, f"không đọc được tệp ({exc.strerror})"))
            return None
        is_update = row is not None and (row.status == "done" or row.chunk_count > 0)
        return self._analyse(article, stat, is_update)

    def _analyse(self, article: Article, stat: os.stat_result, is_update: bool) -> _Prepared:
        facts, chunks = analyse_article(article, self.settings)
        return article, facts, chunks, is_update, (stat.st_size, stat.st_mtime_ns)

    def _write(self, batch: list[_Prepared], report: IngestReport) -> None:
        """Pending -> vectors -> one catalog transaction. Safe to interrupt at any point."""
        self.catalog.mark_pending([(a.source, a.content_hash, st[0], st[1]) for a, _f, _c, _u, st in batch])
        self.store.delete_sources([a.source for a, *_ in batch])
        ids, texts, metadatas = [], [], []
        for article, facts, chunks, _u, _st in batch:
            metadata = {"source": article.source, **facts.filter_values}
            for chunk in chunks:
                ids.append(chunk.chunk_id(article.content_hash))
                texts.append(chunk.embed_text(facts.context()))
                metadatas.append(metadata)
        if ids:
            vectors = self.embedder().embed_passages(texts)
            self.store.add(ids, vectors, metadatas)
        self.catalog.commit_articles([(a, f, c) for a, f, c, _u, _st in batch])
        for article, facts, chunks, is_update, _st in batch:
            (report.updated if is_update else report.added).append(article.source)
            report.facts[article.source] = facts
            report.chunks_written += len(chunks)


def run_ingest(settings: Settings, progress: bool = False, embedder: Embedder | None = None) -> IngestReport:
    with Indexer(settings, embedder) as indexer:
        return indexer.ingest(progress=progress)
