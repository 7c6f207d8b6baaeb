"""Gradio chat UI: `python ui.py [--sources DIR] [--index DIR] [--host 127.0.0.1] [--port 7860]`.

Layout and event wiring only; answering, rendering, chat history, exports and file handling live in
`assistant.app` (`web.WebActions`, `chats`). Conversations are kept in each browser's local storage
(`gr.BrowserState`): nothing is shared between users except the index, which the service guards.
Lists (corpus table, filters, pickers, trash, example questions) are read from the index at every
page load and after every upload, deletion or restore.
"""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import signal
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import gradio as gr
from starlette.middleware import Middleware

from assistant.answers.retrieval import Filters
from assistant.app import chats
from assistant.app.browser_key import browser_key
from assistant.app.examples import HINT
from assistant.app.login_gate import LoginGate
from assistant.app.presenting import CORPUS_HEADERS, corpus_rows, esc
from assistant.app.service import Assistant
from assistant.app.web import History, WebActions
from assistant.config import load_settings
from assistant.errors import AssistantError

STATIC = Path(__file__).resolve().parent / "assistant" / "app" / "static"
UPLOAD_TYPES = [".txt", ".md", ".html", ".htm", ".docx", ".pdf"]
PLACEHOLDER = f"**Hỏi về các chương trình phối hợp trong kho bài viết.**\n\n{HINT} Mọi câu trả lời đều kèm trích dẫn."


@dataclass
class Page:
    """The components the handlers read or update."""

    store: gr.BrowserState
    chat_list: gr.Dropdown
    delete_chat: gr.Button
    place_filter: gr.Dropdown
    party_filter: gr.Dropdown
    year_filter: gr.Dropdown
    chatbot: gr.Chatbot
    question: gr.Textbox
    send: gr.Button
    stop: gr.Button
    new: gr.Button
    export_md: gr.DownloadButton
    export_docx: gr.DownloadButton
    feedback_row: gr.Row
    feedback_comment: gr.Textbox
    feedback_send: gr.Button
    feedback_status: gr.HTML
    feedback_turn: gr.State
    feedback_given: gr.State
    article_panel: gr.Sidebar
    article_view: gr.HTML
    article_request: gr.Textbox
    article_go: gr.Button
    table: gr.Dataframe
    uploader: gr.File
    upload_result: gr.HTML
    to_delete: gr.Dropdown
    delete_button: gr.Button
    confirm_row: gr.Row
    confirm_text: gr.HTML
    confirm_delete: gr.Button
    cancel_delete: gr.Button
    pending_delete: gr.State
    delete_result: gr.HTML
    trash: gr.Dropdown
    restore_button: gr.Button
    brief_programs: gr.Dropdown
    brief_place: gr.Dropdown
    make_brief: gr.Button
    brief_html: gr.HTML
    download_md: gr.DownloadButton
    download_docx: gr.DownloadButton


