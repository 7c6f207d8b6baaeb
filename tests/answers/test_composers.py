"""Composers and ranking on small articles written here (invented, in the genre's shapes), over the
in-memory corpus: every intent has its composer; a question asking several things gets each; what
no extractor knows (purpose, results, how many) is answered from the best sentence; agencies are
kept as written; a place named only in the body still ranks its article first; a name no article
mentions is refused. No model: seconds."""

from __future__ import annotations

import pytest
from fakes import MemoryCorpus

from assistant.answers.answerer import COMPOSE, Answerer, Scope, scope_of
from assistant.answers.composers import COMPOSERS
from assistant.answers.intents import Intent

ARTICLES = {
    "phu_yen_mat_tran.txt": """Title: Ký kết chương trình phối hợp giữa Ban Dân vận và Ủy ban MTTQ tỉnh

Tuy Hòa, ngày 14/3/2023 — Sáng 14/3, tại Hội trường Nhà khách Tỉnh ủy Phú Yên, Ban Dân vận Tỉnh ủy và Ủy ban MTTQ Việt Nam tỉnh tổ chức lễ ký kết chương trình phối hợp giai đoạn 2023 - 2026.

Dự lễ ký kết có ông Lê Văn Tâm, Phó Bí thư Tỉnh ủy; bà Đỗ Thị Hạnh, Trưởng ban Dân vận Tỉnh ủy; ông Vũ Quốc Khánh, Chủ tịch Ủy ban MTTQ Việt Nam tỉnh.

Chương trình nhằm phát huy vai trò của Nhân dân trong giám sát và phản biện xã hội, góp phần xây dựng Đảng và chính quyền trong sạch.

Chương trình gồm 5 nội dung phối hợp, trong đó có tuyên truyền chủ trương của Đảng, nắm tình hình Nhân dân và giám sát cán bộ, đảng viên ở khu dân cư.

Năm qua, hai bên đã tổ chức 42 cuộc giám sát, tiếp nhận 310 ý kiến của cử tri và kiến nghị giải quyết dứt điểm 27 vụ việc tồn đọng.

Phát biểu tại lễ ký kết, ông Lê Văn Tâm đề nghị hai bên chú trọng giám sát việc giải quyết kiến nghị của cử tri ở cơ sở.

Tin và ảnh: Hoàng Minh Châu
""",
    "hoi_nong_dan_bao.txt": """Title: Hội Nông dân và Báo tỉnh phối hợp tuyên truyền

Chiều 2/8/2022, Hội Nông dân tỉnh và Báo Đắk Nông ký kết quy chế phối hợp tuyên truyền về nông nghiệp, nông dân, nông thôn giai đoạn 2022 - 2025.

Quy chế được ký trên cơ sở Chỉ thị số 12-CT/TU của Ban Thường vụ Tỉnh ủy.

Thay mặt hai bên, ông Trịnh Văn Lực, Chủ tịch Hội Nông dân tỉnh và ông Mai Xuân Bách, Tổng Biên tập Báo Đắk Nông ký quy chế.
""",
}


@pytest.fixture(scope="module")
def answerer(tmp_path_factory):
    folder = tmp_path_factory.mktemp("articles")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return Answerer(MemoryCorpus(sorted(folder.iterdir())))


def test_every_intent_has_its_composer_and_every_scope_its_function():
    assert set(COMPOSERS) | {Intent.BRIEFING} == set(Intent)   # the briefing is a scope of its own
    assert set(COMPOSE) == set(Scope)


def test_one_question_asking_where_and_when_gets_both(answerer):
    question = answerer.analyse("Lễ ký kết ở Phú Yên diễn ra ở đâu, ngày nào?")
    assert question.intents[:2] == (Intent.PLACE, Intent.DATE) and scope_of(question) is Scope.ONE
    answer = answerer.answer("Lễ ký kết ở Phú Yên diễn ra ở đâu, ngày nào?")
    assert not answer.refused
    assert "Hội trường Nhà khách Tỉnh ủy Phú Yên" in answer.answer and "14/03/2023" in answer.answer
    assert answer.citations[0].source == "phu_yen_mat_tran.txt"


@pytest.mark.parametrize("question, expected", [
    ("Chương trình ở Phú Yên nhằm mục đích gì?", "phát huy vai trò của Nhân dân trong giám sát"),
    ("Chương trình phối hợp ở Phú Yên gồm mấy nội dung?", "5 nội dung"),
    ("Ban Dân vận và MTTQ Phú Yên đạt được kết quả gì?", "42 cuộc giám sát"),
])
def test_questions_without_an_extracted_fact_get_the_best_sentence(answerer, question, expected):
    answer = answerer.answer(question)
    assert not answer.refused and expected in answer.answer, answer.answer
    assert any(expected in c.quote for c in answer.citations)


def test_what_a_leader_asked_for_and_who_wrote_the_article(answerer):
    speech = answerer.answer("Ông Lê Văn Tâm đề nghị gì tại lễ ký kết ở Phú Yên?")
    assert speech.intents[0] == Intent.SPEECH.value
    assert "giám sát việc giải quyết kiến nghị của cử tri" in speech.answer
    author = answerer.answer("Ai viết bài về lễ ký kết ở Phú Yên?")
    assert author.intents[0] == Intent.AUTHOR.value and "Hoàng Minh Châu" in author.answer


def test_agencies_as_the_article_writes_them(answerer):
    answer = answerer.answer("Hội Nông dân tỉnh ký quy chế phối hợp với cơ quan nào?")
    assert "Báo Đắk Nông" in answer.answer
    signers = answerer.answer("Ai ký quy chế phối hợp của Hội Nông dân và Báo Đắk Nông?")
    assert "Trịnh Văn Lực" in signers.answer and "Mai Xuân Bách" in signers.answer


def test_a_place_in_the_body_only_ranks_its_article_first(answerer):
    # "Đắk Nông" is in no dateline and in no title: only in the body (as the newspaper's name)
    answer = answerer.answer("Quy chế phối hợp ở Đắk Nông căn cứ văn bản nào?")
    assert not answer.refused and "Chỉ thị số 12-CT/TU" in answer.answer
    assert answer.citations[0].source == "hoi_nong_dan_bao.txt"


def test_a_name_no_article_mentions_is_refused_and_said_why(answerer):
    answer = answerer.answer("Ai dự lễ ký kết ở Cao Bằng?")
    assert answer.refused and answer.reason == "unknown name"
    known = answerer.answer("Ai dự lễ ký kết ở Phú Yên?")
    assert not known.refused and "Vũ Quốc Khánh" in known.answer
