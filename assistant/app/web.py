"""What the web UI's controls do, apart from how they are laid out (`ui.py` lays out and wires).

`WebActions` holds the service and turns each user action (a question, a regeneration, feedback,
an export, an upload, a deletion or restore, a briefing, a whole-article view, an API call) into the
HTML, files and values the page shows. Conversations live in the browser (`chats`), so every handler
takes the browser's chat store and returns the new one. It does not import Gradio, so the same
behaviour is tested without a browser.

Nothing is left behind: files made for download are written under one working folder of this
process, older ones are removed as new ones are made, and the folder goes when the process ends;
uploaded temporaries are deleted once handled, accepted or not.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from assistant.answers import Answer
from assistant.answers.retrieval import Filters
from assistant.app import chats
from assistant.app.briefing import to_docx, to_markdown
from assistant.app.presenting import answer_html, article_html, error_html, esc, question_html, streaming_html
from assistant.app.service import Assistant
from assistant.errors import AssistantError
from assistant.text.folding import fold
from assistant.text.plain import clean_text

log = logging.getLogger("ui")

History = list[dict]
KEEP_DOWNLOADS = 600      # seconds a download folder is kept after a newer one is made


@dataclass(frozen=True)
class Choices:
    """What the filters and pickers offer, from the indexed programs."""

    places: list[str]
    parties: list[str]
    years: list[int]
    programs: list[tuple[str, str]]    # (label, source)
    trash: list[tuple[str, str]]       # (label, entry)

    @property
    def sources(self) -> list[str]:
        return [source for _label, source in self.programs]


@dataclass(frozen=True)
class Downloads:
    html: str
    markdown: Path | None = None
    docx: Path | None = None


def place_key(name: str) -> tuple[str, str]:
    """Places sorted by their name, not their unit word, letter case or marks ("huyện Phú Bình" with P)."""
    words = name.split()
    units = {"tinh", "thanh", "pho", "huyen", "quan", "thi", "xa", "tran", "phuong", "tp", "tp."}
    while len(words) > 1 and fold(words[0]).lower() in units:
        words = words[1:]
    return fold(" ".join(words)).lower(), fold(name).lower()


def _status(ok: bool, message: str) -> str:
    return f'<div class="{"ok" if ok else "rejected"}">{"✓" if ok else "✗"} {esc(message)}</div>'


def _discard(path: Path) -> None:
    """Remove an uploaded temporary (and its folder when Gradio made one just for it)."""
    try:
        path.unlink(missing_ok=True)
        if path.parent.name and not any(path.parent.iterdir()):
            path.parent.rmdir()
    except OSError:
        log.warning("could not remove the uploaded temporary %s", path)


class WebActions:
    def __init__(self, service: Assistant, workdir: Path | None = None):
        self.service = service
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="assistant-ui-"))
        self._cleanup = weakref.finalize(self, shutil.rmtree, self.workdir, True)

    def close(self) -> None:
        self._cleanup()

    # ------------------------------------------------------------ lists (read at each page load)

    def choices(self) -> Choices:
        rows = self.service.programs()
        places = sorted({p for r in rows for p in (r.facts.place.province, r.facts.place.locality) if p}, key=place_key)
        parties = sorted({p for r in rows for p in r.facts.party_kinds()}, key=lambda p: fold(p).lower())
        years: set[int] = set().union(*(r.facts.years() for r in rows))
        programs = [(f"{r.facts.label(r.source)} — {r.source}", r.source)
                    for r in sorted(rows, key=lambda r: place_key(r.facts.label(r.source)))]
        trash = [(f"{t.original} — xóa lúc {time.strftime('%d/%m %H:%M', time.localtime(t.deleted))}", t.name)
                 for t in self.service.trash()]
        return Choices(places, parties, sorted(years), programs, trash)

    def examples(self) -> list[str]:
        from assistant.app.examples import example_questions

        return example_questions(self.service.programs())

    def _places_map(self) -> dict[str, str]:
        return {r.source: r.facts.place.display() for r in self.service.programs()}

    # ------------------------------------------------------------ chat

    def history(self, store: chats.Store) -> History:
        """The chat messages of the current conversation, rendered from the stored turns."""
        places = self._places_map()
        out: History = []
        for turn in chats.turns(chats.valid(store)):
            answer = chats.answer_from_json(turn["answer"])
            out += [{"role": "user", "content": question_html(turn["question"])},
                    {"role": "assistant", "content": answer_html(answer, places)}]
        return out

    def respond(self, question: str, store: chats.Store | None, filters: Filters
                ) -> Iterator[tuple[History, chats.Store]]:
        """The chat as the answer streams in: the question, partial text, then the cited answer. The
        store gains the turn when the answer is complete (a stopped answer is not kept); an error is
        kept as a refused turn saying what happened."""
        store = chats.valid(store)
        yield from self._turn(clean_text(question or "").strip(), store, store, filters)

    def regenerate(self, store: chats.Store | None, filters: Filters) -> Iterator[tuple[History, chats.Store]]:
        """Answer the last question again (after the index changed, or with other filters). The old
        answer is replaced only by a complete new one: stopped or failed, the old one stays."""
        kept = chats.valid(store)
        base, question = chats.drop_last(kept)
        yield from self._turn(question, base, kept, filters)

    def _turn(self, question: str, base: chats.Store, kept: chats.Store, filters: Filters
              ) -> Iterator[tuple[History, chats.Store]]:
        """Ask `question` after the turns of `base`; until an answer is complete the page keeps `kept`."""
        history = self.history(base)
        if not question:
            yield self.history(kept), kept
            return
        history += [{"role": "user", "content": question_html(question)},
                    {"role": "assistant", "content": streaming_html("Đang tìm trong các bài viết…")}]
        yield history, kept
        try:
            text, final = "", None
            for item in self.service.stream(question, chats.conversation(base), filters):
                if isinstance(item, Answer):
                    final = item
                else:
                    text += item
                    history[-1] = {"role": "assistant", "content": streaming_html(text)}
                    yield history, kept
            if final is None:
                raise RuntimeError("the answer stream ended without an answer")
            history[-1] = {"role": "assistant", "content": answer_html(final, self._places_map())}
            yield history, chats.record(base, final)
            return
        except AssistantError as exc:
            message = str(exc)
        except Exception:
            log.exception("answering failed")
            message = "Có lỗi khi trả lời câu hỏi này. Hãy thử lại."
        history[-1] = {"role": "assistant", "content": error_html(message)}
        failed = Answer(question, message, True)
        yield history, (chats.record(base, failed) if kept is base else kept)

    def feedback(self, store: chats.Store | None, message_index: int, liked: bool | None,
                 given: int | None = None) -> tuple[str, int | None]:
        """Store 👍/👎 with the question, answer and citations it is about, or change or take back the
        rating `given` earlier to this answer; returns a status line and the rating's id (a comment
        may follow, see `comment`)."""
        rating = None if liked is None else ("up" if liked else "down")
        try:
            if given is not None:
                kept = self.service.rate_feedback(given, rating)
                if rating is None or not kept:
                    return (_status(True, "Đã bỏ đánh giá.") if rating is None else ""), None
                return _status(True, "Đã lưu đánh giá. Có thể thêm góp ý bên dưới."), given
            turns = chats.turns(chats.valid(store))
            turn_index = message_index // 2
            if rating is None or not 0 <= turn_index < len(turns):
                return "", None
            turn = turns[turn_index]
            feedback_id = self.service.feedback(rating, "", turn["question"], turn["answer"]["answer"],
                                                turn["answer"].get("citations", []))
        except AssistantError as exc:
            return _status(False, str(exc)), None
        except Exception:
            log.exception("feedback failed")
            return _status(False, "Không lưu được đánh giá, hãy thử lại."), None
        return _status(True, "Đã lưu đánh giá. Có thể thêm góp ý bên dưới."), feedback_id

    def comment(self, feedback_id: int | None, text: str) -> str:
        """The optional comment on the rating just given."""
        if feedback_id is None or not (text or "").strip():
            return ""
        try:
            stored = self.service.comment_feedback(feedback_id, text)
        except Exception:
            log.exception("feedback comment failed")
            stored = False
        return _status(stored, "Đã lưu góp ý. Cảm ơn bạn!" if stored else "Không lưu được góp ý, hãy thử lại.")

    def export(self, store: chats.Store | None) -> Downloads:
        """The current conversation as Markdown and DOCX, with its sources."""
        from assistant.app.exports import conversation_docx, conversation_markdown

        turns = chats.turns(chats.valid(store))
        if not turns:
            return Downloads("Chưa có câu hỏi nào để tải về.")
        folder = self._fresh_folder("chat")
        title = "Cuộc trò chuyện: " + turns[0]["question"][:60]
        md = folder / "cuoc-tro-chuyen.md"
        md.write_text(conversation_markdown(turns, title), encoding="utf-8")
        docx_path = conversation_docx(turns, title, folder / "cuoc-tro-chuyen.docx")
        return Downloads("", md, docx_path)

    def article(self, request: str) -> str:
        """The whole article behind a citation, its quote highlighted (`request` is JSON from the page)."""
        try:
            data = json.loads(request or "{}")
            source, quote = str(data.get("source", "")), str(data.get("quote", ""))
        except (ValueError, AttributeError):
            return error_html("Yêu cầu không hợp lệ.")
        row = self.service.retriever.articles.get(source)
        if row is None:
            return error_html("Bài viết này không còn trong kho.")
        return article_html(row, self.service.retriever.article_text(source), quote)

    # ------------------------------------------------------------ articles

    def upload(self, paths: list[Path]) -> str:
        """Store uploaded files into the sources folder and index them; one status line per file.
        Each uploaded temporary is deleted once handled, accepted or not."""
        messages = []
        for path in paths:
            try:
                messages.append(self.service.upload_file(path))
            except AssistantError as exc:
                messages.append((False, f"{path.name}: {exc}"))
            except Exception:
                log.exception("upload failed")
                messages.append((False, f"{path.name}: lỗi khi lưu tệp, hãy thử lại"))
            finally:
                _discard(path)
        return "".join(_status(ok, m) for ok, m in messages) or "Chưa chọn tệp nào."

    def delete(self, source: str | None) -> str:
        """Move an article to the trash (restorable) and take it out of the index."""
        return self._file_action(self.service.delete, source, "Hãy chọn một bài viết.", "xóa")

    def delete_api(self, source: str) -> str:
        """`delete` for the API: the message as plain text."""
        _ok, message = self._outcome(self.service.delete, source, "Hãy cho tên tệp của bài viết.", "xóa")
        return message

    def restore(self, entry: str | None) -> str:
        return self._file_action(self.service.restore, entry, "Hãy chọn một bài viết trong thùng rác.", "khôi phục")

    @classmethod
    def _file_action(cls, action: Callable[[str], tuple[bool, str]], name: str | None, missing: str, verb: str) -> str:
        return _status(*cls._outcome(action, name, missing, verb))

    @staticmethod
    def _outcome(action: Callable[[str], tuple[bool, str]], name: str | None, missing: str,
                 verb: str) -> tuple[bool, str]:
        if not name:
            return False, missing
        try:
            return action(name)
        except Exception:
            log.exception("%s failed", verb)
            return False, f"lỗi khi {verb}, hãy thử lại"

    # ------------------------------------------------------------ briefing

    def brief(self, sources: list[str] | None, place: str | None) -> Downloads:
        """A meeting briefing on the chosen programs (and every program of the chosen place), with
        Markdown and DOCX files to download."""
        chosen = list(sources or [])
        if place:
            chosen += [r.source for r in self.service.programs()
                       if place in (r.facts.place.province, r.facts.place.locality) and r.source not in chosen]
        if not chosen:
            return Downloads("Hãy chọn chương trình hoặc địa phương.")
        try:
            answer = self.service.brief(chosen)
            folder = self._fresh_folder("briefing")
            md = folder / "ghi-chu-chuan-bi-hop.md"
            md.write_text(to_markdown(answer), encoding="utf-8")
            docx_path = to_docx(answer, folder / "ghi-chu-chuan-bi-hop.docx")
        except Exception:
            log.exception("briefing failed")
            return Downloads(error_html("Có lỗi khi lập ghi chú."))
        return Downloads(answer_html(answer, self._places_map()), md, docx_path)

    def _fresh_folder(self, kind: str) -> Path:
        """A new folder for files to download; those made more than KEEP_DOWNLOADS ago are removed."""
        now = time.time()
        for old in self.workdir.glob("*-*"):
            try:
                if now - old.stat().st_mtime > KEEP_DOWNLOADS:
                    shutil.rmtree(old, ignore_errors=True)
            except OSError:
                pass
        return Path(tempfile.mkdtemp(prefix=f"{kind}-", dir=self.workdir))

    def ask_api(self, question: str) -> dict:
        """Answer one question; returns the same object as one line of `ask --json`."""
        try:
            return self.service.ask(clean_text(question or "")).to_json()
        except Exception:
            log.exception("api ask failed")
            return {"question": question, "answer": "Có lỗi khi trả lời câu hỏi này.", "refused": True,
                    "citations": [], "seconds": 0.0}
