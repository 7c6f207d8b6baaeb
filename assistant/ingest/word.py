"""Word documents (.docx): the text in reading order (paragraphs and table rows as they come), the
title, and the text page by page when the file records where pages break.

A .docx has no fixed pages: Word lays them out when it opens the file. What it records is where they
broke the last time it saved (`w:lastRenderedPageBreak`); files made by other tools record only the
breaks the author put in (a page break, a section starting on a new page, "page break before").
The first kind, when present, is the more complete; else the second; a file with neither gives no
pages, and its citations name none rather than a wrong one.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any  # python-docx XML elements (lxml)

from assistant.errors import Rejected

MAX_DOCX_UNPACKED = 200 * 1024 * 1024
MAX_ZIP_RATIO = 200
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
RENDERED, AUTHORED = "rendered", "authored"   # the two kinds of page break a file can record
PAGE_BREAK = object()


def check_zip(data: bytes, label: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise Rejected(f"tệp {label} hỏng (không phải tệp nén hợp lệ)") from exc
    total = sum(i.file_size for i in infos)
    worst = max((i.file_size / max(i.compress_size, 1) for i in infos), default=0)
    if total > MAX_DOCX_UNPACKED or worst > MAX_ZIP_RATIO:
        raise Rejected(f"tệp {label} bất thường: giải nén ra {total / 1048576:.0f} MB "
                       f"(tỉ lệ nén {worst:.0f}×), có thể là bom nén")


def parse_docx(data: bytes) -> tuple[str, dict]:
    """The document's text and its metadata: `title`, and `pages` (the text of each page) when the
    file records page breaks."""
    check_zip(data, ".docx")
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on malformed packages
        raise Rejected("tệp .docx hỏng hoặc không đọc được") from exc
    body = document.element.body
    kind = RENDERED if next(body.iter(f"{_W}lastRenderedPageBreak"), None) is not None else AUTHORED
    pages: list[list[str]] = [[]]
    line: list[str] = []
    for piece in _pieces(body, kind, _new_page_sections(body)):
        if piece is PAGE_BREAK:
            if line or pages[-1]:
                pages[-1].append("".join(line))
                pages.append([])
            line = []
        elif piece == "\n":
            pages[-1].append("".join(line))
            line = []
        else:
            line.append(str(piece))
    pages[-1].append("".join(line))
    texts = ["\n".join(lines) for lines in pages]
    meta: dict = {"pages": texts} if len(texts) > 1 else {}
    if document.core_properties.title:
        meta["title"] = document.core_properties.title
    # core_properties.author is whoever (or whatever tool) saved the file, not the byline.
    return "\n".join(texts), meta


def _new_page_sections(body: Any) -> list[Any]:
    """The section ends (a paragraph's `w:sectPr`) after which a page starts: where the next section
    is not continuous (a section's `w:type` says how it starts; the last one is the body's)."""
    sections = list(body.iter(f"{_W}sectPr"))
    return [section for section, following in zip(sections, sections[1:], strict=False)
            if _starts_page(following)]


def _starts_page(section: Any) -> bool:
    start = section.find(f"{_W}type")   # absent: "nextPage"; "continuous" and "nextColumn" stay on the page
    return start is None or start.get(f"{_W}val") in (None, "nextPage", "evenPage", "oddPage")


def _pieces(body: Any, kind: str, new_page: list[Any]) -> Iterator[object]:
    """Text pieces, "\\n" at the end of each paragraph and table row, PAGE_BREAK where a page ends."""
    for block in body.iterchildren():
        if block.tag == f"{_W}tbl":
            for row in block.iter(f"{_W}tr"):
                if any(_breaks(element, kind) for element in row.iter()):
                    yield PAGE_BREAK
                cells = [" ".join("".join(t.text or "" for t in p.iter(f"{_W}t")) for p in cell.iter(f"{_W}p")).strip()
                         for cell in row.iter(f"{_W}tc")]
                cells = [c for c in cells if c]
                if cells:
                    yield " | ".join(dict.fromkeys(cells))
                    yield "\n"
            continue
        for paragraph in ([block] if block.tag == f"{_W}p" else block.iter(f"{_W}p")):
            yield from _paragraph(paragraph, kind, new_page)


def _paragraph(paragraph: Any, kind: str, new_page: list[Any]) -> Iterator[object]:
    properties = paragraph.find(f"{_W}pPr")
    if kind == AUTHORED and properties is not None and properties.find(f"{_W}pageBreakBefore") is not None:
        yield PAGE_BREAK
    for element in paragraph.iter():
        if element.tag == f"{_W}t":
            yield element.text or ""
        elif element.tag == f"{_W}tab":
            yield "\t"
        elif _breaks(element, kind):
            yield PAGE_BREAK
        elif element.tag in (f"{_W}br", f"{_W}cr"):
            yield "\n"
    yield "\n"
    section = properties.find(f"{_W}sectPr") if properties is not None else None
    if kind == AUTHORED and section is not None and any(section is s for s in new_page):
        yield PAGE_BREAK


def _breaks(element: Any, kind: str) -> bool:
    """Whether this element ends a page, for the kind of breaks the file is read by."""
    if kind == RENDERED:
        return bool(element.tag == f"{_W}lastRenderedPageBreak")
    return bool(element.tag == f"{_W}br" and element.get(f"{_W}type") == "page")
