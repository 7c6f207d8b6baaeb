"""The benchmark's synthetic articles: deterministic, one right article per question, realistic enough
that fact extraction reads from them what they were written from."""

from __future__ import annotations

from assistant.bench.synthetic import generate
from assistant.facts.extract import extract_facts
from assistant.text.folding import fold


def test_generation_is_deterministic_and_varied():
    first = [a.text for a in generate(30, seed=3)]
    assert first == [a.text for a in generate(30, seed=3)]
    assert first != [a.text for a in generate(30, seed=4)]
    assert len(set(first)) == 30
    lengths = sorted(len(t) for t in first)
    assert lengths[0] > 1200 and lengths[-1] < 6000  # news-item sized, not one template length
    assert len({t.split("\n\n")[1][:20] for t in first}) > 3  # several title shapes


def test_every_question_has_one_right_article():
    articles = list(generate(3000, seed=11))
    by_question: dict[str, set[str]] = {}
    for article in articles:
        for q in article.questions:
            assert q.source == article.source
            assert fold(q.expect) in fold(article.text), (q.kind, q.expect)
            by_question.setdefault(q.text, set()).add(q.source)
    assert all(len(sources) == 1 for sources in by_question.values())


def test_fact_extraction_reads_the_planted_facts():
    for article in generate(60, seed=5):
        facts = extract_facts(article.text)
        expect = {q.kind: q.expect for q in article.questions}
        day, month = (int(x) for x in expect["date"].split("/"))
        assert facts.event_date and (facts.event_date.day, facts.event_date.month) == (day, month), article.text[:300]
        assert facts.period.endswith(expect["period"])
        names = [p.name for p in facts.attendees]
        assert expect["attendees"] in names and expect["signers"] in names
        assert any(expect["legal"].split(" số ")[-1] in basis for basis in facts.legal_basis), facts.legal_basis


def test_avoided_strings_never_appear():
    texts = [a.text for a in generate(40, seed=9, avoid=["Ban Dân vận", "Hội Nông dân"])]
    assert not any("Ban Dân vận" in t or "Hội Nông dân" in t for t in texts)
