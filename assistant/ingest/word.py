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
RENDERED, AUTHORED = "rendered", "authored"   # the two kinds of page break a file can record


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
        body = document.element.body
        if body is None:
            raise ValueError("no document body")
        reader = _BodyReader(body)
        reader.blocks(body)
        title = document.core_properties.title
    except Rejected:
        raise
    except Exception as exc:  # python-docx and lxml raise many kinds on malformed packages
        raise Rejected("tệp .docx hỏng hoặc không đọc được") from exc
    text = "".join(reader.parts)
    meta: dict = {}
    if reader.breaks:
        bounds = [0, *reader.breaks, len(text)]
        meta["pages"] = [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    if title:
        meta["title"] = title
    # core_properties.author is whoever (or whatever tool) saved the file, not the byline.
    return text, meta


def _w(name: str) -> str:
    return f"{{{_NS}}}{name}"


_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Elements whose children are runs (or more of these): links, tracked insertions, fields, controls.
_INLINE_CONTAINERS = {_w(n) for n in ("hyperlink", "ins", "smartTag", "fldSimple", "customXml", "sdt", "sdtContent",
                                      "dir", "bdo")}
_BLOCK_CONTAINERS = {_w(n) for n in ("sdt", "sdtContent", "customXml", "ins")}
RENDERED_BREAK, AUTHORED_BREAK = object(), object()


def _inline(element: Any) -> Iterator[object]:
    """The text of a paragraph's runs, in order; deleted text, drawings and text boxes are not read
    (as Word's own plain-text view). Page breaks come as RENDERED_BREAK / AUTHORED_BREAK."""
    for child in element:
        if child.tag == _w("r"):
            yield from _run(child)
        elif child.tag in _INLINE_CONTAINERS:
            yield from _inline(child)


def _run(run: Any) -> Iterator[object]:
    for child in run:
        tag = child.tag
        if tag == _w("t"):
            yield child.text or ""
        elif tag in (_w("tab"), _w("ptab")):
            yield "\t"
        elif tag == _w("noBreakHyphen"):
            yield "-"
        elif tag == _w("lastRenderedPageBreak"):
            yield RENDERED_BREAK
        elif tag == _w("br"):
            yield AUTHORED_BREAK if child.get(_w("type")) == "page" else "\n"
        elif tag == _w("cr"):
            yield "\n"


def _text_of(element: Any) -> str:
    """Plain text of a table cell (its paragraphs and nested tables), on one line."""
    pieces = []
    for child in element:
        if child.tag == _w("p"):
            pieces.append("".join(p for p in _inline(child) if isinstance(p, str)))
        elif child.tag == _w("tbl"):
            pieces += [" | ".join(_row_cells(row)) for row in child.findall(_w("tr"))]
        elif child.tag in _BLOCK_CONTAINERS:
            pieces.append(_text_of(child))
    return " ".join(" ".join(pieces).split())


def _row_cells(row: Any) -> list[str]:
    cells = [_text_of(cell) for cell in row.findall(_w("tc"))]
    return list(dict.fromkeys(c for c in cells if c))   # a merged cell repeats its text


class _BodyReader:
    """The body's text in reading order, and the offsets where pages begin."""

    def __init__(self, body: Any):
        self.kind = RENDERED if next(body.iter(_w("lastRenderedPageBreak")), None) is not None else AUTHORED
        self.new_page = _new_page_sections(body) if self.kind == AUTHORED else []
        self.parts: list[str] = []
        self.length = 0
        self.breaks: list[int] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def page_break(self) -> None:
        if self.length:   # a break before any text opens no page
            self.breaks.append(self.length)

    def blocks(self, container: Any) -> None:
        for block in container:
            if block.tag == _w("p"):
                self.paragraph(block)
            elif block.tag == _w("tbl"):
                self.table(block)
            elif block.tag in _BLOCK_CONTAINERS:
                self.blocks(block)

    def paragraph(self, paragraph: Any) -> None:
        properties = paragraph.find(_w("pPr"))
        before = properties.find(_w("pageBreakBefore")) if properties is not None else None
        if self.kind == AUTHORED and before is not None and before.get(_w("val")) in (None, "1", "true", "on"):
            self.page_break()
        for piece in _inline(paragraph):
            if piece is RENDERED_BREAK or piece is AUTHORED_BREAK:
                if (piece is RENDERED_BREAK) == (self.kind == RENDERED):
                    self.page_break()
                if piece is AUTHORED_BREAK and self.parts and not self.parts[-1][-1:].isspace():
                    self.add(" ")   # the words on either side of a page break stay apart
            else:
                self.add(str(piece))
        self.add("\n")
        section = properties.find(_w("sectPr")) if properties is not None else None
        if section is not None and any(section is s for s in self.new_page):
            self.page_break()

    def table(self, table: Any) -> None:
        for row in table.findall(_w("tr")):
            marker = "lastRenderedPageBreak" if self.kind == RENDERED else "br"
            if any(self.kind == RENDERED or b.get(_w("type")) == "page" for b in row.iter(_w(marker))):
                self.page_break()   # a page that breaks inside a row is counted from the row
            cells = _row_cells(row)
            if cells:
                self.add(" | ".join(cells) + "\n")


def _new_page_sections(body: Any) -> list[Any]:
    """The section ends (a paragraph's `w:sectPr`) after which a page starts: where the next section
    is not continuous (a section's `w:type` says how it starts; the last one is the body's)."""
    sections = list(body.iter(_w("sectPr")))
    return [section for section, following in zip(sections, sections[1:], strict=False)
            if _starts_page(following)]


def _starts_page(section: Any) -> bool:
    start = section.find(_w("type"))   # absent: "nextPage"; "continuous" and "nextColumn" stay on the page
    return start is None or start.get(_w("val")) in (None, "nextPage", "evenPage", "oddPage")
