"""One answer as plain text (what the page's copy buttons copy, written into each rendered answer by
`presenting.answer_html`), a whole conversation as Markdown and as DOCX (to download).

Answers come as `Answer.to_json()` dicts (what the chat keeps); a conversation is a list of turns
`{"question": str, "answer": <Answer.to_json() dict>}`. Every text, whether typed by the user or read
from an article, goes out without control characters or bidi override/isolate characters
(`clean_text`), so a question cannot reorder what a reader of the export sees. The plain text has no
markup at all; in the Markdown, "<" is backslash-escaped so that no text can become raw HTML.
"""

from __future__ import annotations

from pathlib import Path

from assistant.app.briefing import add_answer_text, add_source, new_document, source_meta
from assistant.text.plain import clean_text, one_line

__all__ = ["answer_text", "clean_text", "conversation_docx", "conversation_markdown"]

SOURCES = "Nguồn"
ASKED = "Hỏi"


def _citations(answer: dict) -> list[tuple[int, str, str]]:
    """(n, "title — date — url", quote) of each citation; the title falls back to the source file."""
    out = []
    for i, c in enumerate(answer.get("citations") or [], start=1):
        if not isinstance(c, dict):
            continue
        title = one_line(str(c.get("title") or "")) or one_line(str(c.get("source") or ""))
        page = f"trang {c['page']}" if isinstance(c.get("page"), int) else ""
        meta = source_meta(title, page, one_line(str(c.get("date") or "")), one_line(str(c.get("url") or "")))
        n = c.get("n")
        out.append((n if isinstance(n, int) and n > 0 else i, meta, one_line(str(c.get("quote") or ""))))
    return out


def _answer(turn: dict) -> dict:
    answer = turn.get("answer")
    return answer if isinstance(answer, dict) else {}


def _text(answer: dict) -> str:
    return clean_text(str(answer.get("answer") or "")).strip()


def answer_text(answer: dict) -> str:
    """The answer's text (its [n] markers kept), then its sources: "[n] title — date — url" and the
    quote, indented, in “…”."""
    lines = [_text(answer)]
    citations = _citations(answer)
    if citations:
        lines += ["", f"{SOURCES}:"]
    for n, meta, quote in citations:
        lines.append(f"[{n}] {meta}".rstrip())
        if quote:
            lines.append(f"    “{quote}”")
    return "\n".join(lines)


def _md(text: str) -> str:
    """Article text as Markdown text, never markup: no raw HTML, and no link or image syntax (an
    article's `![x](http://…)` would load a remote image in a viewer); `[1]` markers stay as they are."""
    return text.replace("<", "\\<").replace("![", "!\\[").replace("](", "]\\(")


def _markdown_body(text: str) -> list[str]:
    """An answer's lines as Markdown: "- " items a list ("+ " items nested), other lines paragraphs."""
    out: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith(("- ", "+ ")):
            nested = stripped.startswith("+ ") or line.startswith("  ")
            out.append(("  - " if nested else "- ") + _md(stripped[2:]))
        else:
            if out:
                out.append("")
            out += [_md(stripped), ""]
    return out


def conversation_markdown(turns: list[dict], title: str) -> str:
    """The conversation as a Markdown document: `# title`, then per turn `## Hỏi: …`, the answer and
    its sources as a numbered list with their quotes."""
    lines = [f"# {_md(one_line(title))}", ""]
    for turn in turns:
        answer = _answer(turn)
        lines += [f"## {ASKED}: {_md(one_line(str(turn.get('question') or '')))}", ""]
        lines += _markdown_body(_text(answer))
        citations = _citations(answer)
        if citations:
            lines += ["", f"**{SOURCES}:**", ""]
        for n, meta, quote in citations:
            lines.append(f"{n}. {_md(meta)}".rstrip())
            if quote:
                lines.append(" " * len(f"{n}. ") + f"> “{_md(quote)}”")
        lines.append("")
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.rstrip("\n") + "\n"


def conversation_docx(turns: list[dict], title: str, path: Path) -> Path:
    """The conversation as a DOCX file at `path` (the same parts as the Markdown); returns the path."""
    document = new_document(one_line(title))
    for turn in turns:
        answer = _answer(turn)
        document.add_heading(f"{ASKED}: {one_line(str(turn.get('question') or ''))}", level=2)
        add_answer_text(document, _text(answer))
        citations = _citations(answer)
        if citations:
            document.add_paragraph().add_run(f"{SOURCES}:").bold = True
        for n, meta, quote in citations:
            add_source(document, n, meta, f"“{quote}”" if quote else "")
    path = Path(path)
    document.save(str(path))
    return path