def _chat_tab() -> dict[str, Any]:
    with gr.Accordion("Lịch sử trò chuyện", open=False, elem_id="history"):
        chat_list = gr.Dropdown([], value=None, label="Các cuộc trò chuyện trước", elem_id="chat-list")
        delete_chat = gr.Button("Xóa cuộc trò chuyện này", size="sm", elem_id="delete-chat")
    with gr.Accordion("Bộ lọc", open=False, elem_id="filters"), gr.Row():
        place_filter = gr.Dropdown([], value=[], multiselect=True, label="Địa phương", elem_id="filter-place")
        party_filter = gr.Dropdown([], value=[], multiselect=True, label="Cơ quan", elem_id="filter-party")
        year_filter = gr.Dropdown([], value=[], multiselect=True, label="Năm", elem_id="filter-year")
    chatbot = gr.Chatbot(label="Hội thoại", height=480, elem_id="chat", sanitize_html=True, buttons=[],
                         feedback_options=("Like", "Dislike"), placeholder=PLACEHOLDER, show_label=False)
    with gr.Row(equal_height=True):
        question = gr.Textbox(placeholder="Nhập câu hỏi, ví dụ: Ai dự lễ ký kết?", show_label=False, scale=8,
                              elem_id="question", max_length=10000, lines=1)
        send = gr.Button("Gửi", variant="primary", scale=1, min_width=70, elem_id="send")
        stop = gr.Button("Dừng", variant="stop", scale=1, min_width=70, elem_id="stop", visible=False)
    with gr.Row():
        new = gr.Button("Cuộc trò chuyện mới", size="sm", elem_id="new-chat")
        gr.Button("Chép cả cuộc trò chuyện", size="sm", elem_id="copy-chat")
        export_md = gr.DownloadButton("Tải Markdown", size="sm", elem_id="export-md", visible=False)
        export_docx = gr.DownloadButton("Tải DOCX", size="sm", elem_id="export-docx", visible=False)
    with gr.Row(visible=False, elem_id="feedback-row") as feedback_row:
        feedback_comment = gr.Textbox(placeholder="Góp ý thêm (không bắt buộc)", show_label=False, scale=6,
                                      elem_id="feedback-comment", max_length=2000)
        feedback_send = gr.Button("Gửi góp ý", size="sm", scale=1, elem_id="feedback-send")
    feedback_status = gr.HTML(elem_id="feedback-status")
    with gr.Sidebar(label="Toàn bài", open=False, position="right", width=560, elem_id="article-panel") as panel:
        article_view = gr.HTML(elem_id="article")
    article_request = gr.Textbox(visible="hidden", elem_id="article-request")
    article_go = gr.Button(visible="hidden", elem_id="article-request-go")
    return dict(chat_list=chat_list, delete_chat=delete_chat, place_filter=place_filter, party_filter=party_filter,
                year_filter=year_filter, chatbot=chatbot, question=question, send=send, stop=stop, new=new,
                export_md=export_md, export_docx=export_docx, feedback_row=feedback_row,
                feedback_comment=feedback_comment, feedback_send=feedback_send, feedback_status=feedback_status,
                feedback_turn=gr.State(None), feedback_given=gr.State({}), article_panel=panel, article_view=article_view,
                article_request=article_request, article_go=article_go)


def _corpus_tab() -> dict[str, Any]:
    table = gr.Dataframe(headers=CORPUS_HEADERS, interactive=False, wrap=True, elem_id="corpus", datatype="str",
                         column_widths=["10%", "15%", "22%", "10%", "30%", "13%"])
    uploader = gr.File(label="Tải lên bài viết (.txt, .md, .html, .docx, .pdf; tối đa 20 MB)",
                       file_count="multiple", file_types=UPLOAD_TYPES, elem_id="upload")
    upload_result = gr.HTML(elem_id="upload-result")
    with gr.Row():
        to_delete = gr.Dropdown([], value=None, label="Chọn bài viết để xóa", elem_id="delete-choice")
        delete_button = gr.Button("Xóa bài viết", variant="stop", elem_id="delete")
    with gr.Row(visible=False, elem_id="confirm-row") as confirm_row:
        confirm_text = gr.HTML(elem_id="confirm-text")
        confirm_delete = gr.Button("Xác nhận xóa", variant="stop", size="sm", elem_id="confirm-delete")
        cancel_delete = gr.Button("Hủy", size="sm", elem_id="cancel-delete")
    delete_result = gr.HTML(elem_id="delete-result")
    with gr.Row():
        trash = gr.Dropdown([], value=None, label="Thùng rác (bài viết đã xóa)", elem_id="trash")
        restore_button = gr.Button("Khôi phục", elem_id="restore")
    return dict(table=table, uploader=uploader, upload_result=upload_result, to_delete=to_delete,
                delete_button=delete_button, confirm_row=confirm_row, confirm_text=confirm_text,
                confirm_delete=confirm_delete, cancel_delete=cancel_delete, pending_delete=gr.State(None),
                delete_result=delete_result,
                trash=trash, restore_button=restore_button)


def _brief_tab() -> dict[str, Any]:
    with gr.Row():
        brief_programs = gr.Dropdown([], value=[], multiselect=True, label="Chọn chương trình",
                                     elem_id="brief-programs")
        brief_place = gr.Dropdown([], value=None, label="hoặc một địa phương", elem_id="brief-place")
    make_brief = gr.Button("Lập ghi chú", variant="primary", elem_id="make-brief")
    brief_html = gr.HTML(elem_id="brief")
    with gr.Row():
        download_md = gr.DownloadButton("Tải Markdown", visible=False, elem_id="download-md")
        download_docx = gr.DownloadButton("Tải DOCX", visible=False, elem_id="download-docx")
    return dict(brief_programs=brief_programs, brief_place=brief_place, make_brief=make_brief,
                brief_html=brief_html, download_md=download_md, download_docx=download_docx)


