"""Scanned PDFs: a Vietnamese article rendered to page images and wrapped as a PDF (no text layer),
read back by Tesseract's Vietnamese model within a character-accuracy threshold, then answered."""

from __future__ import annotations

import difflib
import io
import textwrap
from pathlib import Path

import pytest
from conftest import TEST_ARTICLES
from fakes import MemoryCorpus

from assistant.answers.answerer import Answerer
from assistant.errors import Rejected
from assistant.ingest import ocr
from assistant.ingest.loading import load_bytes, load_file, split_header

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")   # Debian fonts-dejavu-core (make test)
ARTICLE = TEST_ARTICLES / "ha_tinh_dan_van_cong_an.txt"


def page_image(text: str):
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT), 28)
    image = Image.new("L", (1654, 2339), 255)   # A4 at 200 dpi, as an office scanner makes it
    draw, y = ImageDraw.Draw(image), 120
    for paragraph in text.split("\n"):
        for line in textwrap.wrap(paragraph, 90) or [""]:
            draw.text((120, y), line, font=font, fill=0)
            y += 40
    return image


def scanned_pdf(pages: list[str]) -> bytes:
    images = [page_image(text) for text in pages]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=200, save_all=True, append_images=images[1:])
    return out.getvalue()


def article_pages() -> list[str]:
    _header, body = split_header(ARTICLE.read_text(encoding="utf-8"))
    paragraphs = [p for p in body.split("\n") if p.strip()]
    half = len(paragraphs) // 2
    return ["\n".join(paragraphs[:half]), "\n".join(paragraphs[half:])]


def accuracy(expected: str, got: str) -> float:
    return difflib.SequenceMatcher(None, " ".join(expected.split()), " ".join(got.split())).ratio()


@pytest.mark.integration   # runs Tesseract
def test_a_scanned_article_is_read_and_answered(tmp_path):
    if not FONT.exists() or not ocr.available():
        pytest.fail("Tesseract with Vietnamese and DejaVu fonts are needed: `make test` installs them")
    pages = article_pages()
    data = scanned_pdf(pages)
    article = load_bytes(data, "ha_tinh_quet.pdf", ".pdf")
    typed = load_file(ARTICLE, ARTICLE.parent, 20 * 1024 * 1024).text   # the same article, cleaned the same way
    assert accuracy(typed, article.text) >= 0.97
    second_page = article.text.index(" ".join(pages[1].split()[:4]))
    assert article.pages == ((1, 0), (2, second_page))
    (tmp_path / "ha_tinh_quet.pdf").write_bytes(data)
    answerer = Answerer(MemoryCorpus([tmp_path / "ha_tinh_quet.pdf"]))
    answer = answerer.answer("Ai dự hội nghị ký kết ở Hà Tĩnh?")
    assert not answer.refused and "Trần Thế Dũng" in answer.answer
    assert answer.citations[0].page == 1 and answer.citations[0].public()["page"] == 1   # the page is cited
    directive = answerer.answer("Ông Trần Thế Dũng đề nghị gì tại hội nghị ở Hà Tĩnh?")
    assert any(c.page == 2 and "đề nghị" in c.quote for c in directive.citations), directive.answer


@pytest.mark.integration
def test_a_pdf_with_a_text_page_and_a_scanned_page_keeps_both(tmp_path):
    if not FONT.exists() or not ocr.available():
        pytest.fail("Tesseract with Vietnamese and DejaVu fonts are needed: `make test` installs them")
    from pypdf import PdfReader, PdfWriter

    first, second = article_pages()
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(scanned_pdf([second]))).pages:
        writer.add_page(page)
    text_page = PdfReader(TEST_ARTICLES / "thanh_hoa_dan_van_mttq.pdf").pages[0]
    writer.insert_page(text_page, 0)
    out = io.BytesIO()
    writer.write(out)
    article = load_bytes(out.getvalue(), "hai_trang.pdf", ".pdf")
    assert " ".join(text_page.extract_text().split()[:8]) in " ".join(article.text.split())   # the text layer
    assert "Phát biểu chỉ đạo, ông Trần Thế Dũng đề nghị hai đơn vị" in article.text          # the scan, read


