"""Example questions are written from the indexed programs: they name only places, agency kinds and
years that occur in the rows (a year with a kind only when one program has both), ask about
attendees or contents only where those were read, never name a place two programs share, put the
most recent program first, are deterministic, distinct and at most `limit`. Over the genre's test
articles (in memory, hashing vectors, no model) every example is answered, from the article it names."""

from __future__ import annotations

import re

import pytest
from conftest import article_files
from fakes import MemoryCorpus

from assistant.answers.answerer import Answerer
from assistant.app.examples import HINT, example_questions
from assistant.facts.model import Attendee, DateValue, Item, Place, ProgramFacts
from assistant.index.catalog import ArticleRow


def row(source: str, province: str, date: tuple[int, int, int] | None, parties: tuple[str, ...] = (),
        locality: str = "", attendees: bool = True, contents: bool = True, period: str = "") -> ArticleRow:
    facts = ProgramFacts(title=f"Ký kết chương trình phối hợp ({source})",
                         event_date=DateValue(*date) if date else None, place=Place(province, locality),
                         parties=parties, period=period,
                         attendees=(Attendee("Nguyễn Văn A", "Phó Bí thư Tỉnh ủy"),) if attendees else (),
                         contents=(Item("Tuyên truyền pháp luật"),) if contents else ())
    return ArticleRow(source, "hash-" + source, "done", 100, 0, facts.title, "", 2, facts)


ROWS = [
    row("quang_binh.txt", "Quảng Bình", (3, 5, 2022), ("Ban Tuyên giáo Tỉnh ủy", "Tòa án nhân dân tỉnh")),
    row("ha_tinh.txt", "Hà Tĩnh", (12, 4, 2024), ("Ban Dân vận Tỉnh ủy", "Công an tỉnh"), period="2024-2029"),
    row("phu_binh.txt", "Thái Nguyên", (2, 8, 2023), ("Ban Dân vận Huyện ủy", "Công an huyện"),
        locality="huyện Phú Bình", attendees=False),
    row("long_an.txt", "Long An", (5, 10, 2023), ("Ban Dân vận Tỉnh ủy", "Viện Kiểm sát nhân dân tỉnh"),
        contents=False),
    row("dong_thap.txt", "Đồng Tháp", None, ("Ủy ban MTTQ Việt Nam tỉnh", "Ban Dân vận Tỉnh ủy")),
]

def named_place(r: ArticleRow) -> str:
    """The place a question names: the district or commune, else the province."""
    return r.facts.place.locality or r.facts.place.province


PLACE = re.compile(r" ở (.+?)(?: gồm| được| thực hiện| diễn ra|\?|$)")


def test_an_empty_corpus_has_no_examples():
    assert example_questions([]) == [] and example_questions(ROWS, limit=0) == []


def test_examples_are_distinct_bounded_and_deterministic():
    for limit in (1, 4, 20):
        questions = example_questions(ROWS, limit=limit)
        assert 0 < len(questions) <= limit and len(set(questions)) == len(questions)
        assert questions == example_questions(list(reversed(ROWS)), limit=limit)
    assert len(example_questions(ROWS)) == 4


def test_examples_name_only_what_the_rows_hold():
    places = {named_place(r) for r in ROWS}
    signed = {(r.facts.event_date.year, kind) for r in ROWS if r.facts.event_date for kind in r.facts.party_kinds()}
    for question in example_questions(ROWS, limit=20):
        if match := re.fullmatch(r"Những chương trình nào ký với (.+) năm (\d{4})\?", question):
            assert (int(match.group(2)), match.group(1)) in signed, question
        else:
            match = PLACE.search(question)
            assert match and match.group(1) in places, question
        assert not re.search(r"\d{4}", question) or question.startswith("Những chương trình nào")


def test_each_question_is_asked_only_where_its_facts_were_read():
    by_place = {named_place(r): r.facts for r in ROWS}
    for question in example_questions(ROWS, limit=20):
        match = PLACE.search(question)
        if question.startswith("Ai dự") and match:
            assert by_place[match.group(1)].attendees, question
        if "nội dung" in question and match:
            assert by_place[match.group(1)].contents, question
        if "giai đoạn" in question and match:
            assert by_place[match.group(1)].period, question
        if "ngày nào" in question and match:
            assert by_place[match.group(1)].event_date, question


def test_the_most_recent_program_comes_first_and_questions_vary():
    questions = example_questions(ROWS)
    assert questions[0] == "Ai dự lễ ký kết ở Hà Tĩnh?"
    assert "Chương trình phối hợp ở huyện Phú Bình gồm những nội dung gì?" in questions
    assert len({PLACE.search(q).group(1) for q in questions if PLACE.search(q)}) == \
        len([q for q in questions if PLACE.search(q)])   # one program per question while there are enough
    assert "Những chương trình nào ký với Ban Dân vận năm 2023?" in questions   # a year shared by two programs


def test_a_place_two_programs_share_is_never_named():
    shared = [*ROWS, row("ha_tinh_2.txt", "Hà Tĩnh", (1, 1, 2025), ("Ban Dân vận Tỉnh ủy", "Công an tỉnh"))]
    assert not any("Hà Tĩnh" in q for q in example_questions(shared, limit=20))


def test_one_program_still_gets_several_kinds_of_question():
    questions = example_questions(ROWS[1:2], limit=10)
    assert questions[:3] == ["Ai dự lễ ký kết ở Hà Tĩnh?", "Những chương trình nào ký với Ban Dân vận năm 2024?",
                             "Chương trình phối hợp ở Hà Tĩnh gồm những nội dung gì?"]
    assert "Tóm tắt nhanh lễ ký kết ở Hà Tĩnh" in questions


def test_a_kind_and_a_year_of_different_programs_are_never_paired():
    rows = [row("a.txt", "Quảng Bình", (1, 1, 2022), ("Công an tỉnh", "Ban Dân vận Tỉnh ủy")),
            row("b.txt", "Nghệ An", (1, 1, 2024), ("Tòa án nhân dân tỉnh", "Ban Tuyên giáo Tỉnh ủy"))]
    across = [q for q in example_questions(rows, limit=20) if q.startswith("Những chương trình")]
    assert across and all(("2024" in q) == ("Tòa án" in q or "Tuyên giáo" in q) for q in across)
    assert all("năm" not in q for q in example_questions([row("c.txt", "Huế", None, ("Công an tỉnh",))], limit=20))


def test_the_hint_is_one_vietnamese_line():
    assert "\n" not in HINT and len(HINT) < 200
    for what in ("ai dự", "ai ký", "chủ trì", "ngày nào", "ở đâu", "giai đoạn", "căn cứ", "nội dung", "tóm tắt"):
        assert what in HINT, what


@pytest.fixture(scope="module")
def corpus():
    return MemoryCorpus(article_files())


def test_every_example_over_the_test_articles_is_answered_from_the_article_it_names(corpus):
    rows = list(corpus.articles.values())
    answerer = Answerer(corpus)
    questions = example_questions(rows, limit=8)
    assert len(questions) == 8
    for question in questions:
        answer = answerer.answer(question)
        assert not answer.refused and answer.citations, question
        if (match := PLACE.search(question)) and not question.startswith("Những"):
            named = [r.source for r in rows if named_place(r) == match.group(1)]
            assert answer.sources[:1] == named, question
