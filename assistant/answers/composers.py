"""One composer per kind of answer, chosen through an explicit registry keyed by `Intent`.

A composer reads one article for one intent and returns a `Part`: direct answer lines (the extracted
fact, when the article has it and its sentence is among the best evidence), the sentences to quote,
and whether an answer of the expected shape was found. The answerer joins the parts of every intent
a question asks. The best evidence is always offered: an empty fact is never a refusal when a
sentence answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.answers import cues
from assistant.answers.analysis import Kind, Question
from assistant.answers.citations import Citations
from assistant.answers.evidence import Scored, lexical_overlap, local_weights, pick, score_sentences
from assistant.answers.intents import Intent
from assistant.answers.library import ArticleView, Sentence
from assistant.facts.model import Attendee, ProgramFacts, Span
from assistant.facts.people import people_in_sentence, role_in
from assistant.text import wording
from assistant.text.folding import fold, lower_tones

WEAK_MIN_LEXICAL = 0.25     # a weak-shaped answer must share this much with the question
FOCUS_MIN = 0.2             # … and this much of what the question asks about beyond its names
TOP_FOR_FACT = 3            # a fact is stated when its sentence is among this many best sentences
MAX_PEOPLE = 12
_UNIT_WORDS = {"tinh", "thanh", "pho", "huyen", "quan", "thi", "xa", "phuong", "tp"}


@dataclass
class Part:
    lines: list[str] = field(default_factory=list)
    quotes: list[Sentence] = field(default_factory=list)
    answered: bool = False
    strength: float = 0.0     # how well the best sentence matches (for choosing between articles)
    missing: str = ""         # what the article does not say, when not answered


@dataclass
class Context:
    question: Question
    view: ArticleView
    cites: Citations
    weights: dict[str, float]
    dense: dict[str, float]
    _scores: dict[Intent, list[Scored]] = field(default_factory=dict)

    def scores(self, intent: Intent) -> list[Scored]:
        if intent not in self._scores:
            self._scores[intent] = score_sentences(self.question, self.view, intent, self.weights, self.dense)
        return self._scores[intent]

    def cite(self, span: Span | None) -> str:
        return self.cites.cite(self.view.source, span)

    @property
    def facts(self) -> ProgramFacts:
        return self.view.row.facts

    def fact_is_supported(self, intent: Intent, span: Span | None, quotes: list[Sentence] | None = None) -> bool:
        """Is the sentence a fact came from the evidence chosen for this intent (or, when no sentence
        has the answer's shape, among the best sentences)?"""
        if span is None:
            return False
        near = quotes if quotes else [s.sentence for s in self.scores(intent)[:TOP_FOR_FACT]]
        return any(s.start <= span[0] < s.end or span[0] <= s.start < span[1] for s in near)

    def focus_terms(self) -> list[tuple[str, str]]:
        """What the question asks about: its words other than the names it gives."""
        named = {w for m in self.question.mentions for p in m.phrases for w in p.split()}
        return [t for t in self.question.terms if t[0] not in named]

    def focus_coverage(self, scored: Scored) -> float:
        """How much of what the question asks about the sentence contains, idf-weighted (1.0 when
        the question names nothing else)."""
        focus = self.focus_terms()
        if not focus:
            return 1.0
        return lexical_overlap(scored.sentence, focus, self.weights, self.question.accented)


def _definite(ctx: Context, intent: Intent, **kw: bool) -> list[Scored]:
    """Sentences with the strict shape of this intent's answer, best first."""
    legal = bool(ctx.question.of_kind(Kind.DOCUMENT))
    return [s for s in ctx.scores(intent) if cues.has_answer(intent, s.sentence.text, legal_dates=legal, **kw)]


def _part_from(ctx: Context, candidates: list[Scored], missing: str, limit: int = 2,
               within: float = 0.85) -> Part:
    if not candidates:
        return Part(missing=missing)
    return Part(quotes=pick(candidates, ctx.view, limit=limit, within=within), answered=True,
                strength=candidates[0].score)


# ------------------------------------------------------------------ one composer per intent


_YEAR_ASKED = re.compile(r"năm nào|nam nao|năm bao nhiêu|nam bao nhieu")


def compose_date(ctx: Context) -> Part:
    candidates = _definite(ctx, Intent.DATE)
    if _YEAR_ASKED.search(ctx.question.text.lower()):   # "năm nào": a year is an answer
        years = [s for s in ctx.scores(Intent.DATE) if cues.YEAR.search(s.sentence.text) and s not in candidates]
        candidates = sorted(candidates + years, key=lambda s: -(s.score + (0.3 if s in years else 0.0)))
    part = _part_from(ctx, candidates, "thời gian")
    date, span = ctx.facts.event_date, ctx.facts.evidence.get("event_date")
    if date and ctx.fact_is_supported(Intent.DATE, span, part.quotes):
        when = date.display() + ("" if date.year else " (bài viết không nêu năm)")
        part.lines.append(f"Thời gian: {when} {ctx.cite(span)}")
        part.answered = True
    return part


def compose_place(ctx: Context) -> Part:
    named = ctx.question.of_kind(Kind.PLACE, Kind.NAME)
    candidates = [s for s in ctx.scores(Intent.PLACE) if cues.VENUE.search(s.sentence.text)]
    part = _part_from(ctx, candidates, "địa điểm")
    facts = ctx.facts
    venue, venue_span = facts.venue, facts.evidence.get("venue")
    if venue and venue_span:
        part.lines.append(f"Địa điểm: {venue} {ctx.cite(venue_span)}")
        part.answered = True
    place, place_span = facts.place.display(), facts.evidence.get("place")
    if place and place_span and not named:
        # the program's locality answers "ở đâu" only when the question does not already name a place
        part.lines.append(f"Địa phương: {place} {ctx.cite(place_span)}")
        part.answered = True
    return part


def compose_period(ctx: Context) -> Part:
    part = _part_from(ctx, _definite(ctx, Intent.PERIOD), "giai đoạn thực hiện")
    period, span = ctx.facts.period, ctx.facts.evidence.get("period")
    if period and ctx.fact_is_supported(Intent.PERIOD, span, part.quotes):
        part.lines.append(f"Thời gian thực hiện: {ctx.facts.period_text()} {ctx.cite(span)}")
        part.answered = True
    return part


_KIND_ASKED = re.compile(r"(quyết định|chỉ thị|nghị quyết|kết luận|quy định|hướng dẫn|kế hoạch|thông tri|luật)"
                         r" (?:nào|gì|số mấy|số bao nhiêu)")
_BASIS_ASKED = re.compile(r"căn cứ|theo|dựa|thực hiện|triển khai|cụ thể hóa|cụ thể hoá|can cu|dua|thuc hien|trien khai")


def compose_legal_basis(ctx: Context) -> Part:
    candidates = _definite(ctx, Intent.LEGAL_BASIS)
    question = ctx.question.text.lower()
    kind = _KIND_ASKED.search(question)
    if kind:
        # "căn cứ vào quyết định nào" wants a decision, not any document; "công bố quyết định gì" may be
        # answered by a decision named without a number
        of_kind = [s for s in candidates if re.search(rf"(?i:{kind.group(1)})\s+(?:số\s*)?\d", s.sentence.text)]
        if of_kind or _BASIS_ASKED.search(question):
            candidates = of_kind
        else:
            candidates = [s for s in ctx.scores(Intent.LEGAL_BASIS)
                          if re.search(rf"(?i:{kind.group(1)})", s.sentence.text)] or candidates
    part = _part_from(ctx, candidates, "văn bản căn cứ", limit=2, within=0.6)
    basis, span = ctx.facts.legal_basis, ctx.facts.evidence.get("legal_basis")
    if basis and ctx.fact_is_supported(Intent.LEGAL_BASIS, span, part.quotes):
        part.lines.append(f"Căn cứ: {', '.join(basis)} {ctx.cite(span)}")
        part.answered = True
    return part


def compose_parties(ctx: Context) -> Part:
    candidates = [s for s in ctx.scores(Intent.PARTIES) if s.cue >= 0.45]
    part = _part_from(ctx, candidates, "các bên tham gia", limit=2, within=0.75)
    parties, span = ctx.facts.parties, ctx.facts.evidence.get("parties")
    if parties and ctx.fact_is_supported(Intent.PARTIES, span, part.quotes):
        part.lines.append(f"Các bên: {', '.join(parties)} {ctx.cite(span)}")
        part.answered = True
    return part


def _people_lines(ctx: Context, sentences: list[Sentence], wanted: Callable[[Attendee], bool] | None = None,
                  heading: str = "") -> list[str]:
    lines, seen = [], set()
    known = {fold(p.name): p for p in ctx.facts.attendees}
    for s in sentences:
        for person in people_in_sentence(s.text):
            key = fold(person.name)
            if key in seen or (wanted and not wanted(person)):
                continue
            seen.add(key)
            # the sentence may name them without a role ("đồng chí A và đồng chí B ký kết"): the article
            # gives it elsewhere
            role = person.role or (known[key].role if key in known else "")
            lines.append(f"- {person.name}{', ' + role if role else ''} {ctx.cite((s.start, s.end))}")
    if lines and heading:
        lines.insert(0, heading)
    return lines


def _named_person(ctx: Context) -> Callable[[Attendee], bool] | None:
    """The people the question asks about: those it names ("Ông Lê Văn Bảo giữ chức vụ gì?"), or
    whoever holds the office it names ("Ai là Giám đốc Sở Tư pháp?"); None for everyone."""
    names = {p for m in ctx.question.of_kind(Kind.PERSON) for p in m.phrases}
    if names:
        return lambda person: " ".join(fold(person.name).split()) in names
    office = role_in(ctx.question.text)
    if not office:
        return None
    places = {w for m in ctx.question.of_kind(Kind.PLACE, Kind.NAME) for p in m.phrases for w in p.split()}
    wanted = set(wording.words(office)) - places - _UNIT_WORDS
    return lambda person: wanted <= set(wording.words(person.role))


def _list_run(ctx: Context, sentence: Sentence) -> list[Sentence]:
    """A list written one person per line ("Đại tá A – role;" / "B – role;"): the lines around it."""
    sentences = ctx.view.sentences
    i = sentence.index
    lo = hi = i
    while lo > 0 and cues.persons_in(sentences[lo - 1].text) and len(sentences[lo - 1].text) < 200:
        lo -= 1
    while hi + 1 < len(sentences) and cues.persons_in(sentences[hi + 1].text) and len(sentences[hi + 1].text) < 200:
        hi += 1
    if hi - lo < 2:
        return []
    return [s for s in sentences[lo:hi + 1][:MAX_PEOPLE] if s is not sentence]


def compose_attendees(ctx: Context) -> Part:
    candidates = _definite(ctx, Intent.ATTENDEES)
    # everyone present: every sentence that says who attended, not only the best one
    part = _part_from(ctx, candidates, "người tham dự", limit=3, within=0.6)
    if part.answered and len(part.quotes[0].text) < 200:
        part.quotes += [s for s in _list_run(ctx, part.quotes[0]) if s not in part.quotes]
    if part.answered:
        wanted = _named_person(ctx)
        part.lines = _people_lines(ctx, part.quotes, wanted, "Những người được nêu tên:")
        if wanted is None and not _specific(ctx, candidates[0]):
            # "Ai dự…?": everyone the article names with a role, not only those of the best sentences
            listed = {fold(line.split(",")[0][2:].rsplit(" [", 1)[0]) for line in part.lines[1:]}
            for person in ctx.facts.attendees[:MAX_PEOPLE]:
                if fold(person.name) not in listed and person.evidence:
                    role = f", {person.role}" if person.role else ""
                    part.lines.append(f"- {person.name}{role} {ctx.cite(person.evidence)}")
            if part.lines and not part.lines[0].endswith(":"):
                part.lines.insert(0, "Những người được nêu tên:")
    return part


_ATTENDING = {"du", "tham", "le", "ky", "ket", "hoi", "nghi", "buoi", "lanh", "dao", "dai", "bieu", "nhung", "co",
              "chuong", "trinh", "phoi", "hop", "quy", "che", "to", "chuc", "cac", "gom", "thanh", "phan"}


def _specific(ctx: Context, best: Scored) -> bool:
    """Does the question ask about particular people ("ai phát biểu khai mạc", "lãnh đạo Thị ủy nào")
    rather than everyone present?"""
    named = {w for m in ctx.question.mentions for p in m.phrases for w in p.split()}
    focus = [w for w in ctx.question.content if w not in named and w not in _ATTENDING]
    return bool(focus)


def compose_chaired(ctx: Context) -> Part:
    candidates = _definite(ctx, Intent.CHAIRED)
    part = _part_from(ctx, candidates, "người chủ trì")
    if part.answered:
        part.lines = _people_lines(ctx, part.quotes[:1], None, "Chủ trì:")
    return part


_PERSON_WANTED = re.compile(r"người ký|nguoi ky|ai là người|ai la nguoi|thay mặt|thay mat|đại diện|dai dien|"
                            r"ai đã ký|ai da ky|ký tên|ky ten")


def compose_signed(ctx: Context) -> Part:
    strict = bool(_PERSON_WANTED.search(ctx.question.text.lower()))
    people = _definite(ctx, Intent.SIGNED, person=True)
    if people:
        part = _part_from(ctx, people, "người ký")
        part.lines = _people_lines(ctx, part.quotes[:1], None, "Người ký:")
        if part.lines:
            return part
    if strict:
        return Part(missing="người ký")
    signing = [s for s in ctx.scores(Intent.SIGNED) if cues.SIGN.search(s.sentence.text)]
    return _part_from(ctx, signing, "bên ký kết")


def compose_author(ctx: Context) -> Part:
    author, span = ctx.facts.author, ctx.facts.evidence.get("author")
    if not author:
        return Part(missing="tác giả")
    return Part(lines=[f"Tác giả: {author} {ctx.cite(span)}".rstrip()], answered=True, strength=1.0)


def compose_amount(ctx: Context) -> Part:
    return _part_from(ctx, _definite(ctx, Intent.AMOUNT), "kinh phí")


def compose_count(ctx: Context) -> Part:
    counted = [re.escape(w) for w in ctx.question.counted]
    if counted:
        # "mấy chương": a number right before the thing counted ("03 chương, 15 điều")
        shape = re.compile(rf"(?<![\w/])\d+(?:[.,]\d+)?\s+(?:{'|'.join(counted)})(?!\w)", re.I)
        exact = [s for s in ctx.scores(Intent.COUNT) if shape.search(lower_tones(s.sentence.text))]
        if exact:
            return _part_from(ctx, exact, "số liệu này")
    candidates = [s for s in _definite(ctx, Intent.COUNT) if s.lexical >= WEAK_MIN_LEXICAL]
    return _part_from(ctx, candidates, "số liệu này")


def _weak(intent: Intent, missing: str) -> Callable[[Context], Part]:
    """Kinds whose answer has no definite shape: the best sentences, if they cover what is asked."""
    def compose(ctx: Context) -> Part:
        scored = ctx.scores(intent)
        if not scored:
            return Part(missing=missing)
        best = scored[0]
        if intent == Intent.OTHER and not ctx.focus_terms():
            return Part(missing=missing)   # "Còn ở Phú Bình thì sao?" alone asks nothing to look for
        vague = intent == Intent.OTHER or ctx.question.vague
        if vague and ctx.focus_coverage(best) < FOCUS_MIN or best.lexical < WEAK_MIN_LEXICAL and best.cue < 0.5:
            return Part(missing=missing, strength=best.score)
        part = Part(quotes=pick(scored, ctx.view, limit=3, within=0.8), answered=True, strength=best.score)
        if intent == Intent.CONTENTS and any(ctx.fact_is_supported(intent, i.evidence, part.quotes)
                                             for i in ctx.facts.contents):
            part.lines = [f"- {i.text} {ctx.cite(i.evidence)}" for i in ctx.facts.contents]
        return part
    compose.__name__ = f"compose_{intent.value}"
    return compose


COMPOSERS: dict[Intent, Callable[[Context], Part]] = {
    Intent.DATE: compose_date,
    Intent.PLACE: compose_place,
    Intent.PERIOD: compose_period,
    Intent.LEGAL_BASIS: compose_legal_basis,
    Intent.PARTIES: compose_parties,
    Intent.ATTENDEES: compose_attendees,
    Intent.CHAIRED: compose_chaired,
    Intent.SIGNED: compose_signed,
    Intent.AUTHOR: compose_author,
    Intent.AMOUNT: compose_amount,
    Intent.COUNT: compose_count,
    Intent.CONTENTS: _weak(Intent.CONTENTS, "nội dung này"),
    Intent.PURPOSE: _weak(Intent.PURPOSE, "mục đích"),
    Intent.RESULTS: _weak(Intent.RESULTS, "kết quả"),
    Intent.SPEECH: _weak(Intent.SPEECH, "nội dung phát biểu"),
    Intent.OTHER: _weak(Intent.OTHER, "thông tin này"),
}


UNCOVERED_SHARE = 0.4    # when this much of what the question asks is in no chosen sentence …
COMPLETES = 0.5          # … a sentence with this much of the rest is quoted too


def complete(ctx: Context, parts: list[tuple[Intent, Part]]) -> Part | None:
    """The sentence for what the chosen ones leave out ("nguyên tắc gì và yêu cầu gì về bí mật nhà
    nước?": the second half is in another sentence), when the question's own words point to it."""
    quotes = [q for _i, p in parts if p.answered for q in p.quotes]
    if not quotes:
        return None
    named = {w for m in ctx.question.mentions for p in m.phrases for w in p.split()}
    focus = [t for t in ctx.question.terms if t[0] not in named]
    k = 1 if ctx.question.accented else 0
    covered = set().union(*((q.accented if k else q.wordset) for q in quotes))
    weights = local_weights(ctx.question, ctx.view, {t[0]: ctx.weights.get(t[0], 1.0) for t in focus})
    total = sum(weights.get(t[0], 0.0) for t in focus)
    uncovered = [t for t in focus if t[k] not in covered]
    if not total or sum(weights.get(t[0], 0.0) for t in uncovered) / total < UNCOVERED_SHARE:
        return None
    best, best_score = None, 0.0
    for s in ctx.view.sentences:
        if s in quotes:
            continue
        score = lexical_overlap(s, uncovered, weights, ctx.question.accented)
        if score > best_score:
            best, best_score = s, score
    if best is None or best_score < COMPLETES:
        return None
    return Part(quotes=[best], answered=True, strength=best_score)
