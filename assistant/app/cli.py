"""Command line: `python -m assistant ingest | ask | eval | programs`.

Exit status: 0 when everything asked for was done, 2 when some input was rejected, 1 on an
internal error. Errors the user can fix are one Vietnamese line, never a traceback
(set ASSISTANT_DEBUG=1 to see one).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.config import PRECISIONS, Settings, load_settings
from assistant.errors import AssistantError, IndexMissing, SettingsError
from assistant.facts.model import ProgramFacts

if TYPE_CHECKING:  # the service and the answer layer load the model stack: imported when a command runs
    from assistant.answers import Answer, Conversation
    from assistant.app.evaluation import EvalReport
    from assistant.app.service import Assistant


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--index", dest="index_dir", help="thư mục chỉ mục (mặc định: index/)")
    parser.add_argument("--model", help="mô hình nhúng sentence-transformers (tên hoặc thư mục)")
    parser.add_argument("--chroma-host", help="máy chủ Chroma (bỏ trống: chỉ mục cục bộ)")
    parser.add_argument("--chroma-port", type=int, help="cổng máy chủ Chroma")
    parser.add_argument("--precision", choices=PRECISIONS, help="độ chính xác của mô hình nhúng (mặc định: int8)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m assistant",
                                     description="Trợ lý hỏi đáp về các chương trình phối hợp (ngoại tuyến).")
    sub = parser.add_subparsers(dest="command", required=True)
    ingest = sub.add_parser("ingest", help="cập nhật chỉ mục theo thư mục bài viết")
    ingest.add_argument("--sources", dest="sources_dir", help="thư mục bài viết (mặc định: sources/)")
    ingest.add_argument("--quiet", action="store_true", help="chỉ in dòng tổng kết")
    _common(ingest)
    ask = sub.add_parser("ask", help="hỏi đáp (không có câu hỏi: đọc từng dòng, hoặc trò chuyện trên terminal)")
    ask.add_argument("question", nargs="*", help="câu hỏi")
    ask.add_argument("--json", action="store_true", help="in mỗi câu trả lời một dòng JSON")
    _common(ask)
    ev = sub.add_parser("eval", help="đánh giá trên một tệp câu hỏi JSONL")
    ev.add_argument("file", help="tệp câu hỏi, mỗi dòng một JSON")
    ev.add_argument("--sources", dest="eval_sources",
                    help="lập một chỉ mục tạm của thư mục bài viết này rồi đánh giá trên đó")
    ev.add_argument("--only", help="chỉ các câu hỏi về những bài này (tên tệp, cách nhau bởi dấu phẩy)")
    ev.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    ev.add_argument("--show", action="store_true", help="in mọi câu trả lời sai")
    ev.add_argument("--out", help="ghi kết quả từng câu (JSON) vào tệp này")
    ev.add_argument("--curve", action="store_true", help="in đường cong từ chối theo ngưỡng độ tin cậy")
    ev.add_argument("--intents", action="store_true",
                    help="chỉ so sánh cách nhận dạng loại câu hỏi: mẫu cố định và câu ví dụ gần nhất (e5)")
    ev.add_argument("--min-answer", type=float, help="ngưỡng độ chính xác câu trả lời")
    ev.add_argument("--min-evidence", type=float, help="ngưỡng độ bao phủ dẫn chứng")
    ev.add_argument("--min-refusal", type=float, help="ngưỡng tỉ lệ từ chối câu không trả lời được")
    ev.add_argument("--max-false-refusal", type=float, help="ngưỡng tối đa tỉ lệ từ chối nhầm")
    _common(ev)
    programs = sub.add_parser("programs", help="liệt kê các chương trình đã lập chỉ mục")
    programs.add_argument("--json", action="store_true", help="in JSON, mỗi dòng một bài")
    _common(programs)
    bench = sub.add_parser("bench", help="đo hiệu năng so với cách làm LangChain + Chroma cơ bản")
    bench.add_argument("--articles", type=int, default=10000, help="số bài của kho thử (mặc định: 10000)")
    bench.add_argument("--out", help="ghi thêm dòng JSON kết quả vào tệp này")
    bench.add_argument("--work", help="thư mục làm việc (mặc định: thư mục tạm, xóa khi xong)")
    bench.add_argument("--no-baseline", action="store_true", help="chỉ đo hệ thống này")
    bench.add_argument("--sources", dest="sources_dir", help="bài thật đưa vào kho thử (mặc định: sources/)")
    bench.add_argument("--devset", help="bộ phát triển (thư mục có articles/ và questions.jsonl): đo thêm câu trả "
                                        "trên bộ này giữa các bài nhiễu và khi đứng riêng")
    bench.add_argument("--model", help="mô hình nhúng sentence-transformers (tên hoặc thư mục)")
    bench.add_argument("--precision", choices=PRECISIONS, help="độ chính xác của mô hình nhúng (mặc định: int8)")
    return parser


def describe(source: str, facts: ProgramFacts) -> str:
    """A compact Vietnamese description of one article's facts."""
    rows = [f"• {source}" + (f" — {facts.title}" if facts.title else "")]
    fields = [
        ("Ngày", facts.event_date.display() if facts.event_date else ""),
        ("Ngày đăng", facts.published.display() if facts.published else ""),
        ("Địa điểm", facts.place.display()),
        ("Các bên", ", ".join(facts.parties)),
        ("Giai đoạn", facts.period.replace("-", " - ")),
        ("Căn cứ", ", ".join(facts.legal_basis)),
        ("Tác giả", facts.author),
    ]
    line = " | ".join(f"{k}: {v}" for k, v in fields if v)
    if line:
        rows.append("    " + line)
    for person in facts.attendees:
        rows.append(f"    - {person.name}" + (f", {person.role}" if person.role else ""))
    return "\n".join(rows)


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.ingest.indexer import run_ingest

    if not settings.sources_dir.is_dir():
        print(f"Không tìm thấy thư mục bài viết {settings.sources_dir}.", file=sys.stderr)
        return 1
    report = run_ingest(settings, progress=not args.quiet)
    if not args.quiet:
        for source in report.added + report.updated:
            print(describe(source, report.facts[source]))
        for source in report.removed:
            print(f"• {source}: đã xóa khỏi chỉ mục")
    for source, reason in report.rejected:
        print(f"✗ {source}: {reason}")
    print(report.summary())
    return report.exit_code


