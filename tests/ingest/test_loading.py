"""Loading and cleaning: every supported format, headers, web residue, and bad input."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile

import pytest
from conftest import SOURCES, TEST_ARTICLES

from assistant.errors import Rejected
from assistant.ingest.cleaning import clean_text
from assistant.ingest.loading import load_bytes, load_file, split_header
from assistant.text.folding import fold

MB = 1024 * 1024


def load(path):
    return load_file(path, path.parent, 20 * MB)


@pytest.mark.parametrize("name", sorted(p.name for p in SOURCES.iterdir()))
def test_seeds_load_without_residue(name):
    article = load(SOURCES / name)
    assert article.text == unicodedata.normalize("NFC", article.text)
    for residue in ("leftcenterrightdel", "lượt xem", "Số lần xem", "Audio:", "1.3.jpg", "Các ý kiến của bạn đọc",
                    "Từ khóa", "Truy cập nội dung luôn", "khoảng 1 năm trước"):
        assert residue not in article.text


def test_seed_text_keeps_the_article_body():
    text = load(SOURCES / "002_227f3e806a73c8f0.txt").text
    assert text.startswith("TIN TỨC THÀNH ỦY NGÃ BẢY\nBan Tuyên giáo Ngã Bảy ký kết")
    assert "[ Cập nhật vào ngày (02/01/2022) ]" in text  # the dateline stays, the counter goes
    assert text.endswith("trên địa bàn.Võ Minh Luân")


def test_header_lines_are_metadata_not_body():
    article = load(TEST_ARTICLES / "ha_tinh_dan_van_cong_an.txt")
    assert article.url == "https://baohatinh.example.vn/ky-ket-chuong-trinh-phoi-hop-dan-van-cong-an"
    assert article.title.startswith("Ban Dân vận Tỉnh ủy và Công an tỉnh Hà Tĩnh")
    assert "URL:" not in article.text and "Title:" not in article.text
    # page furniture after the byline is gone: share buttons and the related-links list
    assert "Zalo" not in article.text and "Tin liên quan" not in article.text
    assert "Công an Hà Tĩnh ra quân" not in article.text


def test_header_rejects_script_urls_and_keeps_body_lines():
    header, body = split_header("URL: javascript:alert(1)\nNội dung")
    assert header == {} and body.startswith("URL: javascript")
    header, body = split_header("Nguồn: Báo Quảng Bình\nNội dung")
    assert header == {} and body.startswith("Nguồn:")
    header, body = split_header("\ufeffTitle: Tiêu đề\nURL: https://a.vn/x\n\nNội dung")
    assert header == {"title": "Tiêu đề", "url": "https://a.vn/x"} and body.strip() == "Nội dung"


def test_utf16_bom_and_nfd_and_bom_files_load_as_nfc():
    utf16 = load(TEST_ARTICLES / "quan_ninh_kieu_utf16.txt")
    assert "Quận Ninh Kiều" in utf16.text
    nfd = load(TEST_ARTICLES / "binh_dinh_nfd.txt")
    assert "Bình Định" in nfd.text and nfd.text == unicodedata.normalize("NFC", nfd.text)
    bom = load(TEST_ARTICLES / "gia_lai_tuyen_giao_so.txt")
    assert not bom.text.startswith("\ufeff") and "Gia Lai" in bom.text


def test_markdown_loses_its_markup():
    article = load(TEST_ARTICLES / "long_an_tuyen_giao_vks.md")
    assert article.text.startswith("Long An: Ban Tuyên giáo Tỉnh ủy")
    assert "**" not in article.text and "](" not in article.text and "anh-ky-ket.jpg" not in article.text
    assert "theo Quyết định số 238-QĐ/TW của Ban Bí thư" in article.text


def test_html_keeps_only_the_article():
    article = load(TEST_ARTICLES / "dien_chau_nghe_an.html")
    assert article.url == "https://baonghean.example.vn/dien-chau-ky-ket-chuong-trinh-phoi-hop-238.html"
    assert article.header["date"].startswith("2024-06-19")
    assert article.text.startswith("Huyện Diễn Châu ký kết chương trình phối hợp")
    assert "Chiều 18.6, Ban Tuyên giáo Huyện ủy Diễn Châu" in article.text
    for junk in ("Trang chủ", "Thời sự", "Tìm kiếm", "Đọc nhiều", "Giá xăng", "Bình luận", "Độc Giả",
                 "Giấy phép", "dataLayer", "Quỳnh Lưu", "Chia sẻ"):
        assert junk not in article.text


def test_docx_and_pdf_text():
    docx = load(TEST_ARTICLES / "huong_thuy_tuyen_giao.docx")
    assert docx.title.startswith("Thị xã Hương Thủy")
    assert "Thượng tá Nguyễn Hữu Tài, Trưởng Công an thị xã" in docx.text
    pdf = load(TEST_ARTICLES / "thanh_hoa_dan_van_mttq.pdf")
    assert "đồng chí Phạm Thị Thanh Thủy, Ủy viên Ban Thường vụ" in pdf.text  # a name wrapped across lines


def test_residue_cleaning_on_tricky_strings():
    raw = ("leftcenterrightdel\nTiêu đề\n15,548 lượt xem\n[ Số lần xem: 464 ]\n1.3.jpg\nAudio: a_b.mp3\n"
           "Bài viết có số liệu 1.3 triệu đồng và 15 lượt xem xét hồ sơ.\n"
           "Câu cuối.Các ý kiến của bạn đọc")
    assert clean_text(raw) == ("Tiêu đề\nBài viết có số liệu 1.3 triệu đồng và 15 lượt xem xét hồ sơ.\nCâu cuối.")
    # a comments heading early in the text is body text, never a cut
    early = "Bình luận\n" + "Nội dung bài viết dài. " * 20
    assert clean_text(early).startswith("Bình luận")


def test_fold():
    assert fold("Ký kết ở Cần Thơ, Đắk Lắk") == "ky ket o can tho, dak lak"


# ---------------------------------------------------------------- bad input


def _docx_bytes(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("data, suffix, reason", [
    (b"", ".txt", "tệp rỗng"),
    (b"\x00\x01\x02\x03" * 500, ".txt", "nhị phân"),
    (b"Ban Tuy\xean gi\xe1o T\xe2y Ninh k\xfd k\xeat ch\xfd\xfdng tr\xecnh " * 10, ".txt",  # Windows-1258
     "không giải mã được"),
    (b"   \n\n  \n", ".txt", "không có nội dung"),
    (b"<html><body><nav>Trang chu</nav></body></html>", ".html", "không có nội dung"),
    (b"PK\x03\x04 not really a zip", ".docx", "hỏng"),
    (b"%PDF-1.4\n garbage without objects", ".pdf", "PDF"),
    (b"Ky ket", ".exe", "định dạng không hỗ trợ"),
])
def test_bad_input_is_rejected_with_a_reason(data, suffix, reason):
    with pytest.raises(Rejected) as excinfo:
        load_bytes(data, "x" + suffix, suffix)
    assert reason in excinfo.value.reason


def test_zip_bomb_docx_is_rejected_before_unpacking():
    bomb = _docx_bytes({"[Content_Types].xml": b"<x/>", "word/document.xml": b"0" * (300 * MB)})
    assert len(bomb) < 2 * MB
    with pytest.raises(Rejected) as excinfo:
        load_bytes(bomb, "bomb.docx", ".docx")
    assert "bom nén" in excinfo.value.reason


def test_oversized_file_is_rejected_without_reading_it(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.seek(21 * MB)
        f.write(b"x")
    with pytest.raises(Rejected) as excinfo:
        load_file(big, tmp_path, 20 * MB)
    assert "quá lớn" in excinfo.value.reason


def test_a_file_in_disguise_is_named_for_what_it_is_not_by_an_internal_error():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("note.txt", "không phải PDF")
    reasons = []
    for data, suffix in ((archive.getvalue(), ".pdf"), (b"%PDF-1.7\n garbage", ".pdf"), (b"PK\x03\x04 broken", ".docx")):
        with pytest.raises(Rejected) as caught:
            load_bytes(data, "x" + suffix, suffix)
        reasons.append(caught.value.reason)
    assert "không phải PDF" in reasons[0]
    assert not any(re.search(r"[A-Z]\w+(?:Error|Exception)", r) for r in reasons), reasons


def test_page_starts_follow_the_cleaned_text():
    from assistant.ingest.pdf import page_starts

    pages = ["Trang một nói về lễ ký kết.\nHai bên thống nhất", "nhiều nội dung phối hợp.\nChia sẻ",
             "Dự lễ có ông Nguyễn Văn A, Phó Bí thư Tỉnh ủy.", "   "]
    cleaned = "Trang một nói về lễ ký kết.\nHai bên thống nhất nhiều nội dung phối hợp.\n\nDự lễ có ông  Nguyễn Văn A, Phó Bí thư Tỉnh ủy."
    starts = page_starts(cleaned, pages)
    assert starts == ((1, 0), (2, cleaned.index("nhiều nội dung")), (3, cleaned.index("Dự lễ")))
    same = page_starts("Cùng một trang.\nCùng một trang.", ["Cùng một trang.", "Cùng một trang."])
    assert same == ((1, 0), (2, len("Cùng một trang.\n")))              # a repeated page is the next one


OTHER_LAYOUT = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Ký kết quy chế phối hợp về công tác tuyên giáo | Báo Bình Phước điện tử</title>
<meta property="og:title" content="Ban Tuyên giáo Tỉnh ủy và Sở Tư pháp ký kết quy chế phối hợp">
<link rel="canonical" href="https://baobinhphuoc.example.vn/ky-ket-quy-che-phoi-hop-tuyen-giao-tu-phap.html">
<meta property="article:published_time" content="2023-03-09T08:30:00+07:00">
<meta name="author" content="Minh Hải"></head><body>
<header><nav><a href="/">Trang chủ</a> <a href="/thoi-su">Thời sự</a> <a href="/phap-luat">Pháp luật</a></nav></header>
<div class="share-bar"><a href="#">Chia sẻ Facebook</a> <a href="#">Zalo</a> <span>In bài viết</span></div>
<main><div class="detail-content">
<h1>Ban Tuyên giáo Tỉnh ủy và Sở Tư pháp ký kết quy chế phối hợp</h1>
<p>Sáng 9/3, Ban Tuyên giáo Tỉnh ủy và Sở Tư pháp tổ chức ký kết quy chế phối hợp trong công tác tuyên truyền,
phổ biến, giáo dục pháp luật giai đoạn 2023 - 2027.</p>
<p>Theo quy chế, hai bên phối hợp định hướng thông tin, tổ chức hội nghị báo cáo viên và bồi dưỡng đội ngũ
tuyên truyền viên pháp luật ở cơ sở.</p>
<p>Thay mặt hai bên, ông Trần Văn Mi, Trưởng ban Tuyên giáo Tỉnh ủy và bà Lê Thị Hồng, Giám đốc Sở Tư pháp
ký quy chế.</p></div></main>
<section class="related-news"><h3>Tin liên quan</h3><ul><li><a href="/a">Hội nghị báo cáo viên tháng 3 bàn về
công tác phòng chống tham nhũng trên địa bàn tỉnh</a></li><li><a href="/b">Khai mạc hội thi tuyên truyền viên giỏi
cấp tỉnh năm 2023 với nhiều đội tham gia</a></li></ul></section>
<section id="comments" class="comments"><h3>Bình luận</h3><div class="comment"><b>Bạn đọc Hùng</b>
<p>Bài viết rất hay, mong các cơ quan phối hợp thật hiệu quả trong thời gian tới nhé.</p></div></section>
<footer>Giấy phép số 123/GP-BTTTT. Bản quyền thuộc Báo Bình Phước.</footer></body></html>"""