def test_without_tesseract_a_scan_is_rejected_with_how_to_install_it(monkeypatch):
    from PIL import Image

    blank = io.BytesIO()
    Image.new("L", (800, 1100), 255).save(blank, "PDF", resolution=100)
    monkeypatch.setattr(ocr.shutil, "which", lambda _name: None)
    with pytest.raises(Rejected) as caught:
        load_bytes(blank.getvalue(), "quet.pdf", ".pdf")
    assert "apt-get install tesseract-ocr tesseract-ocr-vie" in caught.value.reason


@pytest.mark.integration   # Tesseract, the real model and Chroma, CLI processes
def test_scanned_pdf_and_word_file_dropped_into_sources_are_answered_with_their_pages(tmp_path, embedder):
    """The whole path a user takes: files in a sources folder, `ingest`, then `ask --json` and the chat,
    each citation naming its page."""
    import json

    import docx
    from conftest import run_cli
    from docx.enum.text import WD_BREAK

    from assistant.app.presenting import answer_html
    from assistant.app.service import Assistant
    from assistant.config import load_settings

    if not FONT.exists() or not ocr.available():
        pytest.fail("Tesseract with Vietnamese and DejaVu fonts are needed: `make test` installs them")
    sources, index = tmp_path / "sources", tmp_path / "index"
    sources.mkdir()
    pages = article_pages()
    (sources / "ha_tinh_quet.pdf").write_bytes(scanned_pdf(pages))
    document = docx.Document()   # another article as a Word file: people on page 1, contents on page 2
    lines = [line for line in (TEST_ARTICLES / "gia_lai_tuyen_giao_so.txt").read_text(encoding="utf-8-sig")
             .split("\n") if line.strip()]
    for line in lines:
        run = document.add_paragraph().add_run(line)
        if line.startswith("- Nguyễn Ngọc Ánh"):
            run.add_break(WD_BREAK.PAGE)
    document.save(sources / "gia_lai.docx")

    ingested = run_cli("ingest", "--sources", str(sources), "--index", str(index))
    assert ingested.returncode == 0 and "thêm 2" in ingested.stdout, ingested.stdout + ingested.stderr
    asked = run_cli("ask", "--index", str(index), "--json", "Ông Trần Thế Dũng đề nghị gì tại hội nghị ở Hà Tĩnh?")
    answer = json.loads(asked.stdout)
    cited = [c for c in answer["citations"] if "đề nghị" in c["quote"]]
    assert cited and all(c["source"] == "ha_tinh_quet.pdf" and c["page"] == 2 for c in cited), answer

    service = Assistant(load_settings(sources_dir=sources, index_dir=index), embedder)
    try:
        shown = service.ask("Ông Trần Thế Dũng đề nghị gì tại hội nghị ở Hà Tĩnh?")
        assert "trang 2" in answer_html(shown)                                  # the chat names the page
        attended = service.ask("Ai tham dự lễ ký kết quy chế phối hợp ở Gia Lai?")
        assert "Đinh Văn Nam" in attended.answer and attended.citations
        on_page_two = "đề nghị các đơn vị"   # the one sentence after the page break that names a leader
        assert all(c.source == "gia_lai.docx" and c.page == (2 if on_page_two in c.quote else 1)
                   for c in attended.citations)
        assert any("Đinh Văn Nam" in c.quote and c.page == 1 for c in attended.citations)
        contents = service.ask("Quy chế phối hợp ở Gia Lai có những nội dung gì?")
        assert "báo cáo viên pháp luật" in contents.answer
        assert any(c.source == "gia_lai.docx" and c.page == 2 and "báo cáo viên" in c.quote for c in contents.citations)
    finally:
        service.close()
