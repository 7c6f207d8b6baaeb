"""Word documents keep their pages: the breaks an author puts in (page break, a section on a new page,
"page break before") or, when Word saved the file, where it last laid the pages out; a file that
records neither gives no page rather than a wrong one. Documents built here with python-docx."""

from __future__ import annotations

import copy
import io
import re
import zipfile

import pytest
from conftest import TEST_ARTICLES
from fakes import MemoryCorpus

from assistant.answers.answerer import Answerer
from assistant.errors import Rejected
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
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Hàng một của bảng", "vẫn ở trang ba"
    table.cell(1, 0).text, table.cell(1, 1).text = "Hàng hai của bảng", "sang trang bốn"
    paragraphs = [*document.paragraphs[1:4:2], table.cell(1, 1).paragraphs[0]]
    for paragraph in paragraphs:   # as Word writes them: at the first run of each new page
        run = paragraph.runs[0]._r
        run.insert(0, copy.deepcopy(run.makeelement(f"{W}lastRenderedPageBreak", {})))
    assert first.text
    article = load_bytes(saved(document), "word.docx", ".docx")
    # the author's page break is not counted twice: Word's layout already has it; a page that breaks
    # inside a table row is counted from the row
    assert starts(article) == {1: "Lễ ký kết", 2: "Đoạn này Word", 3: "Trang ba theo", 4: "Hàng hai của"}


def test_a_page_that_breaks_mid_paragraph_leaves_the_sentence_whole():
    """Word breaks pages inside paragraphs: the text reads on; only the page's start is recorded."""
    import docx

    document = docx.Document()
    document.add_paragraph("Lễ ký kết có sự tham dự của lãnh đạo huyện.")
    paragraph = document.add_paragraph("Tham dự có đồng chí Lê Văn A, Phó Bí thư Thường trực ")
    run = paragraph.add_run("Huyện ủy; đồng chí Trần Thị B, Chủ tịch UBND huyện.")
    run._r.insert(0, run._r.makeelement(f"{W}lastRenderedPageBreak", {}))
    article = load_bytes(saved(document), "giua_doan.docx", ".docx")
    assert "Phó Bí thư Thường trực Huyện ủy; đồng chí Trần Thị B" in article.text
    assert starts(article) == {1: "Lễ ký kết", 2: "Huyện ủy; đồng"}


def test_word_markup_reads_as_its_text_once():
    """Nested tables, text boxes (not read, as in Word's plain-text view), text moved with changes
    tracked, non-breaking hyphens, tab stops, "page break before" turned off, a blank page, and a file
    without a body."""
    import docx
    from docx.enum.text import WD_BREAK
    from docx.oxml import parse_xml

    document = docx.Document()
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "Ngoài A"
    inner = outer.cell(0, 1).add_table(rows=2, cols=1)
    inner.cell(0, 0).text, inner.cell(1, 0).text = "Trong 1", "Trong 2"
    paragraph = document.add_paragraph("Giai đoạn 2024")
    paragraph.add_run()._r.append(paragraph._p.makeelement(f"{W}noBreakHyphen", {}))
    paragraph.add_run("2026, xem hộp bên.")
    box = ('<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
           'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><w:pict><w:txbxContent>'
           '<w:p><w:r><w:t>Chữ trong hộp</w:t></w:r></w:p></w:txbxContent></w:pict></w:r>')
    paragraph._p.append(parse_xml(box))
    moved = ('<w:moveTo xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:id="2" w:author="x">'
             '<w:r><w:t xml:space="preserve"> Câu đã chuyển tới đây.</w:t></w:r></w:moveTo>')
    paragraph._p.append(parse_xml(moved))
    paragraph.paragraph_format.tab_stops.add_tab_stop(docx.shared.Cm(3))
    off = document.add_paragraph("Không ngắt trang trước đoạn này.")
    off.paragraph_format.page_break_before = False
    blank = document.add_paragraph("Trước hai lần ngắt trang.").add_run()
    blank.add_break(WD_BREAK.PAGE)
    blank.add_break(WD_BREAK.PAGE)
    document.add_paragraph("Sau một trang trắng.")

    article = load_bytes(saved(document), "nhieu_thu.docx", ".docx")
    assert article.text.count("Trong 1") == 1 and "Ngoài A | Trong 1 Trong 2" in article.text
    assert "Giai đoạn 2024-2026, xem hộp bên. Câu đã chuyển tới đây." in article.text   # tracked move read
    assert "Chữ trong hộp" not in article.text
    assert "\t" not in article.text
    assert starts(article) == {1: "Ngoài A |", 3: "Sau một trang"}   # page 2 was left blank

    empty = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(saved(document))) as source, \
            zipfile.ZipFile(empty, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = re.sub(rb"<w:body>.*</w:body>", b"", data, flags=re.S)
            target.writestr(item, data)
    with pytest.raises(Rejected) as rejected:
        load_bytes(empty.getvalue(), "khong_than.docx", ".docx")
    assert "hỏng" in rejected.value.reason


def test_page_counts_at_section_starts_and_in_long_rows_and_wrapped_rows():
    """A new section whose first paragraph also asks for a new page starts one page, not two; a table
    row that crosses two page turns counts both; rows inside a content control are read; a page break
    recorded only in deleted text does not make the file read by Word's layout."""
    import docx
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_BREAK
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph("Trang một của văn bản.")
    document.add_section(WD_SECTION.NEW_PAGE)
    document.add_paragraph("Chương hai bắt đầu mục mới.").paragraph_format.page_break_before = True
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Hàng dài", "qua hai lần sang trang"
    long_cell = table.cell(0, 1).paragraphs[0]
    for _ in range(2):
        long_cell.add_run().add_break(WD_BREAK.PAGE)
    table.cell(1, 0).text, table.cell(1, 1).text = "Hàng sau", "ở trang bốn"
    row = table.rows[1]._tr
    wrapper = parse_xml('<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                        '<w:sdtContent/></w:sdt>')
    row.addprevious(wrapper)
    wrapper[0].append(row)                                 # the second row inside a content control
    deleted = parse_xml('<w:del xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:id="1" '
                        'w:author="x"><w:r><w:lastRenderedPageBreak/><w:delText>đã xóa</w:delText></w:r></w:del>')
    document.add_paragraph("Đoạn cuối.")._p.append(deleted)

    article = load_bytes(saved(document), "muc.docx", ".docx")
    assert "Hàng sau | ở trang bốn" in article.text and "đã xóa" not in article.text
    assert starts(article) == {1: "Trang một của", 2: "Chương hai bắt", 4: "Hàng sau |"}   # 3 is inside the row


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
