"""PDF files: the text layer of each page, scanned pages read by OCR (`ocr`), lines rejoined, and
where each page begins in the article's cleaned text (for citations that name the page)."""

from __future__ import annotations

import io
import re

from assistant.errors import Rejected
from assistant.ingest.cleaning import normalize_unicode

MIN_PDF_TEXT = 80            # less readable text than this is no article
MAX_PDF_PAGES = 400
MIN_PAGE_TEXT = 20           # a page with less text than this but an image is a scanned page


def parse_pdf(data: bytes) -> tuple[str, dict]:
    """The text of a PDF (its text layer, or OCR of scanned pages), and its title and page texts."""
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if not data[:1024].lstrip().startswith(b"%PDF"):
        raise Rejected("tệp không phải PDF (nội dung không đúng định dạng PDF dù có đuôi .pdf)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise Rejected("PDF được mã hóa bằng mật khẩu")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise Rejected(f"PDF quá dài ({len(reader.pages)} trang, giới hạn {MAX_PDF_PAGES})")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = (reader.metadata.title if reader.metadata else None) or ""
        scanned = [i for i, text in enumerate(pages) if len(text.strip()) < MIN_PAGE_TEXT and reader.pages[i].images]
        if scanned:   # pages that are pictures of text (a scanned document): read them by OCR
            from assistant.ingest.ocr import read_pages

            for i, text in zip(scanned, read_pages([reader.pages[i] for i in scanned]), strict=True):
                pages[i] = text
    except Rejected:
        raise
    except Exception as exc:
        raise Rejected("PDF hỏng hoặc không đọc được") from exc
    text = _rejoin_pdf_lines("\n".join(pages))
    if len(text.strip()) < MIN_PDF_TEXT:
        raise Rejected("PDF không có chữ đọc được (không có lớp chữ, và nhận dạng chữ trên ảnh không ra nội dung)")
    meta: dict = {"pages": [_rejoin_pdf_lines(page) for page in pages]}
    if title:
        meta["title"] = title
    return text, meta


def _rejoin_pdf_lines(text: str) -> str:
    """PDF text breaks lines mid-sentence. Join a line to the next when the next starts in lower
    case, or when a long line ends in a capitalised word and the next goes on capitalised (a name
    wrapped across lines: "Phạm Thị" / "Thanh Thủy")."""
    lines = [line.strip() for line in text.split("\n")]
    longest = max((len(line) for line in lines), default=0)
    out: list[str] = []
    for line in lines:
        prev = out[-1] if out else ""
        open_end = bool(prev) and not re.search(r"[.!?:;…”\"]$", prev)
        wrapped_name = (open_end and len(prev) >= 0.7 * longest and prev.split()[-1][:1].isupper()
                        and line[:1].isupper())
        if open_end and line and (line[0].islower() or wrapped_name):
            out[-1] = prev + " " + line
        else:
            out.append(line)
    return "\n".join(out)


def page_starts(text: str, pages: list[str]) -> tuple[tuple[int, int], ...]:
    """Where each page of a paged file begins in its cleaned text: found by the page's first words
    (cleaning rejoins lines and drops residue, so offsets are not carried through it). A page whose
    opening cannot be found is left out: its passages are cited with the page before it."""
    starts = [(1, 0)]
    position = 0
    for number, page in enumerate(pages[1:], start=2):
        words = normalize_unicode(page).split()
        for count in (6, 4, 3):   # fewer words when the page's opening runs into text cleaning dropped
            if len(words) < min(count, 3):
                break
            found = re.compile(r"\s+".join(map(re.escape, words[:count]))).search(text, position + 1)
            if found:
                starts.append((number, found.start()))
                position = found.start()
                break
    return tuple(starts)
