"""Briefing notes ("Tóm tắt…", "Soạn ý chính…"): the facts of a program and its key sentences, each
line cited, for one program or for each that the question matches equally."""

from __future__ import annotations

from assistant.answers.analysis import Question
from assistant.answers.citations import Citations
from assistant.answers.evidence import score_sentences
from assistant.answers.intents import Intent
from assistant.answers.library import Library
from assistant.answers.ranking import term_weights
from assistant.answers.scope import Asked, Composed, named_penalty, ties

KEY_SENTENCES = 4
MAX_PEOPLE = 8
MAX_DIRECTIVES = 6


def compose_briefing(asked: Asked) -> Composed:
    top = asked.ranked[0]
    chosen = [top] + ties(asked.ranked, top)
    text = "\n\n".join(briefing_note(asked.question, r.source, asked.library, asked.cites) for r in chosen)
    return Composed(text, [r.source for r in chosen], named_penalty(top))


def briefing_note(question: Question, source: str, library: Library, cites: Citations) -> str:
    view = library.view(source)
    f, ev = view.row.facts, view.row.facts.evidence

    def cite(key: str) -> str:
        return cites.cite(source, ev.get(key))

    lines = [f"TÓM TẮT: {f.title or f.label(source)} {cite('title')}".rstrip()]
    if f.parties:
        lines.append(f"- Các bên: {', '.join(f.parties)} {cite('parties')}".rstrip())
    if f.event_date:
        lines.append(f"- Thời gian: {f.event_date.display()} {cite('event_date')}".rstrip())
    if f.venue or f.place.display():
        where = ", ".join(x for x in (f.venue, f.place.display()) if x)
        lines.append(f"- Địa điểm: {where} {cite('venue') or cite('place')}".rstrip())
    if f.period:
        lines.append(f"- Thời gian thực hiện: {f.period_text()} {cite('period')}".rstrip())
    if f.legal_basis:
        lines.append(f"- Căn cứ: {', '.join(f.legal_basis)} {cite('legal_basis')}".rstrip())
    if f.attendees:
        lines.append("- Người dự: " + "; ".join(
            f"{p.name}" + (f" ({p.role})" if p.role else "") + f" {cites.cite(source, p.evidence)}"
            for p in f.attendees[:MAX_PEOPLE]))
    if f.contents:
        lines.append("- Nội dung chính:")
        lines.extend(f"  + {i.text} {cites.cite(source, i.evidence)}" for i in f.contents)
    # the sentences that best answer what the question is about
    weights = term_weights(library, list(question.content))
    scored = score_sentences(question, view, Intent.CONTENTS, weights, {})
    key = sorted((s.sentence for s in scored[:KEY_SENTENCES]), key=lambda s: s.index)
    if key:
        lines.append("- Ý chính trong bài:")
        lines.extend(f"  + {s.text} {cites.cite(source, (s.start, s.end))}" for s in key)
    if f.directives:
        lines.append("- Chỉ đạo:")
        lines.extend(f"  + {i.text} {cites.cite(source, i.evidence)}" for i in f.directives[:MAX_DIRECTIVES])
    return "\n".join(lines)
