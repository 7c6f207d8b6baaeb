"""Answers about one program: each intent's part from the best article, or from each of several that
match equally, with a confidence that decides between an answer and the refusal."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answers.citations import Citations
from assistant.answers.composers import COMPOSERS, Context, Part, complete
from assistant.answers.intents import Intent
from assistant.answers.library import Sentence
from assistant.answers.ranking import Ranked
from assistant.answers.scope import Asked, Composed, named_penalty, ties

MAX_INTENTS = 3
MAX_QUOTES = 5
CONTENDERS = 4        # articles ranked this high, and within CLOSE of the best, are each tried
CLOSE = 0.75
STRENGTH = 0.3        # how much the best sentence's score weighs when choosing between contenders


@dataclass
class Decision:
    """What was found in one article: the composed parts and how sure it answers."""
    ranked: Ranked
    parts: list[tuple[Intent, Part]]
    confidence: float

    @property
    def source(self) -> str:
        return self.ranked.source

    @property
    def strength(self) -> float:
        return max((p.strength for _i, p in self.parts), default=0.0)


def decide(asked: Asked, ranked: Ranked, cites: Citations) -> Decision:
    """Compose every intent of the question from one article."""
    ctx = Context(asked.question, asked.library.view(ranked.source), cites, asked.weights,
                  asked.similarities(ranked.source))
    parts = [(intent, COMPOSERS[intent](ctx)) for intent in asked.question.intents[:MAX_INTENTS]]
    extra = complete(ctx, parts)
    if extra is not None:
        parts.append((Intent.OTHER, extra))
    return Decision(ranked, parts, confidence(ranked, parts))


def confidence(ranked: Ranked, parts: list[tuple[Intent, Part]]) -> float:
    """How sure the article answers: the names of the question it has, times whether an intent
    found an answer (of the expected shape, or with enough of the question's words), times the
    share of the question's words the article has."""
    support = 1.0 if any(p.answered for _i, p in parts) else 0.0
    return named_penalty(ranked) * support * (0.5 + 0.5 * min(1.0, ranked.topic + 0.3))


def compose_single(asked: Asked) -> Composed:
    top = asked.ranked[0].score
    contenders = [r for r in asked.ranked[:CONTENDERS] if r.score >= CLOSE * top]
    asked.prefetch([r.source for r in contenders])
    decisions = [decide(asked, r, asked.cites) for r in contenders]
    best = max(decisions, key=lambda d: (d.confidence, d.ranked.score + STRENGTH * d.strength))
    equal = {id(r) for r in ties(asked.ranked, best.ranked)}
    chosen = [best] + [d for d in decisions if id(d.ranked) in equal and d.confidence >= best.confidence - 1e-9
                       and d.confidence > 0]
    blocks, used = [], []
    for d in chosen:
        block = render(d, asked, several=len(chosen) > 1)
        if block:
            blocks.append(block)
            used.append(d.source)
    return Composed("\n\n".join(blocks), used, best.confidence)


def render(decision: Decision, asked: Asked, several: bool) -> str:
    """The direct answer lines, what the article does not say, then the quoted sentences in the
    article's order, every line with its [n]."""
    lines: list[str] = []
    quotes: list[Sentence] = []
    missing: list[str] = []
    for _intent, part in decision.parts:
        if not part.answered:
            if part.missing:
                missing.append(part.missing)
            continue
        lines.extend(line for line in part.lines if line not in lines)
        quotes.extend(q for q in part.quotes if q not in quotes)
    if not lines and not quotes:
        return ""
    out = [f"Tại {asked.library.rows[decision.source].facts.label(decision.source)}:"] if several else []
    out.extend(lines)
    if missing:
        out.append("Bài viết không nêu " + ", ".join(dict.fromkeys(missing)) + ".")
    if quotes:
        out.append("Trích bài viết:")
        for s in sorted(quotes[:MAX_QUOTES], key=lambda s: s.index):
            out.append(f"- “{s.text}” {asked.cites.cite(s.source, (s.start, s.end))}")
    return "\n".join(out)
