"""Word documents keep their pages: the breaks an author puts in (page break, a section on a new page,
"page break before") or, when Word saved the file, where it last laid the pages out; a file that
records neither gives no page rather than a wrong one. Documents built here with python-docx."""

from __future__ import annotations

import copy
import io

from conftest import TEST_ARTICLES
from fakes import MemoryCorpus

from assistant.answers.answerer import Answerer
from assistant.ingest.loading import load_bytes, load_file, split_header

ARTICLE = TEST_ARTICLES / "ha_tinh_dan_van_cong_an.txt"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def saved(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def starts(article) -> dict[int, str]:
    """Each page's number and its first words, read at the offset the article records."""
    return {number: " ".join(article.text[offset:].split()[:3]) for number, offset in article.pages}


def test_the_breaks_an_author_puts_in_number_the_pages():
    import docx
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    document.add_paragraph("Ban Dân vận Huyện ủy ký kết chương trình phối hợp với Công an huyện.")
    run = document.add_paragraph("Hai bên thống nhất năm nội dung phối hợp. ").add_run()
    run.add_break(WD_BREAK.PAGE)
    run.add_text("Trang hai bắt đầu giữa đoạn văn này.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Đơn vị ký kết", "Công an huyện"
    document.add_paragraph("Đoạn cuối của trang hai.")
    document.add_section(WD_SECTION.NEW_PAGE)
    document.add_paragraph("Phần ba mở đầu ở một mục mới.")
    document.add_section(WD_SECTION.CONTINUOUS)   # a section that runs on: no new page
    document.add_paragraph("Vẫn là trang ba.")
    document.add_paragraph("Trang bốn vì ngắt trang trước đoạn.").paragraph_format.page_break_before = True

    article = load_bytes(saved(document), "huyen.docx", ".docx")
    assert starts(article) == {1: "Ban Dân vận", 2: "Trang hai bắt", 3: "Phần ba mở", 4: "Trang bốn vì"}
    # reading order: the table row sits where it is in the document, not at the end
    assert article.text.index("Đơn vị ký kết | Công an huyện") < article.text.index("Đoạn cuối của trang hai")


def test_where_word_last_laid_out_the_pages_is_used_when_the_file_records_it():
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    first = document.add_paragraph("Lễ ký kết diễn ra tại hội trường Huyện ủy với sự tham dự của lãnh đạo huyện. " * 3)
    document.add_paragraph("Đoạn này Word đã dàn sang trang sau khi lưu tệp.")
    document.add_paragraph("Trước một ngắt trang do tác giả chèn.").add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("Trang ba theo bố cục Word.")
    paragraphs = document.paragraphs
    for paragraph in (paragraphs[1], paragraphs[3]):   # as Word writes them: at the first run of each new page
        run = paragraph.runs[0]._r
        run.insert(0, copy.deepcopy(run.makeelement(f"{W}lastRenderedPageBreak", {})))
    assert first.text
    article = load_bytes(saved(document), "word.docx", ".docx")
    # the author's page break is not counted twice: Word's layout already has it
    assert starts(article) == {1: "Lễ ký kết", 2: "Đoạn này Word", 3: "Trang ba theo"}


def test_a_file_that_records_no_page_breaks_names_no_page():
    article = load_file(TEST_ARTICLES / "huong_thuy_tuyen_giao.docx", TEST_ARTICLES, 20 * 1024 * 1024)
    assert article.pages == () and "Thượng tá Nguyễn Hữu Tài" in article.text


def test_an_answer_from_the_second_page_of_a_word_file_cites_it(tmp_path):
    import docx
    from docx.enum.text import WD_BREAK

    header, body = split_header(ARTICLE.read_text(encoding="utf-8"))
    paragraphs = [p for p in body.split("\n") if p.strip()]
    half = len(paragraphs) // 2
    document = docx.Document()
    document.core_properties.title = header["title"]
    for n, paragraph in enumerate(paragraphs):
        run = document.add_paragraph().add_run(paragraph)
        if n == half - 1:
            run.add_break(WD_BREAK.PAGE)
    (tmp_path / "ha_tinh.docx").write_bytes(saved(document))
    answerer = Answerer(MemoryCorpus([tmp_path / "ha_tinh.docx"]))
    attended = answerer.answer("Ai dự hội nghị ký kết ở Hà Tĩnh?")
    assert "Trần Thế Dũng" in attended.answer and attended.citations[0].page == 1
    asked = answerer.answer("Ông Trần Thế Dũng đề nghị gì tại hội nghị ở Hà Tĩnh?")
    cited = [c for c in asked.citations if "đề nghị" in c.quote]
    assert cited and all(c.page == 2 and c.public()["page"] == 2 for c in cited), asked.answer
