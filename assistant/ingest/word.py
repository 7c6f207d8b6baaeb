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
_INLINE_CONTAINERS = {_w(n) for n in ("hyperlink", "ins", "moveTo", "smartTag", "fldSimple", "customXml", "sdt",
                                      "sdtContent", "dir", "bdo")}
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
            pieces += [" | ".join(_row_cells(row)) for row in _children(child, _w("tr"))]
        elif child.tag in _BLOCK_CONTAINERS:
            pieces.append(_text_of(child))
    return " ".join(" ".join(pieces).split())


def _children(element: Any, tag: str) -> Iterator[Any]:
    """Child elements with this tag, also those wrapped in content controls or custom XML."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in _BLOCK_CONTAINERS:
            yield from _children(child, tag)


_UNREAD = {_w(n) for n in ("del", "moveFrom", "txbxContent")}


def _read(element: Any) -> bool:
    """Whether the element is in text this reader reads (not deleted, moved away or in a text box)."""
    return not any(ancestor.tag in _UNREAD for ancestor in element.iterancestors())


def _row_cells(row: Any) -> list[str]:
    cells = [_text_of(cell) for cell in _children(row, _w("tc"))]
    return list(dict.fromkeys(c for c in cells if c))   # a merged cell repeats its text


class _BodyReader:
    """The body's text in reading order, and the offsets where pages begin."""

    def __init__(self, body: Any):
        self.kind = RENDERED if any(_read(b) for b in body.iter(_w("lastRenderedPageBreak"))) else AUTHORED
        self.new_page = _new_page_sections(body) if self.kind == AUTHORED else []
        self.parts: list[str] = []
        self.length = 0
        self.breaks: list[int] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def page_break(self, blank: bool = True) -> None:
        """A page starts here. `blank=False` for a break that only asks for a new page ("page break
        before", a section on a new page): none is added when one has just started."""
        if not self.length:   # a break before any text opens no page
            return
        if not blank and self.breaks and self.breaks[-1] == self.length:
            return
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
            self.page_break(blank=False)
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
            self.page_break(blank=False)

    def table(self, table: Any) -> None:
        for row in _children(table, _w("tr")):
            before, after = self._pages_turned(row)
            for _ in range(before):
                self.page_break()   # the row starts on a new page
            cells = _row_cells(row)
            if cells:
                self.add(" | ".join(cells) + "\n")
            for _ in range(after):
                self.page_break()   # pages that turn inside the row: what follows is on the last

    def _pages_turned(self, row: Any) -> tuple[int, int]:
        """Pages that turn at a row's start and inside it: counted in the cell with the most breaks
        (each cell of a row that crosses a page records that page); that cell's first break before
        any of its text means the row starts on a new page."""
        def breaks(cell: Any) -> list[Any]:
            if self.kind == RENDERED:
                return [b for b in cell.iter(_w("lastRenderedPageBreak")) if _read(b)]
            return [b for b in cell.iter(_w("br")) if _read(b) and b.get(_w("type")) == "page"]

        cell, found = max(((cell, breaks(cell)) for cell in _children(row, _w("tc"))), key=lambda pair: len(pair[1]),
                          default=(None, []))
        if cell is None or not found:
            return 0, 0
        first = found[0]
        for element in cell.iter():
            if element is first:
                return 1, len(found) - 1
            if element.tag == _w("t") and (element.text or "").strip() and _read(element):
                return 0, len(found)
        return 0, len(found)


def _new_page_sections(body: Any) -> list[Any]:
    """The section ends (a paragraph's `w:sectPr`) after which a page starts: where the next section
    is not continuous (a section's `w:type` says how it starts; the last one is the body's)."""
    sections = list(body.iter(_w("sectPr")))
    return [section for section, following in zip(sections, sections[1:], strict=False)
            if _starts_page(following)]


def _starts_page(section: Any) -> bool:
    start = section.find(_w("type"))   # absent: "nextPage"; "continuous" and "nextColumn" stay on the page
    return start is None or start.get(_w("val")) in (None, "nextPage", "evenPage", "oddPage")
