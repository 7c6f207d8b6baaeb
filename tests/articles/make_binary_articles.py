"""Regenerate the .docx and .pdf test articles (kept in git; run only to change them).

Usage: python tests/articles/make_binary_articles.py   (needs python-docx, fpdf2 and DejaVu fonts)
"""

from pathlib import Path

HERE = Path(__file__).parent

DOCX_PARAGRAPHS = [
    ("Title", "Thị xã Hương Thủy: Ký kết chương trình phối hợp giữa Ban Tuyên giáo Thị ủy với Công an thị xã và Chi cục THADS"),
    (None, "Sáng 08/3/2023, Ban Tuyên giáo Thị ủy Hương Thủy (tỉnh Thừa Thiên Huế) tổ chức ký kết chương trình phối hợp "
           "với Công an thị xã và Chi cục Thi hành án dân sự thị xã Hương Thủy giai đoạn 2023 - 2025."),
    (None, "Tham dự có ông Lê Văn Thuận, Phó Bí thư Thường trực Thị ủy; ông Trần Đình Lộc, Trưởng Ban Tuyên giáo Thị ủy; "
           "Thượng tá Nguyễn Hữu Tài, Trưởng Công an thị xã; bà Phan Thị Hoa, Chi cục trưởng Chi cục THADS thị xã."),
    (None, "Các bên thống nhất phối hợp tuyên truyền pháp luật về thi hành án dân sự, phòng chống tội phạm; trao đổi thông tin "
           "về tình hình an ninh trật tự trên địa bàn; nắm bắt dư luận xã hội để kịp thời tham mưu Ban Thường vụ Thị ủy."),
    (None, "Minh Châu"),
]

PDF_TEXT = [
    "Thanh Hóa: Ban Dân vận Tỉnh ủy và Ủy ban MTTQ Việt Nam tỉnh ký kết chương trình phối hợp",
    "Cập nhật: 21/08/2023 09:30",
    "Ngày 20-8, Ban Dân vận Tỉnh ủy Thanh Hóa và Ủy ban MTTQ Việt Nam tỉnh ký kết chương trình phối hợp "
    "thực hiện công tác dân vận giai đoạn 2023 - 2028.",
    "Dự lễ ký kết có đồng chí Lại Thế Nguyên, Phó Bí thư Thường trực Tỉnh ủy và đồng chí Phạm Thị Thanh Thủy, "
    "Ủy viên Ban Thường vụ, Chủ tịch Ủy ban MTTQ Việt Nam tỉnh.",
    "Hai bên phối hợp vận động Nhân dân thực hiện các phong trào thi đua yêu nước, giám sát và phản biện xã hội, "
    "tiếp nhận và giải quyết kiến nghị của cử tri.",
    "Lê Hợi",
]


def make_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.core_properties.title = DOCX_PARAGRAPHS[0][1]
    for style, text in DOCX_PARAGRAPHS:
        document.add_paragraph(text, style=style) if style else document.add_paragraph(text)
    document.save(path)


def make_pdf(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", "", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.set_font("DejaVu", size=11)
    for paragraph in PDF_TEXT:
        pdf.multi_cell(0, 6, paragraph)
        pdf.ln(3)
    pdf.output(str(path))


if __name__ == "__main__":
    make_docx(HERE / "huong_thuy_tuyen_giao.docx")
    make_pdf(HERE / "thanh_hoa_dan_van_mttq.pdf")
