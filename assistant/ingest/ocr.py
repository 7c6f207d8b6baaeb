"""Reading scanned pages: Tesseract's Vietnamese model on the page's picture.

A scanned PDF page has no text layer, only an image of the page. Its largest image is read with
Tesseract (`tesseract-ocr` + `tesseract-ocr-vie`, Debian packages that `make test` installs) through
pytesseract. Without Tesseract, or without its Vietnamese model, the file is rejected with a message
saying how to install them; nothing else is affected. About 4 s per page on 2 cores, so a scan is
bounded to `MAX_OCR_PAGES` pages.
"""

from __future__ import annotations

import shutil
from typing import Any

from assistant.errors import Rejected

MAX_OCR_PAGES = 60
LANGUAGE = "vie"
INSTALL = "sudo apt-get install tesseract-ocr tesseract-ocr-vie"


def available() -> bool:
    """Is Tesseract installed with its Vietnamese model?"""
    if shutil.which("tesseract") is None:
        return False
    import pytesseract

    try:
        return LANGUAGE in pytesseract.get_languages(config="")
    except Exception:   # a broken installation: as good as none
        return False


def read_pages(pages: list[Any]) -> list[str]:
    """The text of scanned PDF pages (pypdf pages), in order; `Rejected` when they cannot be read."""
    if len(pages) > MAX_OCR_PAGES:
        raise Rejected(f"PDF ảnh quét quá dài ({len(pages)} trang cần nhận dạng chữ, giới hạn {MAX_OCR_PAGES})")
    if not available():
        raise Rejected(f"PDF là ảnh quét, cần nhận dạng chữ (OCR) tiếng Việt: cài Tesseract bằng `{INSTALL}` "
                       f"rồi chạy lại")
    import pytesseract

    out = []
    for page in pages:
        pictures = [image.image for image in page.images if image.image is not None]
        if not pictures:
            out.append("")
            continue
        largest = max(pictures, key=lambda picture: picture.width * picture.height)
        out.append(pytesseract.image_to_string(largest.convert("L"), lang=LANGUAGE))
    return out
