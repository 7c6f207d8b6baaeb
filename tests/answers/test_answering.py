"""Answers over articles that are not the seeds (our genre test articles) plus the seeds: complete
attendee lists, content bullets, dates, periods, signers, lists across articles, briefings, honest
refusals, follow-ups, and citations whose quote really appears in the cited file.

Each answer test runs twice: on `fakes.MemoryCorpus` (the real loading, facts, chunks, stored forms
and BM25, with a hashing encoder in place of e5: seconds, part of `pytest -m "not integration"`),
and on the product's service over the real model and Chroma (`integration`).
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from conftest import SOURCES, TEST_ARTICLES, article_files, copy_articles
from fakes import MemoryCorpus

from assistant.answers import REFUSAL, Conversation
from assistant.answers.answerer import Answerer
from assistant.answers.retrieval import Filters, LangChainRetriever
from assistant.app.service import Assistant
from assistant.config import load_settings
from assistant.ingest.indexer import run_ingest
from assistant.ingest.loading import load_file

ARTICLES = sorted(SOURCES.iterdir()) + article_files()


class InMemory:
    """`ask` as the service offers it, over the in-memory corpus."""

    def __init__(self, answerer: Answerer):
        self.answerer = answerer

    def ask(self, question, conversation=None, filters=None):
        return self.answerer.answer(question, conversation, filters)


@pytest.fixture(scope="module")
def service(tmp_path_factory, embedder):
    """The product's service on a real index (model, Chroma, SQLite)."""
    src = tmp_path_factory.mktemp("sources")
    copy_articles(src, ARTICLES)
    settings = load_settings(sources_dir=src, index_dir=tmp_path_factory.mktemp("index"))
    run_ingest(settings, embedder=embedder)
    service = Assistant(settings, embedder)
    yield service
    service.close()


@pytest.fixture(scope="module", params=["memory", pytest.param("index", marks=pytest.mark.integration)])
def assistant(request):
    if request.param == "memory":
        return InMemory(Answerer(MemoryCorpus(ARTICLES)))
    return request.getfixturevalue("service")


def article_path(source):
    return SOURCES / source if (SOURCES / source).exists() else TEST_ARTICLES / source


def assert_citations_are_real(answer):
    assert answer.citations, answer.answer
    for c in answer.citations:
        path = article_path(c.source)
        loaded = load_file(path, path.parent, 20 * 1024 * 1024).text
        assert c.quote and c.quote in loaded
        assert c.text[c.quote_start:c.quote_end] == c.quote and c.quote in c.text
        if path.suffix == ".txt":  # the quote is in the file itself, not only in our cleaned copy
            raw = path.read_bytes()
            for encoding in ("utf-8-sig", "utf-16"):
                try:
                    decoded = raw.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            assert c.quote in unicodedata.normalize("NFC", decoded)
    markers = {int(m) for m in re.findall(r"\[(\d+)\]", answer.answer)}
    assert markers == {c.n for c in answer.citations}


def test_complete_attendee_list_with_roles_on_a_new_article(assistant):
    answer = assistant.ask("Ai dự hội nghị ký kết ở Lào Cai?")
    assert not answer.refused
    for line in ("Giàng Thị Dung, Phó Bí thư Tỉnh ủy",
                 "Hoàng Giang, Ủy viên Ban Thường vụ Tỉnh ủy, Trưởng ban Tuyên giáo và Dân vận Tỉnh ủy",
                 "Nguyễn Văn Thành, Thiếu tướng, Giám đốc Công an tỉnh",
                 "Phạm Quang Huy, Đại tá, Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh"):
        assert line in answer.answer
    assert_citations_are_real(answer)


def test_attendees_from_every_relevant_article(assistant):
    answer = assistant.ask("Ai dự lễ ký kết ở Cần Thơ?")
    for name in ("Nguyễn Ngọc Tâm", "Phạm Hoàng Dũng", "Trần Văn Bình", "Đặng Hữu Phước"):
        assert name in answer.answer
    assert {c.source for c in answer.citations} == {"000_65aea955625578e5.txt", "quan_ninh_kieu_utf16.txt"}
    assert_citations_are_real(answer)


