"""Question analysis, done once: matching forms, every intent a question asks (word-bounded, with or
without diacritics), whether it spans programs, and the names it gives. Pure functions, no model."""

from __future__ import annotations

import pytest

from assistant.answers.analysis import Kind, StaticNames, analyse
from assistant.answers.intents import Intent, asks_across, find_intents
from assistant.text.wording import match_text, tokens

pytestmark = pytest.mark.unit


def intents_of(question: str, accented: bool = True) -> list[Intent]:
    return [m.intent for m in find_intents(question, accented)]


# ------------------------------------------------------------------ matching forms


@pytest.mark.parametrize("written, matched", [
    ("BTG Thành ủy", " ban tuyen giao thanh uy "),
    ("CATP Hà Nội", " cong an thanh pho ha noi "),
    ("Quận ủy Q8", " quan uy quan 8 "),
    ("UBMTTQVN tỉnh", " uy ban mat tran to quoc viet nam tinh "),
    ("số 05-QC/TU", " so 5 qc tinh uy "),
])
def test_abbreviations_are_spelt_out_in_articles(written, matched):
    assert match_text(written) == matched


def test_lower_case_abbreviations_are_spelt_out_in_questions_only():
    assert match_text("btg thanh uy va ca huyen", question=True) == " ban tuyen giao thanh uy va cong an huyen "
    assert match_text("btg thanh uy") == " btg thanh uy "      # an article's lower-case "btg" is a word
    assert match_text("cả huyện", question=True) == " ca huyen "  # "cả" stays a word


def test_tone_marks_are_kept_beside_the_folded_form():
    pairs = tokens("định kỳ họp giao ban, ký kết")
    assert [a for _f, a in pairs] == ["định", "kỳ", "họp", "giao", "ban", "ký", "kết"]
    assert [f for f, _a in pairs] == ["dinh", "ky", "hop", "giao", "ban", "ky", "ket"]


# ------------------------------------------------------------------ intents


@pytest.mark.parametrize("question, accented, expected", [
    # word boundaries: "Gò Dầu" contains "o dau", "phối hợp giữa" contains "phoi hop gi"
    ("Ban Dân vận huyện Gò Dầu ký kết với Công an huyện ngày nào?", True, [Intent.DATE]),
    ("ban dan van huyen go dau ky ket voi cong an huyen ngay nao", False, [Intent.DATE]),
    ("chuong trinh phoi hop giua ban dan van va cong an giai doan nao", False, [Intent.PERIOD]),
    # several intents, in the order asked
    ("Lễ ký kết ở Quảng Trị diễn ra ở đâu, ngày nào?", True, [Intent.PLACE, Intent.DATE]),
    ("Chương trình được ký ngày nào và cho giai đoạn nào?", True, [Intent.DATE, Intent.PERIOD]),
    ("Ban Dân vận ký với cơ quan nào, về lĩnh vực gì?", True, [Intent.PARTIES, Intent.CONTENTS]),
    # kinds outside the old templates
    ("Việc ký kết nhằm mục đích gì?", True, [Intent.PURPOSE]),
    ("Quy chế được xây dựng dựa trên nguyên tắc nào?", True, [Intent.CONTENTS]),
    ("Sau hai năm, chương trình đạt được kết quả gì?", True, [Intent.RESULTS]),
    ("Quy chế gồm mấy chương?", True, [Intent.COUNT]),
    ("Phó Bí thư Tỉnh ủy yêu cầu các bên làm gì?", True, [Intent.SPEECH, Intent.CONTENTS]),
    ("Kinh phí thực hiện là bao nhiêu?", True, [Intent.AMOUNT]),
    ("Ai chủ trì hội nghị?", True, [Intent.CHAIRED]),
    ("Ai là người ký chương trình?", True, [Intent.SIGNED]),
    ("Những ai đến dự hội nghị sơ kết?", True, [Intent.ATTENDEES]),
    ("Tóm tắt nhanh lễ ký kết để chuẩn bị họp", True, [Intent.BRIEFING]),
])
def test_intents(question, accented, expected):
    assert intents_of(question, accented) == expected


