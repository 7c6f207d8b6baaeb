"""Grounded answers: analyse the question once, rank the articles, compose from their sentences.

The flow for one question:

  analyse   -> Question (words, intents, mentions)               analysis.py
  retrieve  -> passages (dense + BM25, fused)                     ../retrieval.py
  rank      -> articles, raised by what the question names        ranking.py
  compose   -> for each intent: fact + best evidence sentences    composers.py, evidence.py
  decide    -> a confidence from ranking and evidence; below the threshold, the refusal

Every line of an answer carries [n] markers to quotes of the articles. Follow-up questions reuse the
articles (and, when they ask nothing new, the intents) of the previous turn.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace

from .. import wording
from ..retrieval import Filters, Retriever
from .analysis import Kind, Question, analyse
from .citations import Citations, date_text, label
from .composers import COMPOSERS, Context, Part, complete
from .evidence import pick, score_sentences
from .intents import Intent
from .library import Library, Sentence
from .model import EMPTY_QUESTION, REFUSAL, Answer, Conversation
from .ranking import Ranked, rank, term_weights

POOL = 24                  # passages retrieved per question
MAX_INTENTS = 3
MAX_QUOTES = 5
MAX_ARTICLES = 3           # for a question about one program that several articles match equally
ACROSS_MAX = 10
TIE = 0.75                 # another program matching every name of the question, this close, is answered too
ACROSS_TOPIC = 0.5         # without names, a program is selected when its title and lede have this share
HEAD_SENTENCES = 3
ACROSS_QUOTES = 3
CONFIDENCE_THRESHOLD = 0.5
MISSING_PENALTY = {Kind.PLACE: 0.25, Kind.PERSON: 0.25, Kind.DOCUMENT: 0.3, Kind.NAME: 0.5, Kind.DATE: 0.4,
                   Kind.PERIOD: 0.4, Kind.AGENCY: 0.45, Kind.YEAR: 0.7}
IDENTIFYING = (Kind.PLACE, Kind.PERSON, Kind.DOCUMENT, Kind.NAME, Kind.AGENCY, Kind.PERIOD, Kind.DATE, Kind.YEAR)


@dataclass
class Decision:
    """What was found for one article: the composed parts and how sure we are."""
    source: str
    ranked: Ranked
    parts: list[tuple[Intent, Part]]
    confidence: float


class Answerer:
    """Extractive answers from the index; optionally an LLM (see `llm.py`) phrases them."""

    def __init__(self, retriever: Retriever, threshold: float = CONFIDENCE_THRESHOLD):
        self.retriever = retriever
        self.threshold = threshold
        self._library: Library | None = None
        self._library_of: object = None

    @property
    def library(self) -> Library:
        # a new retriever snapshot (after an ingest) gets a new library
        if self._library is None or self._library_of is not self.retriever.articles:
            self._library = Library(self.retriever)
            self._library_of = self.retriever.articles
        return self._library

    # ------------------------------------------------------------ entry points

    def answer(self, question: str, conversation: Conversation | None = None,
               filters: Filters | None = None) -> Answer:
        started = time.perf_counter()
        result = self._answer(question or "", conversation, filters)
        result.seconds = time.perf_counter() - started
        if conversation is not None:
            conversation.remember(result)
        return result

    def analyse(self, question: str) -> Question:
        return analyse(question, self.library)

    def brief(self, sources: list[str]) -> Answer:
        """The briefing note for chosen programs (the UI's briefing panel)."""
        started = time.perf_counter()
        library = self.library
        chosen = [s for s in sources if s in library.rows]
        title = "Tóm tắt: " + "; ".join(label(library.rows[s]) for s in chosen)
        if not chosen:
            return Answer(title, REFUSAL, True, intent="briefing")
        cites = Citations(library)
        text = "\n\n".join(self._briefing(analyse(title, library), s, cites) for s in chosen)
        return Answer(title, text, False, cites.items, time.perf_counter() - started, "briefing", chosen,
                      1.0, ("briefing",))

    # ------------------------------------------------------------ one question

    def _answer(self, text: str, conversation: Conversation | None, filters: Filters | None) -> Answer:
        question = self.analyse(text)
        if not question.words:
            return Answer(question.text, EMPTY_QUESTION, True)
        focus: set[str] = set()
        if conversation and conversation.focus and self._leans_on(question):
            focus = set(conversation.focus)
            if question.intents == (Intent.OTHER,) and conversation.intents:
                intents = tuple(Intent(i) for i in conversation.intents if i in Intent._value2member_map_)
                question = replace(question, intents=intents or question.intents)
        refused = Answer(question.text, REFUSAL, True, intent=question.main_intent.value,
                         intents=tuple(i.value for i in question.intents))
        library = self.library
        if any(m.explicit and not library.corpus_mentions(m.phrases) for m in question.mentions):
            refused.reason = "unknown name"   # a place, person or agency no indexed article mentions
            return refused
        allowed = None
        if filters and filters.active:
            allowed = {s for s, row in library.rows.items() if filters.admits(row)}
        if focus and not self._names_own(question):
            allowed = focus if allowed is None else (allowed & focus) or allowed
        retrieval = self.retriever.retrieve(question.text, k=POOL, filters=filters, extra_terms=question.words)
        ranked = rank(question, retrieval.hits, library, focus, allowed)
        if not ranked:
            refused.reason = "nothing retrieved"
            return refused
        dense = {h.chunk.chunk_id: h.similarity for h in retrieval.hits if h.similarity is not None}
        weights = term_weights(library, list(question.content))
        cites = Citations(library)
        if question.wants(Intent.BRIEFING):
            text_out, used, confidence = self._compose_briefing(question, ranked, cites)
        elif question.across:
            text_out, used, confidence = self._compose_across(question, ranked, cites, weights, dense)
        else:
            text_out, used, confidence = self._compose_single(question, ranked, cites, weights, dense)
        if not text_out or confidence < self.threshold:
            refused.confidence = confidence
            refused.reason = self._why(question, ranked[0], text_out, confidence)
            return refused
        return Answer(question.text, text_out, False, cites.items, intent=question.main_intent.value,
                      sources=used, confidence=confidence, intents=tuple(i.value for i in question.intents))

    def _why(self, question: Question, top: Ranked, text: str, confidence: float) -> str:
        missing = ",".join(sorted({m.kind.value for m in top.missing}))
        if not text:
            intents = "+".join(i.value for i in question.intents)
            return f"no part answered [{intents}]" + (f" (missing {missing})" if missing else "")
        return f"confidence {confidence:.2f}" + (f" (missing {missing})" if missing else "")

    @staticmethod
    def _names_own(question: Question) -> bool:
        return any(m.kind in (Kind.PLACE, Kind.PERSON, Kind.DOCUMENT, Kind.NAME) for m in question.mentions)

    def _leans_on(self, question: Question) -> bool:
        """A follow-up: it names no program of its own and is short, says "còn … thì sao" or
        points back ("lễ đó", "chương trình này")."""
        return question.follow_up or not self._names_own(question) and len(question.content) <= 4

    # ------------------------------------------------------------ one program

    def _decide(self, question: Question, ranked: Ranked, cites: Citations, weights, dense) -> Decision:
        view = self.library.view(ranked.source)
        ctx = Context(question, view, cites, weights, dense)
        parts = [(intent, COMPOSERS[intent](ctx)) for intent in question.intents[:MAX_INTENTS]]
        extra = complete(ctx, parts)
        if extra is not None:
            parts.append((Intent.OTHER, extra))
        return Decision(ranked.source, ranked, parts, self._confidence(question, ranked, parts))

    @staticmethod
    def _confidence(question: Question, ranked: Ranked, parts: list[tuple[Intent, Part]]) -> float:
        """How sure the article answers: each name of the question it lacks lowers it (a place,
        person or document much more than an agency or a year), times the support an intent found
        (an answer of the expected shape, or enough shared words), times the topic it shares."""
        named = 1.0
        for m in ranked.missing:
            named *= MISSING_PENALTY.get(m.kind, 0.6)
        support = max((1.0 if p.answered else 0.0) for _i, p in parts) if parts else 0.0
        return named * support * (0.5 + 0.5 * min(1.0, ranked.topic + 0.3))

    def _compose_single(self, question: Question, ranked: list[Ranked], cites: Citations, weights, dense):
        top_score = ranked[0].score
        # a question that names no particular program may be about several equally
        tie = TIE
        contenders = [r for r in ranked[:4] if r.score >= min(0.8, tie) * top_score]
        decisions = []
        for r in contenders:
            scratch = Citations(self.library)
            decisions.append(self._decide(question, r, scratch, weights, dense))
        for d in decisions:
            d.ranked = d.ranked
        best = max(decisions, key=lambda d: (d.confidence, d.ranked.score + 0.3 * _strength(d)))
        chosen = [best] + [d for d in decisions if d is not best and d.confidence >= best.confidence - 1e-9
                           and d.ranked.mentions >= best.ranked.mentions - 1e-9
                           and d.ranked.score >= tie * best.ranked.score and d.confidence > 0][:MAX_ARTICLES - 1]
        blocks, used = [], []
        for d in chosen:
            final = self._decide(question, d.ranked, cites, weights, dense)  # numbered in the real citations
            block = self._render(final, cites, several=len(chosen) > 1)
            if block:
                blocks.append(block)
                used.append(d.source)
        return "\n\n".join(blocks), used, best.confidence

    def _render(self, decision: Decision, cites: Citations, several: bool) -> str:
        lines: list[str] = []
        quotes: list[Sentence] = []
        missing = []
        for intent, part in decision.parts:
            if not part.answered:
                if part.missing:
                    missing.append(part.missing)
                continue
            lines.extend(l for l in part.lines if l not in lines)
            quotes.extend(q for q in part.quotes if q not in quotes)
        if not lines and not quotes:
            return ""
        row = self.library.rows[decision.source]
        out = []
        if several:
            out.append(f"Tại {label(row)}:")
        out.extend(lines)
        if missing:
            out.append("Bài viết không nêu " + ", ".join(dict.fromkeys(missing)) + ".")
        if quotes:
            out.append("Trích bài viết:")
            for s in sorted(quotes[:MAX_QUOTES], key=lambda s: s.index):
                out.append(f"- “{s.text}” {cites.cite(s.source, (s.start, s.end))}")
        return "\n".join(out)

    # ------------------------------------------------------------ several programs

    def _compose_across(self, question: Question, ranked: list[Ranked], cites: Citations, weights, dense):
        """One entry per program the question selects: what it is (its lede) and the sentences that
        answer the question for it."""
        topic = replace(question, terms=tuple(frame_free(question.terms)))
        selected = self._select_across(topic, ranked, weights)
        if not selected:
            return "", [], 0.0
        lines, used = [], []
        # a list of programs names each by its document when nothing more particular is asked
        intents = [i for i in question.intents if i != Intent.OTHER][:2] or [Intent.OTHER, Intent.LEGAL_BASIS]
        for r in selected:
            view = self.library.view(r.source)
            quotes: list[Sentence] = []
            for intent in intents:
                scored = score_sentences(topic, view, intent, weights, dense)
                if intent == Intent.LEGAL_BASIS:
                    scored = [s for s in scored if s.cue >= 0.8 and s.lexical > 0]
                quotes += [s for s in pick(scored, view, limit=2, within=0.8, follow=False) if s not in quotes][:2]
            lede = self._lede(view)
            if lede is not None and lede not in quotes:
                quotes.insert(0, lede)
            row = view.row
            head = f"- {label(row)}"
            when = date_text(row.facts)
            head += f" — {when}" if when else ""
            if row.facts.period:
                head += " — " + (f"giai đoạn {row.facts.period}" if "-" in row.facts.period
                                 else f"năm {row.facts.period}")
            if row.facts.title and row.facts.title != label(row):
                head += f" — {row.facts.title}"
            lines.append(head)
            for s in sorted(quotes[:ACROSS_QUOTES], key=lambda s: s.index):
                lines.append(f"  “{s.text}” {cites.cite(s.source, (s.start, s.end))}")
            used.append(r.source)
        heading = f"Có {len(used)} chương trình phù hợp:"
        return "\n".join([heading] + lines), used, 1.0   # the selection already required the question's names

    def _select_across(self, question: Question, ranked: list[Ranked], weights) -> list[Ranked]:
        """The programs a question about several selects. Places it names are alternatives ("ở A và
        B": the best program of each); its other names are conditions every program meets (agencies
        taking part, documents, periods, years); without names, its words must be what the program's
        title and lede are about."""
        places = question.of_kind(Kind.PLACE, Kind.NAME)
        conditions = [m for m in question.mentions if m.kind not in (Kind.PLACE, Kind.NAME)]

        def meets(r: Ranked) -> bool:
            missing = set(map(id, r.missing))
            if any(id(m) in missing for m in conditions):
                return False
            view = self.library.view(r.source)
            return all(self._takes_part(view, m) for m in conditions if m.kind == Kind.AGENCY and m.explicit is not None
                       and not _ISSUER.search(m.text) and f"của {m.text}" not in question.text)

        if places:
            chosen: list[Ranked] = []
            for place in places:
                having = [r for r in ranked if place not in r.missing and r not in chosen]
                if having:
                    best = max(having, key=lambda r: (meets(r), r.score))
                    chosen.append(best)
            return chosen
        if conditions:
            return [r for r in ranked if meets(r)][:ACROSS_MAX]
        words = [f for f, _a in question.terms]
        w = {t: weights.get(t, 1.0) for t in words}
        total = sum(w.values()) or 1.0
        about = []
        for r in ranked:
            head = self._head_words(self.library.view(r.source))
            if sum(v for t, v in w.items() if t in head) / total >= ACROSS_TOPIC:
                about.append(r)
        return about[:ACROSS_MAX]

    @staticmethod
    def _head(view) -> str:
        """An article's title and lede (its first sentences of some length, datelines aside): what
        the article is about, in matching form."""
        lede = [s.text for s in view.sentences if len(s.text.split()) >= 8][:HEAD_SENTENCES]
        return wording.match_text(" ".join([view.row.facts.title] + lede))

    def _head_words(self, view) -> set[str]:
        return set(self._head(view).split())

    @staticmethod
    def _lede(view) -> Sentence | None:
        """The sentence that says what the program is: the one its parties or date were read from."""
        span = view.row.facts.evidence.get("parties") or view.row.facts.evidence.get("event_date")
        for s in view.sentences:
            if span and s.start <= span[0] < s.end and s.text != view.row.facts.title:
                return s
        return None

    def _takes_part(self, view, mention) -> bool:
        """An agency takes part in a program when the title or lede names it or it is a party."""
        parties = wording.match_text(" ".join(view.row.facts.parties))
        head = self._head(view)
        return any(wording.contains(head, p) or wording.contains(parties, p) for p in mention.phrases)

    # ------------------------------------------------------------ briefing

    def _compose_briefing(self, question: Question, ranked: list[Ranked], cites: Citations):
        """The briefing note of the program asked about (of each, when several match it equally)."""
        top = ranked[0]
        tie = TIE
        chosen = [top] + [r for r in ranked[1:MAX_ARTICLES] if r.mentions >= top.mentions - 1e-9
                          and r.score >= tie * top.score]
        confidence = 1.0
        for m in top.missing:
            confidence *= MISSING_PENALTY.get(m.kind, 0.6)
        text = "\n\n".join(self._briefing(question, r.source, cites) for r in chosen)
        return text, [r.source for r in chosen], confidence

    def _briefing(self, question: Question, source: str, cites: Citations) -> str:
        view = self.library.view(source)
        f, ev = view.row.facts, view.row.facts.evidence

        def cite(key):
            return cites.cite(source, ev.get(key))

        lines = [f"TÓM TẮT: {f.title or label(view.row)} {cite('title')}".rstrip()]
        if f.parties:
            lines.append(f"- Các bên: {', '.join(f.parties)} {cite('parties')}".rstrip())
        if f.event_date:
            lines.append(f"- Thời gian: {f.event_date.display()} {cite('event_date')}".rstrip())
        if f.venue or f.place.display():
            where = ", ".join(x for x in (f.venue, f.place.display()) if x)
            lines.append(f"- Địa điểm: {where} {cite('venue') or cite('place')}".rstrip())
        if f.period:
            lines.append(f"- Giai đoạn: {f.period.replace('-', ' - ')} {cite('period')}".rstrip())
        if f.legal_basis:
            lines.append(f"- Căn cứ: {', '.join(f.legal_basis)} {cite('legal_basis')}".rstrip())
        people = [p for p in f.attendees][:8]
        if people:
            lines.append("- Người dự: " + "; ".join(
                f"{p.name}" + (f" ({p.role})" if p.role else "") + f" {cites.cite(source, p.evidence)}"
                for p in people))
        if f.contents:
            lines.append("- Nội dung chính:")
            lines.extend(f"  + {i.text} {cites.cite(source, i.evidence)}" for i in f.contents)
        # the sentences that best answer what the question is about
        weights = term_weights(self.library, list(question.content))
        scored = score_sentences(question, view, Intent.CONTENTS, weights, {})
        best = sorted((s.sentence for s in scored[:4]), key=lambda s: s.index)
        if best:
            lines.append("- Ý chính trong bài:")
            lines.extend(f"  + {s.text} {cites.cite(source, (s.start, s.end))}" for s in best)
        if f.directives:
            lines.append("- Chỉ đạo:")
            lines.extend(f"  + {i.text} {cites.cite(source, i.evidence)}" for i in f.directives[:6])
        return "\n".join(lines)


def _strength(decision: Decision) -> float:
    return max((p.strength for _i, p in decision.parts), default=0.0)


# Bodies that issue documents ("Quyết định 238 của Ban Bí thư"): named for the document, not as a party.
_ISSUER = re.compile(r"bí thư|bi thu|chính trị|chinh tri|chính phủ|chinh phu|quốc hội|quoc hoi|trung ương đảng", re.I)

# Words that frame a question about several programs, not what it is about (folded word pairs).
FRAME = {("liet", "ke"), ("so", "sanh"), ("bo", "bai"), ("cac", "bai"), ("da", "luu"), ("kem", "theo"),
         ("khac", "nhau"), ("giong", "nhau"), ("the", "nao"), ("trong", "bai"), ("kem", "thoi"), ("thoi", "gian")}


def frame_free(terms: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    folded = [f for f, _a in terms]
    drop: set[int] = set()
    for i in range(len(folded) - 1):
        if (folded[i], folded[i + 1]) in FRAME:
            drop |= {i, i + 1}
    return [t for i, t in enumerate(terms) if i not in drop and t[0] not in ("kem", "bai", "luu")]
