"""What the web UI's controls do, apart from how they are laid out (`ui.py` lays out and wires).

`WebActions` holds the service and turns each user action (a question, an upload, a deletion, a
briefing, an API call) into the HTML and values the page shows. It does not import Gradio, so the
same behaviour can be tested without a browser.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from assistant.answers import Answer, Conversation
from assistant.answers.retrieval import Filters
from assistant.app.briefing import to_docx, to_markdown
from assistant.app.presenting import answer_html, error_html, esc, question_html, streaming_html
from assistant.app.service import Assistant
from assistant.errors import AssistantError

log = logging.getLogger("ui")

History = list[dict]


@dataclass(frozen=True)
class Choices:
    """What the filters and pickers offer, from the indexed programs."""

    places: list[str]
    parties: list[str]
    years: list[int]
    programs: list[tuple[str, str]]    # (label, source)

    @property
    def sources(self) -> list[str]:
        return [source for _label, source in self.programs]


@dataclass(frozen=True)
class Briefing:
    html: str
    markdown: Path | None = None
    docx: Path | None = None


def _status(ok: bool, message: str) -> str:
    return f'<div class="{"ok" if ok else "rejected"}">{"✓" if ok else "✗"} {esc(message)}</div>'


class WebActions:
    def __init__(self, service: Assistant):
        self.service = service

    def choices(self) -> Choices:
        rows = self.service.programs()
        places = sorted({p for r in rows for p in (r.facts.place.province, r.facts.place.locality) if p})
        parties = sorted({p for r in rows for p in r.facts.party_kinds()})
        years: set[int] = set().union(*(r.facts.years() for r in rows))
        programs = [(f"{r.facts.place.display() or r.facts.title or r.source} — {r.source}", r.source)
                    for r in sorted(rows, key=lambda r: r.source)]
        return Choices(places, parties, sorted(years), programs)

    def _places_map(self) -> dict[str, str]:
        return {r.source: r.facts.place.display() for r in self.service.programs()}

    def respond(self, question: str, history: History | None, conversation: Conversation | None,
                filters: Filters) -> Iterator[tuple[History, Conversation]]:
        """The chat history as the answer streams in: the question, partial text, then the cited answer."""
        history = list(history or [])
        conversation = conversation if isinstance(conversation, Conversation) else Conversation()
        question = (question or "").strip()
        if not question:
            yield history, conversation
            return
        history += [{"role": "user", "content": question_html(question)},
                    {"role": "assistant", "content": streaming_html("Đang tìm trong các bài viết…")}]
        yield history, conversation
        try:
            text, final = "", None
            for item in self.service.stream(question, conversation, filters):
                if isinstance(item, Answer):
                    final = item
                else:
                    text += item
                    history[-1] = {"role": "assistant", "content": streaming_html(text)}
                    yield history, conversation
            if final is None:
                raise RuntimeError("the answer stream ended without an answer")
            history[-1] = {"role": "assistant", "content": answer_html(final, self._places_map())}
        except AssistantError as exc:
            history[-1] = {"role": "assistant", "content": error_html(str(exc))}
        except Exception:
            log.exception("answering failed")
            history[-1] = {"role": "assistant", "content": error_html("Có lỗi khi trả lời câu hỏi này. Hãy thử lại.")}
        yield history, conversation

    def upload(self, paths: list[Path]) -> str:
        """Store uploaded files into the sources folder and index them; one status line per file."""
        messages = []
        for path in paths:
            try:
                messages.append(self.service.upload_file(path))
            except AssistantError as exc:
                messages.append((False, f"{path.name}: {exc}"))
            except Exception:
                log.exception("upload failed")
                messages.append((False, f"{path.name}: lỗi khi lưu tệp, hãy thử lại"))
        return "".join(_status(ok, m) for ok, m in messages) or "Chưa chọn tệp nào."

    def delete(self, source: str | None) -> str:
        if not source:
            return "Hãy chọn một bài viết để xóa."
        try:
            ok, message = self.service.delete(source)
        except Exception:
            log.exception("delete failed")
            ok, message = False, "lỗi khi xóa, hãy thử lại"
        return _status(ok, message)

    def brief(self, sources: list[str] | None, place: str | None) -> Briefing:
        """A meeting briefing on the chosen programs (and every program of the chosen place), with
        Markdown and DOCX files to download."""
        chosen = list(sources or [])
        if place:
            chosen += [r.source for r in self.service.programs()
                       if place in (r.facts.place.province, r.facts.place.locality) and r.source not in chosen]
        if not chosen:
            return Briefing("Hãy chọn chương trình hoặc địa phương.")
        try:
            answer = self.service.brief(chosen)
            folder = Path(tempfile.mkdtemp(prefix="briefing-"))
            md = folder / "ghi-chu-chuan-bi-hop.md"
            md.write_text(to_markdown(answer), encoding="utf-8")
            docx_path = to_docx(answer, folder / "ghi-chu-chuan-bi-hop.docx")
        except Exception:
            log.exception("briefing failed")
            return Briefing(error_html("Có lỗi khi lập ghi chú."))
        return Briefing(answer_html(answer, self._places_map()), md, docx_path)

    def ask_api(self, question: str) -> dict:
        """Answer one question; returns the same object as one line of `ask --json`."""
        try:
            return self.service.ask(question or "").to_json()
        except Exception:
            log.exception("api ask failed")
            return {"question": question, "answer": "Có lỗi khi trả lời câu hỏi này.", "refused": True,
                    "citations": [], "seconds": 0.0}
