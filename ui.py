"""Gradio chat UI: `python ui.py [--sources DIR] [--index DIR] [--host 127.0.0.1] [--port 7860]`.

Layout and event wiring only; answering, rendering and file handling live in the `assistant`
package. Each browser session has its own conversation (gr.State); nothing mutable is shared
between users except the index, which the service guards.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.answers import Conversation
from assistant.answers.retrieval import Filters
from assistant.app.presenting import CORPUS_HEADERS, corpus_rows
from assistant.app.service import Assistant
from assistant.app.web import Choices, History, WebActions
from assistant.config import load_settings
from assistant.errors import AssistantError

EXAMPLES = [
    "Ai dự lễ ký kết ở Cần Thơ?",
    "Chương trình phối hợp ở Quảng Bình gồm những nội dung gì?",
    "Những địa phương nào ký chương trình phối hợp giai đoạn 2021-2025?",
    "Tóm tắt nhanh lễ ký kết ở Ngã Bảy",
]
CSS = """
.answer mark, .passage mark { background: #fff3a3; padding: 0 2px; }
.sources { margin-top: .6em; border-top: 1px solid #ddd; padding-top: .4em; font-size: .92em; }
.sources-title { font-weight: 600; margin-bottom: .2em; }
details.source summary { cursor: pointer; }
.passage { white-space: normal; margin: .3em 0 .6em 1em; color: #333; }
.answer.refused { color: #8a4b00; }
.answer.error { color: #b00020; }
.file { color: #777; }
"""
UPLOAD_TYPES = [".txt", ".md", ".html", ".htm", ".docx", ".pdf"]


@dataclass
class Page:
    """The components the handlers read or update."""

    conversation: gr.State
    place_filter: gr.Dropdown
    party_filter: gr.Dropdown
    year_filter: gr.Dropdown
    chatbot: gr.Chatbot
    question: gr.Textbox
    send: gr.Button
    new: gr.Button
    table: gr.Dataframe
    uploader: gr.File
    upload_result: gr.HTML
    to_delete: gr.Dropdown
    delete_button: gr.Button
    delete_result: gr.HTML
    brief_programs: gr.Dropdown
    brief_place: gr.Dropdown
    make_brief: gr.Button
    brief_html: gr.HTML
    download_md: gr.DownloadButton
    download_docx: gr.DownloadButton


def _chat_tab(choices: Choices) -> dict:
    with gr.Row():
        place_filter = gr.Dropdown(choices.places, value=[], multiselect=True, label="Lọc theo địa phương",
                                   elem_id="filter-place")
        party_filter = gr.Dropdown(choices.parties, value=[], multiselect=True, label="Lọc theo cơ quan",
                                   elem_id="filter-party")
        year_filter = gr.Dropdown(choices.years, value=[], multiselect=True, label="Lọc theo năm",
                                  elem_id="filter-year")
    chatbot = gr.Chatbot(label="Hội thoại", height=520, elem_id="chat", sanitize_html=True)
    with gr.Row():
        question = gr.Textbox(placeholder="Nhập câu hỏi, ví dụ: Ai dự lễ ký kết ở Cần Thơ?",
                              show_label=False, scale=8, elem_id="question", max_length=10000)
        send = gr.Button("Gửi", variant="primary", scale=1, elem_id="send")
    new = gr.Button("Cuộc trò chuyện mới", size="sm", elem_id="new-chat")
    gr.Examples([[q] for q in EXAMPLES], inputs=[question], label="Câu hỏi mẫu")
    return dict(place_filter=place_filter, party_filter=party_filter, year_filter=year_filter, chatbot=chatbot,
                question=question, send=send, new=new)


def _corpus_tab(choices: Choices, rows: list) -> dict:
    table = gr.Dataframe(value=rows, headers=CORPUS_HEADERS, interactive=False, wrap=True, elem_id="corpus",
                         datatype="str")
    uploader = gr.File(label="Tải lên bài viết (.txt, .md, .html, .docx, .pdf; tối đa 20 MB)",
                       file_count="multiple", file_types=UPLOAD_TYPES, elem_id="upload")
    upload_result = gr.HTML(elem_id="upload-result")
    with gr.Row():
        to_delete = gr.Dropdown(choices.sources, value=None, label="Chọn bài viết để xóa", elem_id="delete-choice")
        delete_button = gr.Button("Xóa bài viết", variant="stop", elem_id="delete")
    delete_result = gr.HTML(elem_id="delete-result")
    return dict(table=table, uploader=uploader, upload_result=upload_result, to_delete=to_delete,
                delete_button=delete_button, delete_result=delete_result)


def _brief_tab(choices: Choices) -> dict:
    with gr.Row():
        brief_programs = gr.Dropdown(choices.programs, value=[], multiselect=True, label="Chọn chương trình",
                                     elem_id="brief-programs")
        brief_place = gr.Dropdown(choices.places, value=None, label="hoặc một địa phương", elem_id="brief-place")
    make_brief = gr.Button("Lập ghi chú", variant="primary", elem_id="make-brief")
    brief_html = gr.HTML(elem_id="brief")
    with gr.Row():
        download_md = gr.DownloadButton("Tải Markdown", visible=False, elem_id="download-md")
        download_docx = gr.DownloadButton("Tải DOCX", visible=False, elem_id="download-docx")
    return dict(brief_programs=brief_programs, brief_place=brief_place, make_brief=make_brief,
                brief_html=brief_html, download_md=download_md, download_docx=download_docx)


def _layout(actions: WebActions) -> Page:
    choices = actions.choices()
    gr.Markdown("## Trợ lý chương trình phối hợp\nHỏi về các chương trình phối hợp trong kho bài viết; "
                "mọi câu trả lời đều kèm trích dẫn nguồn.")
    conversation = gr.State(Conversation())
    with gr.Tabs():
        with gr.Tab("Hỏi đáp", id="chat-tab"):
            chat = _chat_tab(choices)
        with gr.Tab("Bài viết", id="corpus-tab"):
            corpus = _corpus_tab(choices, corpus_rows(actions.service.programs()))
        with gr.Tab("Tóm tắt chuẩn bị họp", id="brief-tab"):
            brief = _brief_tab(choices)
    return Page(conversation=conversation, **chat, **corpus, **brief)


def _wire(page: Page, actions: WebActions) -> None:
    # Handler annotations name only what this module imports: Gradio resolves them (typing.get_type_hints).
    def respond(question: str, history: History | None, conversation: Conversation | None, places: list[str] | None,
                parties: list[str] | None, years: list[int | str] | None
                ) -> Iterator[tuple[History, Conversation, str]]:
        filters = Filters(tuple(places or ()), tuple(parties or ()), tuple(int(y) for y in (years or ())))
        for shown, remembered in actions.respond(question, history, conversation, filters):
            yield shown, remembered, ""

    def refreshed() -> tuple[dict[str, Any], ...]:
        choices = actions.choices()
        return (gr.update(value=corpus_rows(actions.service.programs())), gr.update(choices=choices.places),
                gr.update(choices=choices.parties), gr.update(choices=choices.years),
                gr.update(choices=choices.sources, value=None), gr.update(choices=choices.programs),
                gr.update(choices=choices.places, value=None))

    def upload(files: list[object] | None) -> tuple[str | dict[str, Any] | None, ...]:  # paths (or file objects)
        paths = [Path(f if isinstance(f, str) else getattr(f, "name", "")) for f in files or []]
        return (actions.upload(paths), None, *refreshed())

    def brief(sources: list[str] | None, place: str | None) -> tuple[str, dict[str, Any], dict[str, Any]]:
        result = actions.brief(sources, place)
        return (result.html, gr.update(value=str(result.markdown) if result.markdown else None,
                                       visible=bool(result.markdown)),
                gr.update(value=str(result.docx) if result.docx else None, visible=bool(result.docx)))

    chat_inputs = [page.question, page.chatbot, page.conversation, page.place_filter, page.party_filter,
                   page.year_filter]
    chat_outputs = [page.chatbot, page.conversation, page.question]
    page.send.click(respond, chat_inputs, chat_outputs, api_visibility="private")
    page.question.submit(respond, chat_inputs, chat_outputs, api_visibility="private")
    page.new.click(lambda: ([], Conversation(), ""), None, chat_outputs, api_visibility="private")
    refresh_outputs = [page.table, page.place_filter, page.party_filter, page.year_filter, page.to_delete,
                       page.brief_programs, page.brief_place]
    # Reachable through the API (same login as the page) for scripted uploads, but not advertised.
    page.uploader.upload(upload, [page.uploader], [page.upload_result, page.uploader, *refresh_outputs],
                         api_name="upload", api_visibility="undocumented")
    page.delete_button.click(lambda source: (actions.delete(source), *refreshed()), [page.to_delete],
                             [page.delete_result, *refresh_outputs], api_name="delete", api_visibility="undocumented")
    page.make_brief.click(brief, [page.brief_programs, page.brief_place],
                          [page.brief_html, page.download_md, page.download_docx], api_visibility="private")


def build_ui(service: Assistant) -> gr.Blocks:
    actions = WebActions(service)
    with gr.Blocks(title="Trợ lý chương trình phối hợp") as demo:
        page = _layout(actions)
        _wire(page, actions)

        def ask(question: str) -> dict:
            """Answer one question; returns the same object as one line of `ask --json`."""
            return actions.ask_api(question)

        gr.api(ask, api_name="ask")
    return demo


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
    demo = build_ui(service)
    demo.queue(default_concurrency_limit=4)
    print(f"Đang phục vụ tại http://{args.host}:{args.port}", flush=True)
    demo.launch(server_name=args.host, server_port=args.port, auth=auth, show_error=False, theme=gr.themes.Soft(),
                css=CSS, max_file_size=settings.max_file_bytes, footer_links=["api"], quiet=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
