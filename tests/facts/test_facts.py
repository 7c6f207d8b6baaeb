"""Fact extraction: exact values on the five seeds and on the genre test articles, plus tricky strings."""

from __future__ import annotations

import pytest
from conftest import SOURCES, TEST_ARTICLES

from assistant.facts.dates import extract_event_date, extract_published, is_stamp_line, resolve_year
from assistant.facts.extract import extract_facts
from assistant.facts.model import Attendee, DateValue
from assistant.facts.parties import agency_phrases, extract_parties, party_kinds
from assistant.facts.people import extract_attendees, people_in_sentence
from assistant.facts.places import extract_place
from assistant.facts.program import extract_author, extract_legal_basis, extract_period, extract_title
from assistant.ingest.loading import load_file
from assistant.text.sentences import split_sentences

A = Attendee


def facts_of(path):
    article = load_file(path, path.parent, 20 * 1024 * 1024)
    return extract_facts(article.text, article.header, article.title, article.url)


SEEDS = {
    "000_65aea955625578e5.txt": dict(
        title="", event_date="", published="", province="Cần Thơ", locality="",
        parties=["Ban Tuyên giáo", "Tòa án nhân dân", "Viện Kiểm sát nhân dân"], period="", legal_basis=[],
        author="Phạm Hương",
        attendees=[A("Nguyễn Ngọc Tâm", "Ủy viên Ban Thường vụ, Trưởng Ban Tuyên giáo Thành ủy Cần Thơ"),
                   A("Phạm Thế Vinh", "Phó Trưởng Ban Tuyên giáo Thành ủy Cần Thơ"),
                   A("Huỳnh Việt Thanh", "Phó Bí thư Ban cán sự đảng, Phó Viện trưởng VKSND TP Cần Thơ"),
                   A("Phạm Hoàng Dũng", "Ủy viên Ban cán sự đảng, Phó Chánh án TAND TP Cần Thơ")]),
    "001_3366221248b33ad7.txt": dict(
        title="Ban Tuyên giáo Tỉnh ủy và Viện Kiểm sát nhân dân tỉnh ký kết chương trình phối hợp công tác",
        event_date="2022-02-17", published="2022-02-17", province="", locality="",
        parties=["Ban Tuyên giáo", "Viện Kiểm sát nhân dân"], period="2021-2025",
        legal_basis=["Quyết định số 238-QĐ/TW"], author="Thu Hiền",
        attendees=[A("Nguyễn Tiến Thành", "Phó Bí thư thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh"),
                   A("Phạm Đồng Thụy", "Ủy viên Ban Thường vụ, Trưởng ban Tuyên giáo Tỉnh ủy")]),
    "002_227f3e806a73c8f0.txt": dict(
        title="Ban Tuyên giáo Ngã Bảy ký kết Chương trình phối hợp giai đoạn 2021 – 2025",
        event_date="2021-12-31", published="2022-01-02", province="", locality="thành phố Ngã Bảy",
        parties=["Ban Tuyên giáo", "Hội đồng nhân dân", "Ủy ban nhân dân", "Tòa án nhân dân",
                 "Viện Kiểm sát nhân dân"],
        period="2021-2025", legal_basis=["Quyết định số 238-QĐ/TW"], author="Võ Minh Luân",
        attendees=[A("Dương Văn Sơn", "Phó Bí thư Thường trực Thành ủy, Chủ tịch HĐND thành phố"),
                   A("Nguyễn Thị Kim Xuyên", "Ủy viên Ban Thường vụ Thành ủy, Trưởng Ban Tuyên giáo Thành ủy, "
                                             "Giám đốc Trung tâm chính trị thành phố")]),
    "003_a972841ddb3fa63a.txt": dict(
        title="Tăng cường công tác phối hợp trong thực thi pháp luật và giải quyết các vấn đề Nhân dân quan tâm",
        event_date="2022-06-23", published="2022-06-23", province="Thái Nguyên", locality="huyện Phú Bình",
        parties=["Ban Tuyên giáo", "Hội đồng nhân dân", "Ủy ban nhân dân", "Tòa án nhân dân",
                 "Viện Kiểm sát nhân dân"],
        period="2022-2026", legal_basis=["Quyết định số 238-QĐ/TW"], author="Văn Mưu",
        attendees=[A("Nguyễn Thị Loan", "Phó Bí thư Huyện ủy, Chủ tịch UBND huyện Phú Bình")]),
    "004_deced359ded4c1cd.txt": dict(
        title="Quảng Bình: Ký kết Chương trình phối hợp về công tác dân vận giai đoạn 2023 - 2026",
        event_date="--05-29", published="", province="Quảng Bình", locality="",
        parties=["Ban Dân vận", "Viện Kiểm sát nhân dân", "Tòa án nhân dân", "Cục Thi hành án dân sự"],
        period="2023-2026", legal_basis=[], author="Bùi Tuấn",
        attendees=[A("Lê Văn Bảo", "Ủy viên Ban Thường vụ, Trưởng ban Dân vận, Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy"),
                   A("Nguyễn Tiến Hùng", "Bí thư Ban cán sự, Viện trưởng VKSND tỉnh")]),
}