def test_content_bullets(assistant):
    answer = assistant.ask("Quy chế phối hợp ở Gia Lai gồm những nội dung gì?")
    bullets = [line for line in answer.answer.splitlines() if line.startswith("- ") and not line.startswith("- “")]
    assert bullets == ["- Xây dựng kế hoạch tuyên truyền pháp luật hằng năm [1]",
                       "- Cung cấp thông tin định hướng cho báo chí [1]",
                       "- Tổ chức cuộc thi tìm hiểu pháp luật trên mạng internet [1]",
                       "- Bồi dưỡng đội ngũ báo cáo viên pháp luật [1]"]
    assert_citations_are_real(answer)


@pytest.mark.parametrize("question, expected, source", [
    ("Hà Tĩnh ký kết chương trình phối hợp với Công an ngày nào?", "12/04/2024", "ha_tinh_dan_van_cong_an.txt"),
    ("Đồng Tháp ký chương trình phối hợp vận động hội viên phụ nữ khi nào?", "28/12/2023",
     "dong_thap_dan_van_mttq.txt"),
    ("hoi nghi o Dien Chau dien ra ngay nao", "18/06/2024", "dien_chau_nghe_an.html"),
    ("Chương trình ở Hương Thủy thực hiện giai đoạn nào?", "2023 - 2025", "huong_thuy_tuyen_giao.docx"),
    ("Thanh Hóa ký kết chương trình phối hợp giai đoạn nào?", "2023 - 2028", "thanh_hoa_dan_van_mttq.pdf"),
    ("Quy chế ở Long An căn cứ vào văn bản nào?", "Quyết định số 238-QĐ/TW", "long_an_tuyen_giao_vks.md"),
    ("Ban Tuyên giáo Thành ủy Hải Phòng ký với những cơ quan nào?",
     "Bộ Chỉ huy Quân sự thành phố, Bộ Chỉ huy Bộ đội Biên phòng thành phố", "hai_phong_tuyen_giao_quan_su.txt"),
    ("Ai chủ trì hội nghị ở Diễn Châu?", "Cao Xuân Hòa", "dien_chau_nghe_an.html"),
    ("Ai ký chương trình ở Bình Định?", "Đoàn Văn Phi", "binh_dinh_nfd.txt"),
])
def test_short_facts_with_their_sentence(assistant, question, expected, source):
    answer = assistant.ask(question)
    assert not answer.refused and expected in answer.answer
    assert answer.citations[0].source == source
    assert_citations_are_real(answer)


def test_signers_named_in_their_own_sentence(assistant):
    answer = assistant.ask("Ai ký quy chế phối hợp ở Bắc Giang?")
    assert "- Mai Sơn, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh [1]" in answer.answer
    assert "- Lê Thị Thu Hồng, Ủy viên Ban Thường vụ, Trưởng Ban Tuyên giáo Tỉnh ủy [1]" in answer.answer
    assert answer.citations[0].quote.startswith("Thay mặt hai cơ quan")
    assert_citations_are_real(answer)


def test_list_across_articles(assistant):
    answer = assistant.ask("Những tỉnh nào ký chương trình phối hợp với Công an?")
    lines = [line for line in answer.answer.splitlines() if line.startswith("- ")]
    assert len(lines) == 3
    assert any("Hà Tĩnh — 12/04/2024" in line for line in lines) and any(line.startswith("- Lào Cai") for line in lines)
    assert_citations_are_real(answer)


def test_briefing_note(assistant):
    answer = assistant.ask("Tóm tắt nhanh lễ ký kết ở Hà Tĩnh")
    text = answer.answer
    for part in ("TÓM TẮT:", "- Thời gian: 12/04/2024", "- Địa điểm: Hà Tĩnh", "- Thời gian thực hiện: giai đoạn 2024 - 2029",
                 "- Căn cứ: Kết luận số 01-KL/TW, Quy chế số 05-QC/TU", "Nguyễn Hồng Phong", "- Nội dung chính:",
                 "Xây dựng mô hình \"Dân vận khéo\"", "- Chỉ đạo:"):
        assert part in text, part
    for line in text.splitlines()[1:]:
        if line.strip() and not line.strip().endswith(":"):
            assert "[" in line, line  # every line carries a citation
    assert_citations_are_real(answer)