def cmd_programs(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.index.catalog import Catalog

    path = _catalog_path(settings)
    catalog = Catalog(path, readonly=True)
    for row in catalog.articles().values():
        if row.status != "done":
            continue
        if args.json:
            print(json.dumps({"source": row.source, "url": row.url, **row.facts.to_dict()}, ensure_ascii=False))
        else:
            print(describe(row.source, row.facts))
    return 0


def _catalog_path(settings: Settings) -> Path:
    path = Path(settings.index_dir) / "catalog.sqlite3"
    if not path.exists():
        raise IndexMissing(f"Chưa có chỉ mục ở {settings.index_dir}. Hãy chạy `python -m assistant ingest` trước.")
    return path


def _open_assistant(settings: Settings) -> Assistant:
    from assistant.app.service import Assistant

    _catalog_path(settings)
    assistant = Assistant(settings)
    try:
        assistant.indexer.check_current()
    except IndexMissing:
        assistant.close()
        raise
    return assistant


def format_answer(answer: Answer) -> str:
    """An answer and its sources as plain text for the terminal."""
    lines = [answer.answer]
    if answer.citations:
        lines += ["", "Nguồn:"]
        for c in answer.citations:
            page = f"trang {c.page}" if c.page is not None else ""
            meta = " — ".join(x for x in (c.source, page, c.title if c.title != c.source else "", c.date, c.url)
                              if x)
            lines.append(f"[{c.n}] {meta}")
            lines.append(f"    “{c.quote}”")
    return "\n".join(lines)


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.answers import Conversation

    assistant = _open_assistant(settings)
    try:
        assistant.warm_up()
        if args.question:
            _print_answer(assistant.ask(" ".join(args.question)), args.json)
        elif not sys.stdin.isatty():
            for line in sys.stdin:  # one independent question per line
                if line.strip():
                    _print_answer(assistant.ask(line.strip()), args.json)
        else:
            _chat(assistant, Conversation(), args.json)
    finally:
        assistant.close()
    return 0


def _print_answer(answer: Answer, as_json: bool) -> None:
    if as_json:
        print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
    else:
        print(format_answer(answer) + "\n", flush=True)


def _chat(assistant: Assistant, conversation: Conversation, as_json: bool) -> None:
    from assistant.answers import Conversation

    print("Trợ lý chương trình phối hợp. Gõ câu hỏi; /moi: cuộc trò chuyện mới; /thoat: thoát.")
    while True:
        try:
            question = input("Bạn hỏi: ").strip()
        except EOFError:
            print()
            return
        if question in ("/thoat", "/exit", "/quit"):
            return
        if question in ("/moi", "/new"):
            conversation = Conversation()
            print("Đã bắt đầu cuộc trò chuyện mới.")
            continue
        if question:
            _print_answer(assistant.ask(question, conversation), as_json)


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.app.evaluation import evaluate, load_questions, select

    questions = load_questions(args.file)
    if args.only:
        questions = select(questions, [name.strip() for name in args.only.split(",") if name.strip()])
    if args.intents:
        from assistant.answers.intent_bank import compare
        from assistant.embedding.encoder import Embedder

        embedder = Embedder(settings)
        print(json.dumps(compare(questions, embedder.embed_query, embedder.embed_queries), ensure_ascii=False))
        return 0
    if args.eval_sources:
        report = _eval_on_temporary_index(args, settings, questions, evaluate)
    else:
        assistant = _open_assistant(settings)
        try:
            report = evaluate(assistant, questions)
        finally:
            assistant.close()
    summary = report.summary()
    if args.out:
        Path(args.out).write_text(json.dumps({"summary": summary, "rows": report.rows(),
                                             "refusal_curve": report.refusal_curve()}, ensure_ascii=False,
                                             indent=1), encoding="utf-8")
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(report.table())
        if args.curve:
            print("ngưỡng  từ chối (không trả lời được)  từ chối sai (trả lời được)")
            for point in report.refusal_curve():
                print(f"{point['threshold']:>6.1f}  {point['refusal'] or 0:>28.2f}  {point['false_refusal'] or 0:>26.2f}")
        if args.show:
            for o in report.failures():
                print(f"✗ {o.item['id']} ({o.item['type']}): {o.item['question']}\n"
                      f"    cần: {o.item.get('must_contain')}\n    → {o.answer[:400]!r}")
    overall = summary["overall"]
    failed = []
    for key, limit, below in (("answer", args.min_answer, True), ("evidence", args.min_evidence, True),
                              ("refusal", args.min_refusal, True), ("false_refusal", args.max_false_refusal, False)):
        if limit is None:
            continue
        value = overall[key]
        if value is None or (value < limit if below else value > limit):
            failed.append(f"{key} {value} {'<' if below else '>'} {limit}")
    if failed:
        print("Không đạt ngưỡng: " + "; ".join(failed), file=sys.stderr)
        return 1
    return 0


def _eval_on_temporary_index(args: argparse.Namespace, settings: Settings, questions: list[dict],
                             evaluate: Callable[[Assistant, list[dict]], EvalReport]) -> EvalReport:
    """Index the given folder into a temporary index, evaluate on it, remove it."""
    import dataclasses
    import shutil
    import tempfile

    from assistant.app.service import Assistant
    from assistant.ingest.indexer import run_ingest

    sources = Path(args.eval_sources)
    if not sources.is_dir():
        raise SettingsError(f"Không tìm thấy thư mục bài viết {sources}.")
    work = Path(tempfile.mkdtemp(prefix="assistant-eval-"))
    try:
        temp = dataclasses.replace(settings, sources_dir=sources, index_dir=work / "index", chroma_host="")
        run_ingest(temp)
        assistant = Assistant(temp)
        try:
            return evaluate(assistant, questions)
        finally:
            assistant.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.bench.runner import run

    if args.articles < 1 or args.articles > 200_000:
        print("--articles phải trong khoảng 1 đến 200000.", file=sys.stderr)
        return 2
    devset = Path(args.devset) if args.devset else None
    if devset and not (devset / "questions.jsonl").is_file():
        print(f"Không tìm thấy {devset / 'questions.jsonl'}.", file=sys.stderr)
        return 2
    run(settings, args.articles, out=Path(args.out) if args.out else None,
        work=Path(args.work) if args.work else None, baseline=not args.no_baseline,
        log=lambda message: print(message, file=sys.stderr), devset=devset)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    overrides = {k: getattr(args, k, None)
                 for k in ("sources_dir", "index_dir", "model", "chroma_host", "chroma_port", "precision")}
    try:
        settings = load_settings(**overrides)
        handler = {"ingest": cmd_ingest, "programs": cmd_programs, "ask": cmd_ask, "eval": cmd_eval,
                   "bench": cmd_bench}[args.command]
        return handler(args, settings)
    except AssistantError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu; lần chạy sau sẽ tiếp tục phần còn dở.", file=sys.stderr)
        return 1
    except Exception as exc:  # an internal error: one line, details on request
        if os.environ.get("ASSISTANT_DEBUG"):
            traceback.print_exc()
        print(f"Lỗi nội bộ: {type(exc).__name__}: {exc}. Đặt ASSISTANT_DEBUG=1 để xem chi tiết.", file=sys.stderr)
        return 1