def _layout(secret: str) -> Page:
    gr.Markdown("## Trợ lý chương trình phối hợp\nHỏi về các chương trình phối hợp trong kho bài viết; "
                "mọi câu trả lời đều kèm trích dẫn nguồn.", elem_id="title")
    store = gr.BrowserState(chats.empty_store(), storage_key="tro-ly-phoi-hop-chats", secret=secret)
    with gr.Tabs():
        with gr.Tab("Hỏi đáp", id="chat-tab"):
            chat = _chat_tab()
        with gr.Tab("Bài viết", id="corpus-tab"):
            corpus = _corpus_tab()
        with gr.Tab("Tóm tắt", id="brief-tab"):
            brief = _brief_tab()
    return Page(store=store, **chat, **corpus, **brief)


class Wiring:
    """The page's events: each handler adapts Gradio values to a `WebActions` call."""

    def __init__(self, page: Page, actions: WebActions):
        self.page, self.actions = page, actions

    # handler annotations name only what this module imports: Gradio resolves them (typing.get_type_hints)
    def lists(self) -> tuple[Any, ...]:
        """Every list on the page, read from the index now."""
        choices = self.actions.choices()
        examples = [{"text": q} for q in self.actions.examples()]
        return (gr.update(value=corpus_rows(self.actions.service.programs())),
                gr.update(choices=choices.places), gr.update(choices=choices.parties),
                gr.update(choices=choices.years), gr.update(choices=choices.sources, value=None),
                gr.update(choices=choices.programs), gr.update(choices=choices.places, value=None),
                gr.update(choices=choices.trash, value=None), gr.update(examples=examples))

    def list_outputs(self) -> list[Any]:
        p = self.page
        return [p.table, p.place_filter, p.party_filter, p.year_filter, p.to_delete, p.brief_programs,
                p.brief_place, p.trash, p.chatbot]

    def chat_view(self, store: dict | None) -> tuple[Any, ...]:
        """The current conversation, the list of past ones and its downloads."""
        store = chats.valid(store)
        downloads = self.actions.export(store)
        return (self.actions.history(store), store,
                gr.update(choices=chats.chat_choices(store), value=store["current"]),
                gr.update(value=str(downloads.markdown) if downloads.markdown else None,
                          visible=bool(downloads.markdown)),
                gr.update(value=str(downloads.docx) if downloads.docx else None, visible=bool(downloads.docx)))

    def chat_view_outputs(self) -> list[Any]:
        p = self.page
        return [p.chatbot, p.store, p.chat_list, p.export_md, p.export_docx]

    @staticmethod
    def filters(places: list[str] | None, parties: list[str] | None, years: list[int | str] | None) -> Filters:
        return Filters(tuple(places or ()), tuple(parties or ()), tuple(int(y) for y in (years or ())))

    def respond(self, question: str, store: dict | None, places: list[str] | None, parties: list[str] | None,
                years: list[int | str] | None) -> Iterator[tuple[History, dict, str, Any, Any]]:
        for shown, kept in self.actions.respond(question, store, self.filters(places, parties, years)):
            yield shown, kept, "", gr.update(visible=True), gr.update(visible=False)

    def regenerate(self, store: dict | None, places: list[str] | None, parties: list[str] | None,
                   years: list[int | str] | None) -> Iterator[tuple[History, dict, str, Any, Any]]:
        for shown, kept in self.actions.regenerate(store, self.filters(places, parties, years)):
            yield shown, kept, "", gr.update(visible=True), gr.update(visible=False)

    def like(self, store: dict | None, given: dict | None, data: gr.LikeData
             ) -> tuple[Any, Any, int | None, str, dict]:
        """👍/👎 on an answer; the same answer rated again changes (or takes back) its one rating."""
        index = int(data.index[0] if isinstance(data.index, list | tuple) else data.index)
        key = f"{chats.valid(store)['current']}:{index}"
        given = dict(given or {})
        liked = data.liked if isinstance(data.liked, bool) else None
        status, feedback_id = self.actions.feedback(store, index, liked, given.pop(key, None))
        if feedback_id is not None:
            given[key] = feedback_id
        return gr.update(visible=feedback_id is not None), gr.update(value=""), feedback_id, status, given

    def comment(self, feedback_id: int | None, text: str) -> tuple[Any, str]:
        return gr.update(visible=False), self.actions.comment(feedback_id, text)

    @staticmethod
    def example(data: gr.SelectData) -> str:
        return str(data.value["text"]) if isinstance(data.value, dict) else str(data.value)

    def upload(self, files: list[object] | None) -> tuple[Any, ...]:
        paths = [Path(f if isinstance(f, str) else getattr(f, "name", "")) for f in files or []]
        return (self.actions.upload(paths), None, *self.lists())

    def ask_delete(self, source: str | None) -> tuple[Any, str, str, str | None]:
        """The confirmation, naming the article chosen now (kept: a later change of choice is not it)."""
        if not source:
            return gr.update(visible=False), "", "Hãy chọn một bài viết để xóa.", None
        return (gr.update(visible=True), f"Chuyển <b>{esc(source)}</b> vào thùng rác? Có thể khôi phục sau.", "",
                source)

    def brief(self, sources: list[str] | None, place: str | None) -> tuple[str, Any, Any]:
        result = self.actions.brief(sources, place)
        return (result.html, gr.update(value=str(result.markdown) if result.markdown else None,
                                       visible=bool(result.markdown)),
                gr.update(value=str(result.docx) if result.docx else None, visible=bool(result.docx)))

    def wire(self, demo: gr.Blocks) -> None:
        p, a = self.page, self.actions
        demo.load(self.lists, None, self.list_outputs(), api_visibility="private")
        demo.load(self.chat_view, [p.store], self.chat_view_outputs(), api_visibility="private")
        self._wire_chat()
        refresh = self.list_outputs()
        # reachable through the API (same login as the page) for scripted uploads, but not advertised
        p.uploader.upload(self.upload, [p.uploader], [p.upload_result, p.uploader, *refresh],
                          api_name="upload", api_visibility="undocumented")
        p.delete_button.click(self.ask_delete, [p.to_delete],
                              [p.confirm_row, p.confirm_text, p.delete_result, p.pending_delete],
                              api_visibility="private")
        p.cancel_delete.click(lambda: (gr.update(visible=False), "", None), None,
                              [p.confirm_row, p.delete_result, p.pending_delete], api_visibility="private")
        p.confirm_delete.click(lambda source: (gr.update(visible=False), a.delete(source), None, *self.lists()),
                               [p.pending_delete], [p.confirm_row, p.delete_result, p.pending_delete, *refresh],
                               api_visibility="private")
        p.restore_button.click(lambda entry: (a.restore(entry), *self.lists()), [p.trash],
                               [p.delete_result, *refresh], api_visibility="private")
        p.make_brief.click(self.brief, [p.brief_programs, p.brief_place],
                           [p.brief_html, p.download_md, p.download_docx], api_visibility="private")

    def _wire_chat(self) -> None:
        p = self.page
        filters = [p.place_filter, p.party_filter, p.year_filter]
        outputs = [p.chatbot, p.store, p.question, p.stop, p.send]
        asked = [p.send.click(self.respond, [p.question, p.store, *filters], outputs, api_visibility="private"),
                 p.question.submit(self.respond, [p.question, p.store, *filters], outputs, api_visibility="private"),
                 p.chatbot.retry(self.regenerate, [p.store, *filters], outputs, api_visibility="private")]
        stop = p.stop.click(None, None, None, cancels=cast(Any, asked))   # Gradio types `cancels` too narrowly
        for event in [*asked, stop]:
            # the stored chat, the chat list and the downloads; then Send is back
            event.then(self.chat_view, [p.store], self.chat_view_outputs(), api_visibility="private").then(
                lambda: (gr.update(visible=False), gr.update(visible=True)), None, [p.stop, p.send],
                api_visibility="private")
        p.chatbot.example_select(self.example, None, [p.question], api_visibility="private")
        for fresh in (p.new.click, p.chatbot.clear):
            fresh(lambda store: self.chat_view(chats.new_chat(store)), [p.store], self.chat_view_outputs(),
                  api_visibility="private")
        p.chat_list.input(lambda store, chat: self.chat_view(chats.switch(store, chat)), [p.store, p.chat_list],
                          self.chat_view_outputs(), api_visibility="private")
        p.delete_chat.click(lambda store: self.chat_view(chats.delete_chat(store, chats.valid(store)["current"])),
                            [p.store], self.chat_view_outputs(), api_visibility="private")
        p.chatbot.like(self.like, [p.store, p.feedback_given], [p.feedback_row, p.feedback_comment, p.feedback_turn,
                                                                p.feedback_status, p.feedback_given],
                       api_visibility="private")
        p.feedback_send.click(self.comment, [p.feedback_turn, p.feedback_comment],
                              [p.feedback_row, p.feedback_status], api_visibility="private")
        p.article_go.click(lambda request: (self.actions.article(request), gr.update(open=True)),
                           [p.article_request], [p.article_view, p.article_panel], api_visibility="private")


