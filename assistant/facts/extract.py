"""All facts of one article, each with the sentence it was read from (pure).

`extract_facts(text, header, title, url)` runs every extractor on the article's clean text and
header fields and gathers the sentence each value came from into `ProgramFacts.evidence`, so an
answer quotes the sentence the fact was read from without looking for it again.
"""

from __future__ import annotations

from dataclasses import replace

from assistant.facts.contents import extract_contents, extract_directives
from assistant.facts.dates import extract_event_date, extract_published, is_stamp_line
from assistant.facts.model import ProgramFacts, Span
from assistant.facts.parties import extract_parties
from assistant.facts.people import extract_attendees
from assistant.facts.places import extract_place, extract_places, extract_venue
from assistant.facts.program import extract_author, extract_legal_basis, extract_period, extract_title
from assistant.text.sentences import Sentence, split_sentences


def extract_facts(text: str, header: dict | None = None, title: str = "", url: str = "",
                  sentences: list[Sentence] | None = None) -> ProgramFacts:
    """All facts of one article from its clean text and header fields (`sentences`: the text's,
    when the caller has split it already)."""
    header = header or {}
    lines = text.split("\n")
    title, title_index = extract_title(lines, title or header.get("title", ""))
    sentences = split_sentences(text) if sentences is None else sentences
    line_spans, pos = [], 0
    for line in lines:
        line_spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    stamp_starts = {line_spans[i][0] for i, line in enumerate(lines) if is_stamp_line(line)}
    title_span: Span | None = None
    if title_index is not None:
        title_span = line_spans[title_index]
        stamp_starts.add(title_span[0])
    body = [s for s in sentences if s.start not in stamp_starts]

    published, published_line = extract_published(lines, title_index, header.get("date", ""))
    event_date, event_span = extract_event_date(body, published)
    place, place_span = extract_place(title, body, url, title_span)
    parties, parties_span = extract_parties(title, body, title_span)
    period, period_span = extract_period(title, body, title_span)
    legal_basis, legal_span = extract_legal_basis(sentences)
    author, author_span = extract_author(sentences, header.get("author", ""))
    venue, venue_span = extract_venue(body)
    facts = ProgramFacts(
        title=title, event_date=event_date, published=published, place=place, parties=parties, period=period,
        legal_basis=legal_basis, attendees=extract_attendees(sentences), author=author, venue=venue,
        places=extract_places(title, body), contents=extract_contents(body, text),
        directives=extract_directives(body, text))
    evidence = {
        "title": title_span if title else None,
        "event_date": event_span if event_date else None,
        "published": line_spans[published_line] if published and published_line is not None else None,
        "place": place_span, "parties": parties_span if parties else None, "period": period_span,
        "legal_basis": legal_span if legal_basis else None, "author": author_span, "venue": venue_span,
    }
    return replace(facts, evidence={k: v for k, v in evidence.items() if v})
