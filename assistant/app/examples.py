"""Example questions for the chat, written from the indexed programs themselves.

Each example names only a place, an agency kind or a year that occurs in the catalog rows, and asks
something the facts of that program can answer (who attended only where attendees were read, the
contents only where contents were read…). A question about one program names it by its place only
when no other indexed program has the same place, so the example cannot be ambiguous. The most
recent programs come first; the output is deterministic (no randomness) and has no duplicates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from assistant.facts.model import ProgramFacts
from assistant.index.catalog import ArticleRow

HINT = ("Bạn có thể hỏi ai dự, ai ký, ai chủ trì; ký ngày nào, ở đâu; thực hiện trong giai đoạn nào; căn cứ "
        "văn bản nào; chương trình gồm những nội dung gì; hoặc yêu cầu tóm tắt nhanh một lễ ký kết.")

# Questions about one program, in the order they are offered; each gets the program's facts and its
# place, and says nothing (None) when those facts cannot answer it.
_ONE: list[Callable[[ProgramFacts, str], str | None]] = [
    lambda f, place: f"Ai dự lễ ký kết ở {place}?" if f.attendees else None,
    lambda f, place: f"Chương trình phối hợp ở {place} gồm những nội dung gì?" if f.contents else None,
    lambda f, place: f"Tóm tắt nhanh lễ ký kết ở {place}",
    lambda f, place: f"Chương trình phối hợp ở {place} được ký căn cứ văn bản nào?" if f.legal_basis else None,
    lambda f, place: f"Chương trình phối hợp ở {place} thực hiện trong giai đoạn nào?" if f.period else None,
    lambda f, place: f"Lễ ký kết ở {place} diễn ra vào ngày nào?" if f.event_date else None,
]
_ACROSS_AFTER = 2   # the question across programs comes third, after two about one program


def _recency(row: ArticleRow) -> tuple[int, int, int]:
    when = row.facts.when
    return (when.year or 0, when.month, when.day) if when else (0, 0, 0)


def _across(rows: list[ArticleRow]) -> str | None:
    """"Những chương trình nào ký với <kind> năm <year>?" for the most recent signing year, with the
    agency kind most programs of that year were signed with; a year and kind shared by several
    programs (a real list) is preferred to a more recent one of a single program."""
    pairs = Counter((row.facts.event_date.year, kind) for row in rows
                    if row.facts.event_date and row.facts.event_date.year for kind in set(row.facts.party_kinds()))
    if not pairs:
        return None
    (year, kind), _count = min(pairs.items(), key=lambda item: (item[1] < 2, -item[0][0], -item[1], item[0][1]))
    return f"Những chương trình nào ký với {kind} năm {year}?"


def _place_name(row: ArticleRow) -> str:
    return row.facts.place.locality or row.facts.place.province


def example_questions(rows: list[ArticleRow], limit: int = 4) -> list[str]:
    """Up to `limit` varied questions the indexed programs can answer; [] for an empty corpus.

    One pass gives each kind of question to a different program (the most recent first); a second
    pass, when the corpus is small, lets a program answer more than one kind."""
    ordered = sorted(rows, key=lambda r: (tuple(-x for x in _recency(r)), r.source))
    # the place as a reader names it: the district or commune, else the province ("huyện Phú Bình",
    # not "huyện Phú Bình, Thái Nguyên", whose province the article may not write)
    places = Counter(_place_name(row) for row in ordered)
    named = [(row, _place_name(row)) for row in ordered if _place_name(row) and places[_place_name(row)] == 1]
    across = _across(ordered)
    questions: list[str] = []
    for distinct in (True, False):
        used: set[str] = set()
        for i, ask in enumerate(_ONE):
            if i == _ACROSS_AFTER and across and across not in questions:
                questions.append(across)
            for row, place in named:
                question = ask(row.facts, place)
                if question and question not in questions and not (distinct and row.source in used):
                    questions.append(question)
                    used.add(row.source)
                    break
    if across and across not in questions:
        questions.append(across)
    return questions[:max(0, limit)]