TEST_ARTICLE_FACTS = {
    "ha_tinh_dan_van_cong_an.txt": dict(
        title="Ban Dân vận Tỉnh ủy và Công an tỉnh Hà Tĩnh ký kết chương trình phối hợp giai đoạn 2024 - 2029",
        event_date="2024-04-12", published="2024-04-12", province="Hà Tĩnh", locality="",
        parties=["Ban Dân vận", "Công an"], period="2024-2029",
        legal_basis=["Kết luận số 01-KL/TW", "Quy chế số 05-QC/TU"], author="Thu Hà",
        attendees=[A("Trần Thế Dũng", "Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh"),
                   A("Nguyễn Thị Nữ Y", "Ủy viên Ban Thường vụ, Trưởng ban Dân vận Tỉnh ủy"),
                   A("Nguyễn Hồng Phong", "Đại tá, Ủy viên Ban Thường vụ Tỉnh ủy, Giám đốc Công an tỉnh")]),
    "long_an_tuyen_giao_vks.md": dict(
        title="Long An: Ban Tuyên giáo Tỉnh ủy và Viện KSND tỉnh ký kết quy chế phối hợp",
        event_date="2023-10-05", published="2023-10-06", province="Long An", locality="",
        parties=["Ban Tuyên giáo", "Viện Kiểm sát nhân dân"], period="2023-2028",
        legal_basis=["Quyết định số 238-QĐ/TW"], author="Minh Khoa",
        attendees=[A("Nguyễn Thanh Hải", "Ủy viên Ban Thường vụ, Trưởng Ban Tuyên giáo Tỉnh ủy"),
                   A("Lê Minh Tâm", "Bí thư Ban cán sự đảng, Viện trưởng Viện KSND tỉnh"),
                   A("Huỳnh Thị Thu Vân", "Phó Trưởng Ban Tuyên giáo Tỉnh ủy")]),
    "dien_chau_nghe_an.html": dict(
        title="Huyện Diễn Châu ký kết chương trình phối hợp theo Quyết định 238-QĐ/TW",
        event_date="2024-06-18", published="2024-06-19", province="Nghệ An", locality="huyện Diễn Châu",
        parties=["Ban Tuyên giáo", "Hội đồng nhân dân", "Ủy ban nhân dân", "Tòa án nhân dân",
                 "Viện Kiểm sát nhân dân"],
        period="2024-2027", legal_basis=["Quyết định số 238-QĐ/TW"], author="Thanh Tâm",
        attendees=[A("Cao Xuân Hòa", "Phó Bí thư Thường trực Huyện ủy, Chủ tịch HĐND huyện Diễn Châu"),
                   A("Võ Thị Minh Nguyệt", "Ủy viên Ban Thường vụ, Trưởng ban Tuyên giáo Huyện ủy"),
                   A("Phan Văn Lâm", "Chủ tịch UBND huyện Diễn Châu")]),
    "gia_lai_tuyen_giao_so.txt": dict(
        title="Gia Lai: Ký kết quy chế phối hợp giữa Ban Tuyên giáo Tỉnh ủy với Sở Tư pháp và Sở Thông tin và "
              "Truyền thông",
        event_date="2024-01-15", published="2024-01-15", province="Gia Lai", locality="",
        parties=["Ban Tuyên giáo", "Sở Tư pháp", "Sở Thông tin và Truyền thông"], period="2024-2026",
        legal_basis=[], author="Kim Anh",
        attendees=[A("Rơ Lan Thị Hương", "Ủy viên Ban Thường vụ, Trưởng ban Tuyên giáo Tỉnh ủy"),
                   A("Đinh Văn Nam", "Giám đốc Sở Tư pháp"),
                   A("Nguyễn Ngọc Ánh", "Phó Giám đốc Sở Thông tin và Truyền thông")]),
    "quan_ninh_kieu_utf16.txt": dict(
        title="Quận Ninh Kiều: Ban Dân vận Quận ủy ký kết chương trình phối hợp với các cơ quan tư pháp",
        event_date="2022-09-26", published="2022-09-27", province="Cần Thơ", locality="quận Ninh Kiều",
        parties=["Ban Dân vận", "Tòa án nhân dân", "Viện Kiểm sát nhân dân", "Chi cục Thi hành án dân sự"],
        period="2022-2025", legal_basis=[], author="Ngọc Diễm",
        attendees=[A("Trần Văn Bình", "Phó Bí thư Thường trực Quận ủy Ninh Kiều"),
                   A("Lê Thị Kiều Oanh", "Trưởng ban Dân vận Quận ủy"),
                   A("Đặng Hữu Phước", "Chánh án TAND quận Ninh Kiều")]),
    "binh_dinh_nfd.txt": dict(
        title="Bình Định: Ký kết chương trình phối hợp giữa Ban Tuyên giáo Tỉnh ủy và Tòa án nhân dân tỉnh",
        event_date="2022-11-03", published="", province="Bình Định", locality="",
        parties=["Ban Tuyên giáo", "Tòa án nhân dân"], period="2022-2025",
        legal_basis=["Quyết định số 238-QĐ/TW"], author="Hồng Phúc",
        attendees=[A("Đoàn Văn Phi", "Phó Trưởng ban Thường trực Ban Tuyên giáo Tỉnh ủy"),
                   A("Nguyễn Văn Thảo", "Chánh án Tòa án nhân dân tỉnh")]),
    "huong_thuy_tuyen_giao.docx": dict(
        title="Thị xã Hương Thủy: Ký kết chương trình phối hợp giữa Ban Tuyên giáo Thị ủy với Công an thị xã và "
              "Chi cục THADS",
        event_date="2023-03-08", published="", province="Thừa Thiên Huế", locality="thị xã Hương Thủy",
        parties=["Ban Tuyên giáo", "Công an", "Chi cục Thi hành án dân sự"], period="2023-2025",
        legal_basis=[], author="Minh Châu",
        attendees=[A("Lê Văn Thuận", "Phó Bí thư Thường trực Thị ủy"),
                   A("Trần Đình Lộc", "Trưởng Ban Tuyên giáo Thị ủy"),
                   A("Nguyễn Hữu Tài", "Thượng tá, Trưởng Công an thị xã"),
                   A("Phan Thị Hoa", "Chi cục trưởng Chi cục THADS thị xã")]),
    "thanh_hoa_dan_van_mttq.pdf": dict(
        title="Thanh Hóa: Ban Dân vận Tỉnh ủy và Ủy ban MTTQ Việt Nam tỉnh ký kết chương trình phối hợp",
        event_date="2023-08-20", published="2023-08-21", province="Thanh Hóa", locality="",
        parties=["Ban Dân vận", "Ủy ban Mặt trận Tổ quốc Việt Nam"], period="2023-2028", legal_basis=[],
        author="Lê Hợi",
        attendees=[A("Lại Thế Nguyên", "Phó Bí thư Thường trực Tỉnh ủy"),
                   A("Phạm Thị Thanh Thủy", "Ủy viên Ban Thường vụ, Chủ tịch Ủy ban MTTQ Việt Nam tỉnh")]),
    "lao_cai_tuyen_giao_dan_van.txt": dict(
        title="Ban Tuyên giáo và Dân vận Tỉnh ủy Lào Cai ký kết chương trình phối hợp với Công an tỉnh và "
              "Bộ Chỉ huy Quân sự tỉnh",
        event_date="2025-08-14", published="2025-08-14", province="Lào Cai", locality="",
        parties=["Ban Tuyên giáo và Dân vận", "Công an", "Bộ Chỉ huy Quân sự"], period="2025-2030",
        legal_basis=[], author="Quang Hưng",
        attendees=[A("Giàng Thị Dung", "Phó Bí thư Tỉnh ủy"),
                   A("Hoàng Giang", "Ủy viên Ban Thường vụ Tỉnh ủy, Trưởng ban Tuyên giáo và Dân vận Tỉnh ủy"),
                   A("Nguyễn Văn Thành", "Thiếu tướng, Giám đốc Công an tỉnh"),
                   A("Phạm Quang Huy", "Đại tá, Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh")]),
    "dong_thap_dan_van_mttq.txt": dict(
        title="Đồng Tháp: Ban Dân vận Tỉnh ủy, Ủy ban MTTQ Việt Nam tỉnh và Hội LHPN tỉnh ký kết chương trình "
              "phối hợp",
        event_date="2023-12-28", published="2024-01-03", province="Đồng Tháp", locality="",
        parties=["Ban Dân vận", "Ủy ban Mặt trận Tổ quốc Việt Nam", "Hội Liên hiệp Phụ nữ"], period="2024",
        legal_basis=[], author="Thanh Nhàn",
        attendees=[A("Phan Văn Thắng", "Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh"),
                   A("Lê Thị Mai", "Chủ tịch Hội LHPN tỉnh")]),
    "bac_giang_tuyen_giao_ubnd.txt": dict(
        title="Bắc Giang: Ký kết Quy chế phối hợp giữa Ban Tuyên giáo Tỉnh ủy và Ủy ban nhân dân tỉnh",
        event_date="2023-11-14", published="2023-11-15", province="Bắc Giang", locality="",
        parties=["Ban Tuyên giáo", "Ủy ban nhân dân"], period="2023-2025", legal_basis=[], author="Hương Giang",
        attendees=[A("Mai Sơn", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh"),
                   A("Lê Thị Thu Hồng", "Ủy viên Ban Thường vụ, Trưởng Ban Tuyên giáo Tỉnh ủy")]),
    "hai_phong_tuyen_giao_quan_su.txt": dict(
        title="Ban Tuyên giáo Thành ủy Hải Phòng ký kết chương trình phối hợp với Bộ Chỉ huy Quân sự thành phố và "
              "Bộ Chỉ huy Bộ đội Biên phòng thành phố",
        event_date="2023-07-10", published="", province="Hải Phòng", locality="",
        parties=["Ban Tuyên giáo", "Bộ Chỉ huy Quân sự", "Bộ đội Biên phòng"], period="2023-2025",
        legal_basis=[], author="Văn Hải",
        attendees=[A("Đỗ Mạnh Hiến", "Phó Bí thư Thường trực Thành ủy"),
                   A("Hoàng Minh Hải", "Ủy viên Ban Thường vụ, Trưởng Ban Tuyên giáo Thành ủy")]),
}


def _check(facts, expected):
    assert facts.title == expected["title"]
    assert (facts.event_date.iso() if facts.event_date else "") == expected["event_date"]
    assert (facts.published.iso() if facts.published else "") == expected["published"]
    assert facts.place.province == expected["province"]
    assert facts.place.locality == expected["locality"]
    assert set(facts.party_kinds()) == set(expected["parties"])
    assert facts.period == expected["period"]
    assert list(facts.legal_basis) == expected["legal_basis"]
    assert facts.author == expected["author"]
    assert list(facts.attendees) == expected["attendees"]


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_facts_exact(name):
    _check(facts_of(SOURCES / name), SEEDS[name])


@pytest.mark.parametrize("name", sorted(TEST_ARTICLE_FACTS))
def test_genre_article_facts_exact(name):
    _check(facts_of(TEST_ARTICLES / name), TEST_ARTICLE_FACTS[name])


def test_facts_survive_a_json_round_trip():
    facts = facts_of(SOURCES / "004_deced359ded4c1cd.txt")
    from assistant.facts.model import ProgramFacts

    assert ProgramFacts.from_dict(facts.to_dict()) == facts


# ---------------------------------------------------------------- tricky strings, one extractor at a time


@pytest.mark.parametrize("line, expected", [
    ("Thứ 5, 17/02/2022 | 18:25:52", True),
    ("[ Cập nhật vào ngày (02/01/2022) ]", True),
    ("23-06-2022 17:04", True),
    ("Cập nhật lúc 14:20, 27/09/2022", True),
    ("Chiều ngày 17/2/2022, Ban Tuyên giáo Tỉnh ủy tổ chức ký kết chương trình phối hợp.", False),
    ("Quyết định số 238-QĐ/TW, ngày 30/9/2020", False),
])
def test_stamp_lines(line, expected):
    assert is_stamp_line(line) is expected


def test_publication_date_prefers_the_dateline_after_the_title():
    lines = ["Thứ 5, 23/03/2023, 21:43[GMT+7]", "Tiêu đề bài viết về ký kết chương trình phối hợp",
             "Thứ 5, 17/02/2022 | 18:25:52", "Nội dung."]
    assert extract_published(lines, title_index=1)[0] == DateValue(17, 2, 2022)
    assert extract_published(lines, title_index=None)[0] == DateValue(23, 3, 2023)
    assert extract_published([], None, header_date="2024-06-19T08:00:00+07:00") == (DateValue(19, 6, 2024), None)


@pytest.mark.parametrize("text, published, expected", [
    ("Chiều ngày 17/2, Ban Tuyên giáo tổ chức lễ ký kết.", DateValue(17, 2, 2022), DateValue(17, 2, 2022)),
    ("Sáng ngày 31/12, Ban Tuyên giáo tổ chức ký kết.", DateValue(2, 1, 2022), DateValue(31, 12, 2021)),
    ("Ngày 29/5, Ban Dân vận tổ chức hội nghị ký kết.", None, DateValue(29, 5, None)),
    ("Chiều 18.6, Huyện ủy tổ chức hội nghị ký kết.", DateValue(19, 6, 2024), DateValue(18, 6, 2024)),
    ("Ngày 20-8, hai bên ký kết chương trình.", DateValue(21, 8, 2023), DateValue(20, 8, 2023)),
    ("Ngày 3 tháng 11 năm 2022, hai cơ quan ký kết.", None, DateValue(3, 11, 2022)),
    ("Sáng nay (23/6), Huyện ủy đã tổ chức Hội nghị ký kết.", DateValue(23, 6, 2022), DateValue(23, 6, 2022)),
    # the decision's own date is not the event's
    ("Thực hiện Quyết định số 238-QĐ/TW, ngày 30/9/2020 của Ban Bí thư, hội nghị ký kết diễn ra.", None, None),
    # a decimal or a score is not a date
    ("Tỷ lệ đạt 18.6 phần trăm.", None, None),
])
def test_event_dates(text, published, expected):
    date, span = extract_event_date(split_sentences(text), published)
    assert date == expected
    assert (span is not None) is (expected is not None)   # the sentence it was read from


def test_year_resolution_never_guesses_without_a_reference():
    assert resolve_year(29, 5, None) == DateValue(29, 5, None)
    assert resolve_year(29, 5, DateValue(1, 6, 2023)) == DateValue(29, 5, 2023)


def test_title_is_empty_when_the_page_starts_with_body_text():
    lines = ["Dự buổi ký kết có đồng chí: Nguyễn Văn A, Bí thư Tỉnh ủy; đồng chí Trần Văn B, Chủ tịch UBND tỉnh; "
             "cùng các đồng chí lãnh đạo các sở, ban, ngành của tỉnh và lãnh đạo các huyện, thị xã, thành phố trong "
             "tỉnh đã tham dự buổi lễ quan trọng này vào chiều nay."]
    assert extract_title(lines) == ("", None)
    assert extract_title(["TIN TỨC THÀNH ỦY", "Huyện X ký kết chương trình phối hợp năm 2024", "Nội dung dài."]) \
        == ("Huyện X ký kết chương trình phối hợp năm 2024", 1)


@pytest.mark.parametrize("text, expected", [
    ("giai đoạn 2021 - 2025", "2021-2025"),
    ("Chương trình phối hợp giai đoạn 2021 – 2025 được ký kết.", "2021-2025"),
    ("Ký kết chương trình phối hợp 2022-2026 giữa hai cơ quan.", "2022-2026"),
    # a congress term is not the program's period
    ("Thực hiện Nghị quyết Đại hội Đảng bộ tỉnh nhiệm kỳ 2020 - 2025.", ""),
    ("Dân số năm 2020 - 2025 tăng.", ""),
])
def test_periods(text, expected):
    sentences = split_sentences(text)
    assert extract_period("", sentences)[0] == expected


def test_legal_basis_forms():
    text = ("Theo Quyết định 238-QĐ/TW và Quyết định số 238-QĐ/TW, ngày 30/9/2020; Nghị định số 99/2020/NĐ-CP; "
            "Chỉ thị số 05-CT/TW. Nghị quyết Đại hội XIII của Đảng.")
    assert extract_legal_basis(split_sentences(text))[0] == ("Quyết định số 238-QĐ/TW", "Nghị định số 99/2020/NĐ-CP",
                                         "Chỉ thị số 05-CT/TW")


@pytest.mark.parametrize("text, expected", [
    ("Dự có đồng chí Nguyễn Văn An, Bí thư Tỉnh ủy.", [A("Nguyễn Văn An", "Bí thư Tỉnh ủy")]),
    ("Bà Hà Thị Nga - Phó Chủ tịch UBND tỉnh phát biểu.", [A("Hà Thị Nga", "Phó Chủ tịch UBND tỉnh")]),
    ("Phó Chủ tịch UBND tỉnh Nguyễn Văn An phát biểu.", [A("Nguyễn Văn An", "Phó Chủ tịch UBND tỉnh")]),
    ("Chủ tịch UBND TP Hồ Chí Minh Nguyễn Văn Được chủ trì.",
     [A("Nguyễn Văn Được", "Chủ tịch UBND TP Hồ Chí Minh")]),
    ("Chủ tịch UBND huyện Lý Sơn phát biểu.", []),
    ("đồng chí Phó Bí thư Tỉnh ủy nhấn mạnh vai trò của HĐND.", []),
    ("Có các đồng chí: Trần Văn Hai, Giám đốc Sở Tư pháp; Lê Thị Ba, Chánh án TAND tỉnh.",
     [A("Trần Văn Hai", "Giám đốc Sở Tư pháp"), A("Lê Thị Ba", "Chánh án TAND tỉnh")]),
    ("ông Nguyễn Văn Tư, Viện trưởng VKSND tỉnh, cùng Chánh án TAND tỉnh...",
     [A("Nguyễn Văn Tư", "Viện trưởng VKSND tỉnh")]),
    ("Đồng chí Nguyễn Văn Năm (Ủy viên Ban Thường vụ Tỉnh ủy) chủ trì.",
     [A("Nguyễn Văn Năm", "Ủy viên Ban Thường vụ Tỉnh ủy")]),
])
def test_attendee_forms(text, expected):
    assert list(extract_attendees(split_sentences(text))) == expected


def test_attendee_keeps_the_fullest_role_given():
    text = ("Đồng chí Dương Văn Sơn, Phó Bí thư Thường trực Thành ủy phát biểu.\n"
            "Đồng chí Dương Văn Sơn, Phó Bí thư Thường trực Thành ủy, Chủ tịch HĐND thành phố đánh giá cao.")
    assert extract_attendees(split_sentences(text)) == (
        A("Dương Văn Sơn", "Phó Bí thư Thường trực Thành ủy, Chủ tịch HĐND thành phố"),)


def test_parties_ignore_agencies_inside_people_roles():
    title = ""
    text = ("Đồng chí Nguyễn Văn An, Phó Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh dự lễ ký kết.\n"
            "Ban Tuyên giáo Tỉnh ủy ký kết chương trình phối hợp với VKSND và TAND tỉnh.")
    parties, span = extract_parties(title, split_sentences(text))
    assert text[span[0]:span[1]].startswith("Ban Tuyên giáo Tỉnh ủy ký kết")
    assert parties == ("Ban Tuyên giáo Tỉnh ủy", "VKSND", "TAND tỉnh")   # as written, no "HĐND tỉnh" of the role
    assert party_kinds(parties) == ("Ban Tuyên giáo", "Viện Kiểm sát nhân dân", "Tòa án nhân dân")


def test_place_levels():
    sentences = split_sentences("Huyện ủy Phú Bình tổ chức ký kết chương trình phối hợp tại tỉnh Thái Nguyên.")
    place, _span = extract_place("", sentences)
    assert (place.province, place.locality) == ("Thái Nguyên", "huyện Phú Bình")
    venue_only, _span = extract_place("", split_sentences("Sáng 15/1, tại TP. Pleiku, Ban Tuyên giáo Tỉnh ủy Gia Lai ký kết."))
    assert (venue_only.province, venue_only.locality) == ("Gia Lai", "")
    assert extract_place("", split_sentences("Ban Tuyên giáo Tỉnh ủy ký kết với Viện Kiểm sát nhân dân tỉnh."))[0] \
        .display() == ""


@pytest.mark.parametrize("tail, expected", [
    (["Nội dung bài.", "Tin: Thu Hiền", "Ảnh: Thành Tâm"], "Thu Hiền"),
    (["Nội dung bài.", "Văn Mưu (Ban Tuyên giáo Huyện ủy Phú Bình)", "thainguyen.gov.vn"], "Văn Mưu"),
    (["Nội dung bài.", "Bùi Tuấn", "", "Theo KT&ĐU"], "Bùi Tuấn"),
    (["Nội dung bài kết thúc ở đây mà không có tên tác giả nào cả."], ""),
])
def test_author(tail, expected):
    assert extract_author(split_sentences("\n".join(tail)))[0] == expected


# ------------------------------------------------------------------ open vocabulary, venues, places, stamps


def test_parties_as_the_article_writes_them():
    text = ("Sáng 24/9, Ban Tuyên giáo Thị ủy ký kết chương trình phối hợp với HĐND, UBND, Tòa án nhân dân, "
            "Viện Kiểm sát nhân dân thị xã và Ban cán sự đảng TAND thành phố, Sở Thông tin và Truyền thông, "
            "Ban Tuyên giáo và Dân vận Tỉnh ủy.")
    assert [p for p, _a, _b in agency_phrases(text)] == [
        "Ban Tuyên giáo Thị ủy", "HĐND", "UBND", "Tòa án nhân dân", "Viện Kiểm sát nhân dân thị xã",
        "Ban cán sự đảng TAND thành phố", "Sở Thông tin và Truyền thông", "Ban Tuyên giáo và Dân vận Tỉnh ủy"]


def test_issuers_and_venues_are_not_parties():
    text = ("Thực hiện Quyết định 238 của Ban Bí thư về quy chế phối hợp giữa Ban Tuyên giáo các cấp với cơ quan "
            "nhà nước, tại Hội trường Huyện ủy, Ban Tuyên giáo Huyện ủy đã ký kết với Hội Nông dân huyện.")
    assert extract_parties("", split_sentences(text))[0] == ("Ban Tuyên giáo Huyện ủy", "Hội Nông dân huyện")


@pytest.mark.parametrize("sentence, people", [
    ("Về dự có các Đ/c: Lê Văn Tâm - Phó Bí thư Huyện ủy, Trần Quốc Hưng – Trưởng Ban dân vận Huyện ủy, "
     "Phạm Thị Lan- Chủ tịch Hội LHPN huyện.",
     [("Lê Văn Tâm", "Phó Bí thư Huyện ủy"), ("Trần Quốc Hưng", "Trưởng Ban dân vận Huyện ủy"),
      ("Phạm Thị Lan", "Chủ tịch Hội LHPN huyện")]),
    ("Dự hội nghị có các đồng chí Hà Văn Sơn, Phó Trưởng ban Tuyên giáo Tỉnh ủy; Vũ Thị Hạnh, Trưởng ban.",
     [("Hà Văn Sơn", "Phó Trưởng ban Tuyên giáo Tỉnh ủy"), ("Vũ Thị Hạnh", "Trưởng ban")]),
    ("Các đồng chí: Lê Văn An (Bí thư Huyện ủy), Trần Thị Bình (Chủ tịch UBND huyện) và Nguyễn Văn Cường, "
     "Giám đốc Sở.",
     [("Lê Văn An", "Bí thư Huyện ủy"), ("Trần Thị Bình", "Chủ tịch UBND huyện"), ("Nguyễn Văn Cường", "Giám đốc Sở")]),
])
def test_attendee_lists_in_every_shape(sentence, people):
    assert [(p.name, p.role) for p in people_in_sentence(sentence)] == people


def test_province_from_the_sites_name_and_venue_and_places():
    text = ("Sáng 12/5, tại Hội trường Công an tỉnh, Ban Dân vận Tỉnh ủy và Công an tỉnh ký kết chương trình "
            "phối hợp giai đoạn 2024 - 2029. Đoàn công tác đã làm việc ở huyện Gia Viễn và xã Thanh Sơn.")
    facts = extract_facts(text, {}, "Ký kết chương trình phối hợp", "https://baoninhbinh.org.vn/chinh-tri/ky-ket.html")
    assert facts.place.province == "Ninh Bình"
    assert facts.venue == "Hội trường Công an tỉnh"
    assert {"Gia Viễn", "Thanh Sơn"} <= set(facts.places)


def test_a_stamp_on_the_headline_is_the_publication_date():
    text = ("Sơ kết quy chế phối hợp công tác dân vận (05/03/2021 09:15)\n"
            "Sáng ngày 5/3, Ban Dân vận Huyện ủy đã tổ chức hội nghị sơ kết việc thực hiện quy chế phối hợp.")
    facts = extract_facts(text, {}, "Sơ kết quy chế phối hợp công tác dân vận")
    assert facts.published == DateValue(5, 3, 2021) and facts.event_date == DateValue(5, 3, 2021)