def build_ui(service: Assistant, secret: str | None = None, workdir: Path | None = None
             ) -> tuple[gr.Blocks, WebActions]:
    actions = WebActions(service, workdir)
    # files Gradio keeps for downloads and uploads are deleted after an hour, and all of them at exit
    with gr.Blocks(title="Trợ lý chương trình phối hợp", delete_cache=(600, 3600)) as demo:
        page = _layout(secret or secrets.token_hex(16))
        Wiring(page, actions).wire(demo)

        def ask(question: str) -> dict:
            """Answer one question; returns the same object as one line of `ask --json`."""
            return actions.ask_api(question)

        def delete(source: str) -> str:
            """Move an article (its file name in the sources folder) to the trash; returns the message."""
            return actions.delete_api(source)

        gr.api(ask, api_name="ask")
        # for scripts of logged-in users; the same as the page's button (the trash keeps the file)
        gr.api(delete, api_name="delete", api_visibility="undocumented")
    return demo, actions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Giao diện web của trợ lý chương trình phối hợp.")
    parser.add_argument("--sources", dest="sources_dir", help="thư mục bài viết (mặc định: sources/)")
    parser.add_argument("--index", dest="index_dir", help="thư mục chỉ mục (mặc định: index/)")
    parser.add_argument("--host", default=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"),
                        help="địa chỉ lắng nghe (mặc định 127.0.0.1: chỉ máy này)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("GRADIO_SERVER_PORT", "7860")))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for noisy in ("httpx", "chromadb", "sentence_transformers", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        settings = load_settings(sources_dir=args.sources_dir, index_dir=args.index_dir)
        service = Assistant(settings)
        report = service.ingest(progress=True)
        for source, reason in report.rejected:
            print(f"✗ {source}: {reason}")
        print(report.summary())
        service.warm_up()
    except AssistantError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    auth = (settings.ui_user, settings.ui_password) if settings.ui_user and settings.ui_password else None
    # one working folder for this process: files made for download and, unless GRADIO_TEMP_DIR says
    # otherwise, Gradio's own uploads and cache; removed when the server stops
    workdir = Path(tempfile.mkdtemp(prefix="assistant-ui-"))
    os.environ.setdefault("GRADIO_TEMP_DIR", str(workdir / "gradio"))
    demo, actions = build_ui(service, browser_key(settings.index_dir), workdir)
    demo.queue(default_concurrency_limit=4)
    print(f"Đang phục vụ tại http://{args.host}:{args.port}", flush=True)
    head = f"<script>{(STATIC / 'ui.js').read_text(encoding='utf-8')}</script>"
    gate = {"middleware": [Middleware(LoginGate)]} if auth else None
    # a polite stop (SIGTERM, as from a service manager) ends like Ctrl+C: temporary files are removed
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        demo.launch(server_name=args.host, server_port=args.port, auth=auth, app_kwargs=gate, show_error=False,
                    theme=gr.themes.Soft(), css=(STATIC / "ui.css").read_text(encoding="utf-8"), head=head,
                    max_file_size=settings.max_file_bytes, footer_links=[], quiet=True,
                    auth_message="Đăng nhập để dùng trợ lý chương trình phối hợp.")
    finally:
        demo.close()
        actions.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