def test_a_page_of_another_layout_keeps_the_article_and_its_metadata_only():
    article = load_bytes(OTHER_LAYOUT.encode("utf-8"), "binh_phuoc.html", ".html")
    assert "Thay mặt hai bên, ông Trần Văn Mi" in article.text and "giai đoạn 2023 - 2027" in article.text
    for residue in ("Chia sẻ Facebook", "Tin liên quan", "phòng chống tham nhũng", "Bạn đọc Hùng", "Bài viết rất hay",
                    "Trang chủ", "Giấy phép số"):
        assert residue not in article.text, residue
    assert article.title == "Ban Tuyên giáo Tỉnh ủy và Sở Tư pháp ký kết quy chế phối hợp"
    assert article.url == "https://baobinhphuoc.example.vn/ky-ket-quy-che-phoi-hop-tuyen-giao-tu-phap.html"
    assert article.header["author"] == "Minh Hải" and article.header["date"].startswith("2023-03-09")


def test_our_extraction_reads_a_page_trafilatura_cannot(monkeypatch):
    import trafilatura

    def broken(*_args, **_kwargs):
        raise ValueError("cannot parse")

    monkeypatch.setattr(trafilatura, "bare_extraction", broken)
    article = load_bytes(OTHER_LAYOUT.encode("utf-8"), "binh_phuoc.html", ".html")
    assert "Thay mặt hai bên, ông Trần Văn Mi" in article.text and "Bạn đọc Hùng" not in article.text