def test_the_same_intents_with_or_without_diacritics():
    pairs = [("Hội nghị tổng kết diễn ra vào thời gian nào?", "hoi nghi tong ket dien ra vao thoi gian nao"),
             ("Ai chủ trì hội nghị sơ kết ở Vĩnh Long?", "ai chu tri hoi nghi so ket o vinh long"),
             ("Chương trình căn cứ vào văn bản nào?", "chuong trinh can cu vao van ban nao")]
    for accented, folded in pairs:
        assert intents_of(accented, True) == intents_of(folded, False)


@pytest.mark.parametrize("question, across", [
    ("Liệt kê các chương trình phối hợp có Công an tham gia.", True),
    ("So sánh chương trình ở Sóc Trăng và ở Bạc Liêu.", True),
    ("Những chương trình nào thực hiện Kết luận 01?", True),
    ("Có bao nhiêu chương trình phối hợp của Ban Dân vận?", True),
    ("Những đơn vị nào ký chương trình phối hợp ở Sóc Trăng?", False),   # the parties of one program
    ("Chương trình ở Sóc Trăng gồm những nội dung gì?", False),
])
def test_questions_about_several_programs(question, across):
    assert asks_across(question, True) == across


# ------------------------------------------------------------------ names


def mentions(question: str, names=None):
    return {(m.kind, m.phrases[0]) for m in analyse(question, names or StaticNames()).mentions}


def test_places_after_unit_words_with_or_without_marks():
    assert (Kind.PLACE, "vinh long") in mentions("Ai dự lễ ký kết ở tỉnh Vĩnh Long?")
    assert (Kind.PLACE, "quan 8") in mentions("Quận 8 ký kết ngày nào?")
    known = StaticNames(places={"cai lay"})
    assert (Kind.PLACE, "cai lay") in mentions("ai du le ky ket o huyen cai lay", known)


def test_places_joined_by_va_are_both_places():
    found = mentions("So sánh quy chế ở Tân Uyên và Bến Cát")
    assert {(Kind.PLACE, "tan uyen"), (Kind.PLACE, "ben cat")} <= found


def test_a_name_after_o_is_a_place_not_a_person():
    found = mentions("Ai dự lễ ký kết ở Ninh Kiều?")
    assert (Kind.PLACE, "ninh kieu") in found and all(kind != Kind.PERSON for kind, _p in found)


def test_common_words_after_a_folded_unit_word_are_not_places():
    common = StaticNames(common={"tinh", "hinh", "kinh", "te"})
    assert all(kind != Kind.PLACE for kind, _p in mentions("ai thong tin ve tinh hinh kinh te", common))


def test_agencies_documents_periods_dates_and_people():
    found = mentions("BTG Tỉnh ủy và Sở Tư pháp ký theo Quyết định số 238-QĐ/TW giai đoạn 2021 – 2025; "
                     "đồng chí Nguyễn Văn Bình dự ngày 14/2/2022")
    assert (Kind.AGENCY, "ban tuyen giao") in found
    assert (Kind.AGENCY, "so tu phap") in found
    assert (Kind.DOCUMENT, "238") in found
    assert (Kind.PERIOD, "2021 2025") in found
    assert (Kind.DATE, "14 2 2022") in found
    assert (Kind.PERSON, "nguyen van binh") in found


def test_an_open_agency_name_is_explicit():
    question = analyse("Ai là Giám đốc Sở Y tế tỉnh?", StaticNames())
    agency = [m for m in question.mentions if m.kind == Kind.AGENCY and m.phrases[0] == "so y te"]
    assert agency and agency[0].explicit


def test_counted_things_and_follow_ups():
    assert analyse("Quy chế gồm mấy chương, mấy điều?").counted == ("chương", "điều")
    assert analyse("Còn ở Phú Bình thì sao?").follow_up
    assert analyse("Chương trình đó gồm những nội dung gì?").follow_up
    assert not analyse("Chương trình phối hợp ở Gia Lai gồm những nội dung gì?").follow_up
