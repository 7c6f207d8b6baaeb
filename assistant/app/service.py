"""The assistant as one object: an open index, the model loaded once, retrieval and answering.

The CLI and the UI are clients of `Assistant`; neither reaches into the stages below it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.answers import Answer, Answerer, Conversation
from assistant.answers.retrieval import Filters, Retriever
from assistant.config import Settings
from assistant.embedding.encoder import Embedder
from assistant.ingest.indexer import Indexer, IngestReport

if TYPE_CHECKING:
    from assistant.app.uploads import TrashEntry

# What `delete` and `restore` say after the article's name (the UI shows them as they are).
DELETED = "đã xóa khỏi chỉ mục và chuyển vào thùng rác; có thể khôi phục"
RESTORED = "đã khôi phục và lập chỉ mục lại"


class Assistant:
    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.settings = settings
        self.indexer = Indexer(settings, embedder)
        self.retriever = Retriever(self.indexer.catalog, self.indexer.store,
                                   lambda q: self.indexer.embedder().embed_query(q), k=settings.top_k)
        self.answerer = Answerer(self.retriever)
        self._llm = None
        self._ingest_lock = threading.Lock()
        if settings.llm_base_url:
            from assistant.answers.llm import LLMAnswerer

            self._llm = LLMAnswerer(settings, self.answerer)

    def warm_up(self) -> None:
        """Load the embedding model now rather than on the first question."""
        self.indexer.embedder().embed_query("khởi động")

    def ingest(self, progress: bool = False) -> IngestReport:
        with self._ingest_lock:
            report = self.indexer.ingest(progress=progress)
        self.retriever.refresh()
        return report

    def ask(self, question: str, conversation: Conversation | None = None, filters: Filters | None = None) -> Answer:
        if self._llm is not None:
            return self._llm.ask(question, conversation, filters)
        return self.answerer.answer(question, conversation, filters)

    def stream(self, question: str, conversation: Conversation | None = None,
               filters: Filters | None = None) -> Iterator[str | Answer]:
        """Text pieces as they are produced, then the final `Answer` (whose text is authoritative)."""
        if self._llm is not None:
            yield from self._llm.stream(question, conversation, filters)
            return
        answer = self.answerer.answer(question, conversation, filters)
        yield from answer.answer.splitlines(keepends=True)
        yield answer

    # ------------------------------------------------------------ articles (the UI's corpus panel)

    def programs(self) -> list:
        """Indexed articles (catalog rows with their facts), as the retriever sees them."""
        return list(self.retriever.articles.values())

    def upload_file(self, path: Path) -> tuple[bool, str]:
        """Store and index a file the user chose (checked for size before it is read)."""
        from assistant.errors import Rejected
        from assistant.ingest.loading import check_size

        try:
            check_size(path.stat().st_size, self.settings.max_file_bytes)
        except Rejected as rejected:
            return False, f"{path.name}: bị từ chối — {rejected.reason}"
        return self.upload(path.name, path.read_bytes())

    def upload(self, name: str, data: bytes) -> tuple[bool, str]:
        """Store and index one uploaded file. Returns (ok, Vietnamese message)."""
        from assistant.app.uploads import save_upload
        from assistant.errors import Rejected

        with self._ingest_lock:
            try:
                path, created = save_upload(data, name, self.settings.sources_dir, self.settings.max_file_bytes)
            except Rejected as rejected:
                return False, f"{name}: bị từ chối — {rejected.reason}"
            if not created:
                return True, f"{path.name}: đã có trong kho, không thêm lần nữa"
            report = self.indexer.ingest()
        self.retriever.refresh()
        refused = dict(report.rejected)
        if path.name in refused:
            path.unlink(missing_ok=True)
            return False, f"{name}: bị từ chối — {refused[path.name]}"
        facts = report.facts.get(path.name)
        summary = f" — {facts.title or facts.place.display()}" if facts and (facts.title or facts.place.display()) else ""
        return True, f"{path.name}: đã lập chỉ mục ({report.chunks_written} đoạn){summary}"

    def delete(self, source: str) -> tuple[bool, str]:
        """Move an article to the trash (it can be restored) and take it out of the index."""
        from assistant.app.uploads import move_to_trash
        from assistant.errors import Rejected

        with self._ingest_lock:
            try:
                move_to_trash(source, self.settings.sources_dir, self.settings.trash_dir)
            except Rejected as rejected:
                return False, rejected.reason
            self.indexer.ingest()
        self.retriever.refresh()
        return True, f"{source}: {DELETED}"

    def restore(self, entry: str) -> tuple[bool, str]:
        """Move a trash entry back to the sources folder and index it again."""
        from assistant.app.uploads import move_to_trash, restore_from_trash
        from assistant.errors import Rejected

        with self._ingest_lock:
            try:
                source = restore_from_trash(entry, self.settings.trash_dir, self.settings.sources_dir)
            except Rejected as rejected:
                return False, rejected.reason
            report = self.indexer.ingest()
            refused = dict(report.rejected)
            if source in refused:   # e.g. the size limit was lowered since: back to the trash
                move_to_trash(source, self.settings.sources_dir, self.settings.trash_dir)
        self.retriever.refresh()
        if source in refused:
            return False, f"{source}: không khôi phục được — {refused[source]}"
        return True, f"{source}: {RESTORED}"

    def trash(self) -> list[TrashEntry]:
        """Deleted articles that can be restored, most recently deleted first."""
        from assistant.app.uploads import trash_entries

        return trash_entries(self.settings.trash_dir)

    def feedback(self, rating: str, comment: str, question: str, answer_text: str, citations: list[dict]) -> int:
        """Store a reader's 👍 ('up') or 👎 ('down') on an answer; returns its id. Raises `InvalidInput`
        for another rating."""
        return self.indexer.catalog.add_feedback(rating, comment, question, answer_text, citations)

    def comment_feedback(self, feedback_id: int, comment: str) -> bool:
        return self.indexer.catalog.comment_feedback(feedback_id, comment)

    def rate_feedback(self, feedback_id: int, rating: str | None) -> bool:
        return self.indexer.catalog.rate_feedback(feedback_id, rating)

    def brief(self, sources: list[str]) -> Answer:
        return self.answerer.brief(sources)

    def close(self) -> None:
        self.indexer.close()
