"""Command line: `python -m assistant ingest | programs`.

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

from .config import SettingsError, load_settings
from .errors import AssistantError
from .facts import ProgramFacts


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--index", dest="index_dir", help="thư mục chỉ mục (mặc định: index/)")
    parser.add_argument("--model", help="mô hình nhúng sentence-transformers (tên hoặc thư mục)")
    parser.add_argument("--chroma-host", help="máy chủ Chroma (bỏ trống: chỉ mục cục bộ)")
    parser.add_argument("--chroma-port", type=int, help="cổng máy chủ Chroma")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m assistant",
                                     description="Trợ lý hỏi đáp về các chương trình phối hợp (ngoại tuyến).")
    sub = parser.add_subparsers(dest="command", required=True)
    ingest = sub.add_parser("ingest", help="cập nhật chỉ mục theo thư mục bài viết")
    ingest.add_argument("--sources", dest="sources_dir", help="thư mục bài viết (mặc định: sources/)")
    ingest.add_argument("--quiet", action="store_true", help="chỉ in dòng tổng kết")
    _common(ingest)
    programs = sub.add_parser("programs", help="liệt kê các chương trình đã lập chỉ mục")
    programs.add_argument("--json", action="store_true", help="in JSON, mỗi dòng một bài")
    _common(programs)
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


def cmd_ingest(args, settings) -> int:
    from .ingest import run_ingest

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


def cmd_programs(args, settings) -> int:
    from pathlib import Path

    from .catalog import Catalog

    path = Path(settings.index_dir) / "catalog.sqlite3"
    if not path.exists():
        print(f"Chưa có chỉ mục ở {settings.index_dir}. Hãy chạy `python -m assistant ingest` trước.",
              file=sys.stderr)
        return 1
    catalog = Catalog(path, readonly=True)
    for row in catalog.articles().values():
        if row.status != "done":
            continue
        if args.json:
            print(json.dumps({"source": row.source, "url": row.url, **row.facts.to_dict()}, ensure_ascii=False))
        else:
            print(describe(row.source, row.facts))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    overrides = {k: getattr(args, k, None) for k in ("sources_dir", "index_dir", "model", "chroma_host", "chroma_port")}
    try:
        settings = load_settings(**overrides)
        handler = {"ingest": cmd_ingest, "programs": cmd_programs}[args.command]
        return handler(args, settings)
    except (AssistantError, SettingsError) as exc:
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
