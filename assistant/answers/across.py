"""Answers about several programs at once ("Liệt kê…", "So sánh… ở A và B", "Những chương trình nào…"):
the programs the question selects, each with what it is and the sentences that answer for it."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answers.analysis import Kind, Mention, Question
from assistant.answers.evidence import pick, score_sentences
from assistant.answers.intents import Intent
from assistant.answers.library import ArticleView, Sentence
from assistant.answers.ranking import Ranked
from assistant.answers.scope import Asked, Composed
from assistant.text import wording

ACROSS_MAX = 10
ACROSS_TOPIC = 0.5     # without names, a program is selected when its title and lede have this share
QUOTES = 3

# Bodies that issue documents ("Quyết định 238 của Ban Bí thư"): named for the document, not as a party.
_ISSUER = re.compile(r"bí thư|bi thu|chính trị|chinh tri|chính phủ|chinh phu|quốc hội|quoc hoi|trung ương đảng", re.I)
# Word pairs that frame a question about several programs, not what it is about (folded).
FRAME = {("liet", "ke"), ("so", "sanh"), ("bo", "bai"), ("cac", "bai"), ("da", "luu"), ("kem", "theo"),
         ("khac", "nhau"), ("giong", "nhau"), ("the", "nao"), ("trong", "bai"), ("kem", "thoi"), ("thoi", "gian")}
_FRAME_WORDS = {"kem", "bai", "luu"}


def frame_free(terms: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """The question's words without those that frame it ("liệt kê", "trong bộ bài", "so sánh")."""
    folded = [f for f, _a in terms]
    drop: set[int] = set()
    for i in range(len(folded) - 1):
        if (folded[i], folded[i + 1]) in FRAME:
            drop |= {i, i + 1}
    return [t for i, t in enumerate(terms) if i not in drop and t[0] not in _FRAME_WORDS]


def lede(view: ArticleView) -> Sentence | None:
    """The sentence that says what the program is: the one its parties or date were read from."""
    span = view.row.facts.evidence.get("parties") or view.row.facts.evidence.get("event_date")
    for s in view.sentences:
        if span and s.start <= span[0] < s.end and s.text != view.row.facts.title:
            return s
    return None


def takes_part(view: ArticleView, mention: Mention) -> bool:
    """An agency takes part in a program when the title or lede names it or it is a party."""
    return any(wording.contains(view.head, p) or wording.contains(view.parties_form, p) for p in mention.phrases)


def select(asked: Asked, question: Question) -> list[Ranked]:
    """The programs a question about several selects. Places it names are alternatives ("ở A và
    B": the best program of each); its other names are conditions every program meets (agencies
    taking part, documents, periods, years); without names, its words must be what the program's
    title and lede are about."""
    ranked, library = asked.ranked, asked.library
    places = question.of_kind(Kind.PLACE, Kind.NAME)
    conditions = [m for m in question.mentions if m.kind not in (Kind.PLACE, Kind.NAME)]
    parties = [m for m in conditions if m.kind == Kind.AGENCY and not _ISSUER.search(m.text)
               and f"của {m.text}" not in question.text]

    def meets(r: Ranked) -> bool:
        missing = set(map(id, r.missing))
        if any(id(m) in missing for m in conditions):
            return False
        view = library.view(r.source)
        return all(takes_part(view, m) for m in parties)

    if places:
        chosen: list[Ranked] = []
        for place in places:
            having = [r for r in ranked if place not in r.missing and r not in chosen]
            if having:
                chosen.append(max(having, key=lambda r: (meets(r), r.score)))
        return chosen
    if conditions:
        return [r for r in ranked if meets(r)][:ACROSS_MAX]
    weights = {f: asked.weights.get(f, 1.0) for f, _a in question.terms}
    total = sum(weights.values()) or 1.0
    about = []
    for r in ranked:
        words = set(library.view(r.source).head.split())
        if sum(v for t, v in weights.items() if t in words) / total >= ACROSS_TOPIC:
            about.append(r)
    return about[:ACROSS_MAX]


def heading(view: ArticleView) -> str:
    """One line naming a program: place — date — period — title."""
    facts = view.row.facts
    name = facts.label(view.source)
    parts = [name, facts.date_text(), facts.period_text(), facts.title if facts.title != name else ""]
    line = "- " + " — ".join(p for p in parts if p)
    return line


def compose_across(asked: Asked) -> Composed:
    topic = replace(asked.question, terms=tuple(frame_free(asked.question.terms)))
    selected = select(asked, topic)
    if not selected:
        return Composed("")
    # a list of programs names each by its document when nothing more particular is asked
    intents = list(filter(lambda i: i is not Intent.OTHER, asked.question.intents))[:2] or \
        [Intent.OTHER, Intent.LEGAL_BASIS]
    lines, used = [], []
    for r in selected:
        view = asked.library.view(r.source)
        asked.prefetch([x.source for x in selected])
        quotes: list[Sentence] = []
        for intent in intents:
            scored = score_sentences(topic, view, intent, asked.weights, asked.similarities(r.source))
            if intent == Intent.LEGAL_BASIS:
                scored = [s for s in scored if s.cue >= 0.8 and s.lexical > 0]
            quotes += [s for s in pick(scored, view, limit=2, within=0.8, follow=False) if s not in quotes][:2]
        first = lede(view)
        if first is not None and first not in quotes:
            quotes.insert(0, first)
        lines.append(heading(view))
        for s in sorted(quotes[:QUOTES], key=lambda s: s.index):
            lines.append(f"  “{s.text}” {asked.cites.cite(s.source, (s.start, s.end))}")
        used.append(r.source)
    # the selection already required the question's names: nothing more to doubt
    return Composed("\n".join([f"Có {len(used)} chương trình phù hợp:"] + lines), used, 1.0)
