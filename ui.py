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
import tempfile
from pathlib import Path

import gradio as gr

from assistant.answers import Answer, Conversation
from assistant.app.briefing import to_docx, to_markdown
from assistant.config import load_settings
from assistant.errors import AssistantError
from assistant.app.presenting import (CORPUS_HEADERS, answer_html, corpus_rows, error_html, esc, question_html,
                                  streaming_html)
from assistant.answers.retrieval import Filters
from assistant.app.service import Assistant

log = logging.getLogger("ui")
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


def _choices(service: Assistant):
    rows = service.programs()
    places = sorted({p for r in rows for p in (r.facts.place.province, r.facts.place.locality) if p})
    parties = sorted({p for r in rows for p in r.facts.party_kinds()})
    years = set().union(*(r.facts.years() for r in rows))
    programs = [(f"{r.facts.place.display() or r.facts.title or r.source} — {r.source}", r.source)
                for r in sorted(rows, key=lambda r: r.source)]
    return places, parties, sorted(years), programs


def build_ui(service: Assistant) -> gr.Blocks:
    def places_map():
        return {r.source: r.facts.place.display() for r in service.programs()}

    def respond(question, history, conversation, places, parties, years):
        history = list(history or [])
        conversation = conversation if isinstance(conversation, Conversation) else Conversation()
        question = (question or "").strip()
        if not question:
            yield history, conversation, ""
            return
        history += [{"role": "user", "content": question_html(question)},
                    {"role": "assistant", "content": streaming_html("Đang tìm trong các bài viết…")}]
        yield history, conversation, ""
        filters = Filters(tuple(places or ()), tuple(parties or ()), tuple(int(y) for y in (years or ())))
        try:
            text, final = "", None
            for item in service.stream(question, conversation, filters):
                if isinstance(item, Answer):
                    final = item
                else:
                    text += item
                    history[-1] = {"role": "assistant", "content": streaming_html(text)}
                    yield history, conversation, ""
            history[-1] = {"role": "assistant", "content": answer_html(final, places_map())}
        except AssistantError as exc:
            history[-1] = {"role": "assistant", "content": error_html(str(exc))}
        except Exception:
            log.exception("answering failed")
            history[-1] = {"role": "assistant", "content": error_html("Có lỗi khi trả lời câu hỏi này. Hãy thử lại.")}
        yield history, conversation, ""

    def new_chat():
        return [], Conversation(), ""

    def refreshed():
        places, parties, years, programs = _choices(service)
        sources = [s for _label, s in programs]
        return (gr.update(value=corpus_rows(service.programs())), gr.update(choices=places),
                gr.update(choices=parties), gr.update(choices=years), gr.update(choices=sources, value=None),
                gr.update(choices=programs), gr.update(choices=places, value=None))

    def upload(files):
        messages = []
        for f in files or []:
            path = Path(f if isinstance(f, str) else getattr(f, "name", ""))
            try:
                size = path.stat().st_size
                if size > service.settings.max_file_bytes:
                    messages.append((False, f"{path.name}: bị từ chối — tệp quá lớn ({size / 1048576:.1f} MB)"))
                    continue
                messages.append(service.upload(path.name, path.read_bytes()))
            except AssistantError as exc:
                messages.append((False, f"{path.name}: {exc}"))
            except Exception:
                log.exception("upload failed")
                messages.append((False, f"{path.name}: lỗi khi lưu tệp, hãy thử lại"))
        html = "".join(f'<div class="{"ok" if ok else "rejected"}">{"✓" if ok else "✗"} {esc(m)}</div>'
                       for ok, m in messages)
        return (html or "Chưa chọn tệp nào.", None, *refreshed())

    def delete(source):
        if not source:
            return ("Hãy chọn một bài viết để xóa.", *refreshed())
        try:
            ok, message = service.delete(source)
        except Exception:
            log.exception("delete failed")
            ok, message = False, "lỗi khi xóa, hãy thử lại"
        return (f'<div class="{"ok" if ok else "rejected"}">{"✓" if ok else "✗"} {esc(message)}</div>', *refreshed())

    def brief(sources, place):
        chosen = list(sources or [])
        if place:
            chosen += [r.source for r in service.programs()
                       if place in (r.facts.place.province, r.facts.place.locality) and r.source not in chosen]
        if not chosen:
            return "Hãy chọn chương trình hoặc địa phương.", gr.update(visible=False), gr.update(visible=False)
        try:
            answer = service.brief(chosen)
            folder = Path(tempfile.mkdtemp(prefix="briefing-"))
            md = folder / "ghi-chu-chuan-bi-hop.md"
            md.write_text(to_markdown(answer), encoding="utf-8")
            docx_path = to_docx(answer, folder / "ghi-chu-chuan-bi-hop.docx")
        except Exception:
            log.exception("briefing failed")
            return error_html("Có lỗi khi lập ghi chú."), gr.update(visible=False), gr.update(visible=False)
        return (answer_html(answer, places_map()), gr.update(value=str(md), visible=True),
                gr.update(value=str(docx_path), visible=True))

    def ask_api(question: str) -> dict:
        """Answer one question; returns the same object as one line of `ask --json`."""
        try:
            return service.ask(question or "").to_json()
        except Exception:
            log.exception("api ask failed")
            return {"question": question, "answer": "Có lỗi khi trả lời câu hỏi này.", "refused": True,
                    "citations": [], "seconds": 0.0}

    places, parties, years, programs = _choices(service)
    with gr.Blocks(title="Trợ lý chương trình phối hợp") as demo:
        gr.Markdown("## Trợ lý chương trình phối hợp\nHỏi về các chương trình phối hợp trong kho bài viết; "
                    "mọi câu trả lời đều kèm trích dẫn nguồn.")
        conversation = gr.State(Conversation())
        with gr.Tabs():
            with gr.Tab("Hỏi đáp", id="chat-tab"):
                with gr.Row():
                    place_filter = gr.Dropdown(places, value=[], multiselect=True, label="Lọc theo địa phương",
                                               elem_id="filter-place")
                    party_filter = gr.Dropdown(parties, value=[], multiselect=True, label="Lọc theo cơ quan",
                                               elem_id="filter-party")
                    year_filter = gr.Dropdown(years, value=[], multiselect=True, label="Lọc theo năm", elem_id="filter-year")
                chatbot = gr.Chatbot(label="Hội thoại", height=520, elem_id="chat", sanitize_html=True)
                with gr.Row():
                    question = gr.Textbox(placeholder="Nhập câu hỏi, ví dụ: Ai dự lễ ký kết ở Cần Thơ?",
                                          show_label=False, scale=8, elem_id="question", max_length=10000)
                    send = gr.Button("Gửi", variant="primary", scale=1, elem_id="send")
                new = gr.Button("Cuộc trò chuyện mới", size="sm", elem_id="new-chat")
                gr.Examples([[q] for q in EXAMPLES], inputs=[question], label="Câu hỏi mẫu")
            with gr.Tab("Bài viết", id="corpus-tab"):
                table = gr.Dataframe(value=corpus_rows(service.programs()), headers=CORPUS_HEADERS,
                                     interactive=False, wrap=True, elem_id="corpus", datatype="str")
                uploader = gr.File(label="Tải lên bài viết (.txt, .md, .html, .docx, .pdf; tối đa 20 MB)",
                                   file_count="multiple", file_types=UPLOAD_TYPES, elem_id="upload")
                upload_result = gr.HTML(elem_id="upload-result")
                with gr.Row():
                    to_delete = gr.Dropdown([s for _l, s in programs], value=None, label="Chọn bài viết để xóa",
                                            elem_id="delete-choice")
                    delete_button = gr.Button("Xóa bài viết", variant="stop", elem_id="delete")
                delete_result = gr.HTML(elem_id="delete-result")
            with gr.Tab("Tóm tắt chuẩn bị họp", id="brief-tab"):
                with gr.Row():
                    brief_programs = gr.Dropdown(programs, value=[], multiselect=True, label="Chọn chương trình",
                                                 elem_id="brief-programs")
                    brief_place = gr.Dropdown(places, value=None, label="hoặc một địa phương", elem_id="brief-place")
                make_brief = gr.Button("Lập ghi chú", variant="primary", elem_id="make-brief")
                brief_html = gr.HTML(elem_id="brief")
                with gr.Row():
                    download_md = gr.DownloadButton("Tải Markdown", visible=False, elem_id="download-md")
                    download_docx = gr.DownloadButton("Tải DOCX", visible=False, elem_id="download-docx")

        chat_inputs = [question, chatbot, conversation, place_filter, party_filter, year_filter]
        chat_outputs = [chatbot, conversation, question]
        send.click(respond, chat_inputs, chat_outputs, api_visibility="private")
        question.submit(respond, chat_inputs, chat_outputs, api_visibility="private")
        new.click(new_chat, None, chat_outputs, api_visibility="private")
        refresh_outputs = [table, place_filter, party_filter, year_filter, to_delete, brief_programs, brief_place]
        # Reachable through the API (same login as the page) for scripted uploads, but not advertised.
        uploader.upload(upload, [uploader], [upload_result, uploader, *refresh_outputs], api_name="upload",
                        api_visibility="undocumented")
        delete_button.click(delete, [to_delete], [delete_result, *refresh_outputs], api_name="delete",
                            api_visibility="undocumented")
        make_brief.click(brief, [brief_programs, brief_place], [brief_html, download_md, download_docx],
                         api_visibility="private")
        gr.api(ask_api, api_name="ask")
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
