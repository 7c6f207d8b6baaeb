"""Export a briefing note (an `Answer` from `Answerer.brief`) as Markdown and as DOCX.

The DOCX pieces (a titled document, an answer's lines as paragraphs, bullets and headings, a
numbered source with its quote) are shared with the conversation export (`exports`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.answers import Answer

if TYPE_CHECKING:  # python-docx is imported when a document is written
    from docx.document import Document

HEADING = "Ghi chú chuẩn bị họp"
AUTHOR = "Trợ lý chương trình phối hợp"
SUMMARY = "TÓM TẮT:"


def source_meta(*parts: str) -> str:
    """A source's description: its non-empty parts joined by " — " (title, date, file, URL…)."""
    return " — ".join(part for part in parts if part)


def _page(page: int | None) -> str:
    return f"trang {page}" if page is not None else ""


def to_markdown(answer: Answer) -> str:
    today = dt.date.today().strftime("%d/%m/%Y")
    lines = [f"# {HEADING}", "", f"*{answer.question}* — lập ngày {today}", "", answer.answer, "", "## Nguồn", ""]
    for c in answer.citations:
        lines.append(f"[{c.n}] {source_meta(c.title, _page(c.page), c.date, c.source, c.url)}")
        lines.append(f"> {c.quote}")
        lines.append("")
    return "\n".join(lines)


def new_document(title: str) -> Document:
    """A DOCX document with its title set and shown as the first heading."""
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = AUTHOR
    document.add_heading(title, level=1)
    return document


def add_answer_text(document: Document, text: str) -> None:
    """An answer's lines: "- " and "+ " items as bullets, "TÓM TẮT: …" as a heading, others as paragraphs."""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith(("- ", "+ ")):
            style = "List Bullet 2" if stripped.startswith("+ ") or line.startswith("  ") else "List Bullet"
            document.add_paragraph(stripped[2:], style=style)
        elif stripped.startswith(SUMMARY):
            document.add_heading(stripped[len(SUMMARY):].strip(), level=2)
        else:
            document.add_paragraph(stripped)


def add_source(document: Document, n: int, meta: str, quote: str) -> None:
    """One cited source: "[n] meta", then its quote (if any) indented."""
    import docx.shared

    document.add_paragraph(f"[{n}] {meta}")
    if quote:
        paragraph = document.add_paragraph(quote)
        paragraph.paragraph_format.left_indent = docx.shared.Cm(1)


def to_docx(answer: Answer, path: Path) -> Path:
    document = new_document(HEADING)
    document.add_paragraph().add_run(answer.question).italic = True
    add_answer_text(document, answer.answer)
    document.add_heading("Nguồn", level=2)
    for c in answer.citations:
        add_source(document, c.n, source_meta(c.title, _page(c.page), c.date, c.source, c.url), c.quote)
    path = Path(path)
    document.save(str(path))
    return path