@pytest.mark.parametrize("question", [
    "Kinh phí thực hiện quy chế phối hợp ở Gia Lai là bao nhiêu?",
    "Ai dự lễ ký kết ở Đà Lạt?",
    "ai du le ky ket o da lat",
    "Ông Nguyễn Văn Xuân phát biểu gì tại hội nghị?",
    "Ai là Giám đốc Sở Y tế Gia Lai?",
    "Hải Phòng ký kết chương trình theo quyết định nào?",
    "Chương trình phối hợp giữa Ban Dân vận và Sở Tư pháp gồm những nội dung gì?",
])
def test_honest_refusals(assistant, question):
    answer = assistant.ask(question)
    assert answer.refused and answer.answer == REFUSAL and answer.citations == []
    assert answer.reason   # why, for the logs and the eval report


def test_follow_ups_carry_the_conversation(assistant):
    chat = Conversation()
    first = assistant.ask("Ai dự hội nghị ký kết ở Lào Cai?", chat)
    assert "Giàng Thị Dung" in first.answer
    again = assistant.ask("Còn ở Hà Tĩnh thì sao?", chat)
    assert "Trần Thế Dũng" in again.answer and "Giàng Thị Dung" not in again.answer
    when = assistant.ask("Diễn ra khi nào?", chat)
    assert "12/04/2024" in when.answer
    content = assistant.ask("Chương trình đó gồm những nội dung gì?", chat)
    assert "Dân vận khéo" in content.answer
    # a new conversation forgets
    alone = assistant.ask("Diễn ra khi nào?", Conversation())
    assert "12/04/2024" not in alone.answer or alone.refused


def test_diacritics_do_not_matter(assistant):
    with_marks = assistant.ask("Ai dự lễ ký kết ở Ninh Kiều?")
    without = assistant.ask("ai du le ky ket o ninh kieu")
    assert with_marks.answer == without.answer and "Lê Thị Kiều Oanh" in without.answer


def test_bad_questions_are_bounded(assistant):
    empty = assistant.ask("   ")
    assert empty.refused and "nhập một câu hỏi" in empty.answer
    huge = assistant.ask("ký kết chương trình phối hợp " * 2000)
    assert huge.seconds < 30
    english = assistant.ask("What is the budget of the program?")
    assert english.refused


@pytest.mark.integration
def test_retrieval_favours_named_places_and_filters_restrict(service):
    retriever = service.retriever
    result = retriever.retrieve("chương trình phối hợp ở Quảng Bình")
    assert result.hits[0].chunk.source == "004_deced359ded4c1cd.txt"
    only_gia_lai = retriever.retrieve("chương trình phối hợp", filters=Filters(provinces=("Gia Lai",)))
    assert {h.chunk.source for h in only_gia_lai.hits} == {"gia_lai_tuyen_giao_so.txt"}
    by_year = retriever.retrieve("ký kết", filters=Filters(years=(2021,)))  # signed in 2021 or running then
    assert {h.chunk.source for h in by_year.hits} == {"001_3366221248b33ad7.txt", "002_227f3e806a73c8f0.txt"}
    texts = [" ".join(h.chunk.text.split()) for h in retriever.retrieve("Ninh Kiều", k=20).hits]
    assert len(texts) == len(set(texts))  # no duplicate passages
    docs = LangChainRetriever(retriever=retriever, k=3).invoke("Ai chủ trì hội nghị ở Hải Phòng?")
    assert docs[0].metadata["source"] == "hai_phong_tuyen_giao_quan_su.txt"
    kept = LangChainRetriever(retriever=retriever, k=3, filters=Filters(parties=("Công an",))).invoke("ký kết")
    assert kept and all("Công an" in retriever.articles[d.metadata["source"]].facts.party_kinds() for d in kept)


def test_answers_use_filters(assistant):
    answer = assistant.ask("Ai dự lễ ký kết?", filters=Filters(provinces=("Thanh Hóa",)))
    assert "Lại Thế Nguyên" in answer.answer and "Giàng Thị Dung" not in answer.answer
