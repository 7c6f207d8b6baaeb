"""Export a briefing note (an `Answer` from `Answerer.brief`) as Markdown and as DOCX."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from assistant.answers import Answer

HEADING = "Ghi chú chuẩn bị họp"


def to_markdown(answer: Answer) -> str:
    today = dt.date.today().strftime("%d/%m/%Y")
    lines = [f"# {HEADING}", "", f"*{answer.question}* — lập ngày {today}", "", answer.answer, "", "## Nguồn", ""]
    for c in answer.citations:
        meta = " — ".join(x for x in (c.title, c.date, c.source, c.url) if x)
        lines.append(f"[{c.n}] {meta}")
        lines.append(f"> {c.quote}")
        lines.append("")
    return "\n".join(lines)


def to_docx(answer: Answer, path: Path) -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = HEADING
    document.core_properties.author = "Trợ lý chương trình phối hợp"
    document.add_heading(HEADING, level=1)
    document.add_paragraph().add_run(answer.question).italic = True
    for line in answer.answer.splitlines():
        if not line.strip():
            continue
        stripped = line.strip()
        if stripped.startswith(("- ", "+ ")):
            style = "List Bullet 2" if stripped.startswith("+ ") or line.startswith("  ") else "List Bullet"
            document.add_paragraph(stripped[2:], style=style)
        elif stripped.startswith("TÓM TẮT:"):
            document.add_heading(stripped[len("TÓM TẮT:"):].strip(), level=2)
        else:
            document.add_paragraph(stripped)
    document.add_heading("Nguồn", level=2)
    for c in answer.citations:
        meta = " — ".join(x for x in (c.title, c.date, c.source, c.url) if x)
        document.add_paragraph(f"[{c.n}] {meta}")
        quote = document.add_paragraph(c.quote)
        quote.paragraph_format.left_indent = docx.shared.Cm(1)
    path = Path(path)
    document.save(str(path))
    return path
