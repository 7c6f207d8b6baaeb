"""The shape of an answer in a sentence (cues), and scoring that agrees with the reference scorer.
Pure functions, no model."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from assistant.answers import cues
from assistant.answers.intents import Intent
from assistant.app.evaluation import EvalReport, norm, score

pytestmark = pytest.mark.unit

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "tools" / "answer_eval.py"


@pytest.mark.parametrize("sentence, answers", [
    ("Sáng 18.6, hội nghị ký kết được tổ chức.", True),
    ("Ngày 5-7, hai bên tổ chức ký kết chương trình.", True),
    ("Lễ ký kết diễn ra ngày 04 tháng 10 năm 2011.", True),
    ("Hội nghị diễn ra chiều 23/6.", True),
    ("Thực hiện Kế hoạch số 17-KH/HU ngày 3/4/2020 của Ban Thường vụ.", False),  # a document's date
    ("Hai bên thống nhất nhiều nội dung.", False),
])
def test_event_dates(sentence, answers):
    assert cues.has_answer(Intent.DATE, sentence) is answers


def test_a_documents_date_answers_when_the_question_names_the_document():
    assert cues.has_answer(Intent.DATE, "Chương trình số 07-CTr/BDV ngày 14/03/2019 về công tác dân vận.",
                           legal_dates=True)


@pytest.mark.parametrize("intent, sentence, answers", [
    (Intent.PERIOD, "Ký kết chương trình phối hợp giai đoạn 2021 – 2025.", True),
    (Intent.PERIOD, "Đại hội Đảng bộ tỉnh nhiệm kỳ 2020 - 2025 đã đề ra.", False),
    (Intent.LEGAL_BASIS, "Trên cơ sở Chương trình số 09-CTr/TU ngày 20/10/2020 về công tác dân vận.", True),
    (Intent.LEGAL_BASIS, "Để cụ thể hóa Bản ghi nhớ giữa hai huyện, các bên thống nhất như sau.", True),
    (Intent.LEGAL_BASIS, "Hai bên cam kết phối hợp chặt chẽ.", False),
    (Intent.CHAIRED, "Hội nghị do đồng chí Hoàng Văn Minh chủ trì.", True),
    (Intent.CHAIRED, "Dự hội nghị có đồng chí Hoàng Văn Minh.", False),
    (Intent.ATTENDEES, "Dự hội nghị có đồng chí Hoàng Văn Minh, Phó Bí thư Tỉnh ủy.", True),
    (Intent.ATTENDEES, "Tham dự có đại diện Ban Nội chính Tỉnh ủy và Sở Tư pháp.", True),
    (Intent.ATTENDEES, "Hội nghị thông qua dự thảo quy chế của Ban Thường vụ.", False),  # "dự thảo" is no one present
    (Intent.AMOUNT, "Tổng kinh phí thực hiện là 500 triệu đồng.", True),
    (Intent.AMOUNT, "Kinh phí được bố trí hằng năm.", False),
    (Intent.COUNT, "Đã tổ chức 27 buổi tuyên truyền pháp luật.", True),
    (Intent.COUNT, "Năm 2019, hai bên đã ban hành hướng dẫn.", False),     # a year is not a count
    (Intent.PLACE, "Hội nghị được tổ chức tại Hội trường Công an tỉnh.", True),
    (Intent.PLACE, "Ngày 2/8, tại huyện Cái Nước, hai bên sơ kết.", True),
    (Intent.PLACE, "Phát biểu tại Hội nghị, đồng chí Bí thư nhấn mạnh.", False),
])
def test_definite_shapes(intent, sentence, answers):
    assert cues.has_answer(intent, sentence) is answers


def test_signing_people_must_be_in_a_signing_sentence():
    assert cues.has_answer(Intent.SIGNED, "Thay mặt hai cơ quan, đồng chí Lê Văn An và đồng chí Trần Bình ký kết.",
                           person=True)
    assert not cues.has_answer(Intent.SIGNED, "Dự lễ ký kết có đồng chí Lê Văn An, Bí thư Huyện ủy.", person=True)


# ------------------------------------------------------------------ scoring like the reference scorer


@pytest.mark.parametrize("a, b", [
    ("Ủy ban nhân dân", "UBND"),
    ("Hội đồng Nhân dân", "hđnd"),
    ("Uỷ ban MTTQ", "ủy ban mặt trận tổ quốc"),
    ("Toà án", "Tòa án"),
    ("giai đoạn 2021 – 2025", "giai đoạn 2021-2025"),
    ("ngày 4 tháng 10 năm 2011", "ngày 4/10/2011"),
    ("04/10/2011", "4/10/2011"),
    ("ngày 18.6", "ngày 18/6"),
    ("Quyết định số 238", "Quyết định 238"),
    ("Ban Tuyên giáo", "BTG"),
])
def test_equivalent_forms_compare_equal(a, b):
    assert norm(a) == norm(b)


def test_one_outcome_scored():
    item = {"id": "x", "type": "date", "question": "?", "must_contain": ["24/9/2021"],
            "evidence": "Sáng ngày 24/9/2021, hội nghị ký kết đã diễn ra."}
    cited = [{"quote": "Sáng ngày 24/9/2021, hội nghị ký kết đã diễn ra.", "text": "…"}]
    good = score(item, "Thời gian: 24/09/2021 [1]", False, cited)
    assert good.answer_ok and good.evidence_ok and good.grounded
    refused = score(item, "Không tìm thấy thông tin này trong các bài viết đã có.", True, [])
    assert not refused.answer_ok and refused.refused
    unanswerable = score({"id": "u", "type": "unanswerable", "question": "?"}, "…", True, [])
    report = EvalReport([good, refused, unanswerable])
    figures = report.summary()["overall"]
    assert figures["answer"] == 0.5 and figures["refusal"] == 1.0 and figures["false_refusals"] == 1


@pytest.mark.skipif(not REFERENCE.exists(), reason="../shared/tools/answer_eval.py is not on this machine")
def test_norm_agrees_with_the_reference_scorer():
    spec = importlib.util.spec_from_file_location("answer_eval", REFERENCE)
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    samples = ["Ủy ban nhân dân tỉnh", "HĐND, UBND, TAND, VKSND", "ngày 04 tháng 10 năm 2011", "18.6 và 5-7",
               "Quyết định số 238-QĐ/TW", "giai đoạn 2016 – 2021", "Thoả thuận hợp tác", "số 09-CTr/TU",
               "MTTQ xã", "BTG Thành uỷ", "  hai   dòng\ncách ", "01/02/2020 và 1/2"]
    questions = Path(__file__).resolve().parents[3] / "shared" / "devset" / "questions.jsonl"
    if questions.exists():
        for line in questions.read_text(encoding="utf-8").splitlines()[:60]:
            item = json.loads(line)
            samples += item.get("must_contain", []) + [item.get("question", "")]
    for text in samples:
        assert norm(text) == reference.norm(text), text
