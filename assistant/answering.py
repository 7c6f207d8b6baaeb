"""Grounded answers: recognise the kind of question, pick the articles it is about, and compose the
answer only from source sentences, every line carrying [n] citations.

Each `Citation` names the file, title, URL, date, the exact quoted sentence (a substring of the
article's clean text, with its offsets) and the passage around it. When nothing retrieved supports
an answer, the answer is the refusal `REFUSAL` with `refused=True`, never an unrelated passage.
Follow-up questions reuse the articles (and the kind of question) of the previous turn.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import asdict, dataclass, field, replace

from .catalog import ArticleRow, StoredChunk
from .cleaning import fold
from .facts import ProgramFacts, role_in
from .lexical import QUERY_STOPWORDS, index_terms, query_terms
from .question import QuestionEntities, detect_intent, is_follow_up
from .retrieval import Filters, Retrieval, Retriever

REFUSAL = "Không tìm thấy thông tin này trong các bài viết đã có."
MAX_ARTICLES = 6  # per answer; a briefing of chosen programs takes them all
# Words that say what kind of question it is, not what it is about (folded).
GENERIC_TERMS = set("""
ai du le ky ket ky_ket chuong trinh chuong_trinh phoi hop phoi_hop noi dung noi_dung gi nao khi ngay hoi nghi
hoi_nghi tham tham_du cac nhung giai doan giai_doan can cu can_cu quyet dinh quyet_dinh bao gom bao_gom thoi
gian thoi_gian dien ra dien_ra to chuc to_chuc chu tri chu_tri o dau tai nguoi buoi vao nam thang tom tat tom_tat
nhanh ve cho biet cho_biet hay sao the nao lieu co khong duoc la cua va voi giua ben co quan co_quan don vi
don_vi dia phuong dia_phuong diem dia_diem thuc hien thuc_hien van ban van_ban theo nhiem vu nhiem_vu
tinh thanh pho thanh_pho huyen quan xa phuong lanh dao lanh_dao dai bieu dai_bieu thanh phan thanh_phan
ho chuc vu chuc_vu danh chuc_danh giu bao lau bao_lau mot lan nhieu bao_nhieu may dieu
""".split())
# Question words whose answer a sentence gives with another word ("Mục đích…?" - "…nhằm…").
ANSWER_CUES = {"muc_dich": ["nham"], "muc": ["nham"], "dich": ["nham"], "muc_tieu": ["nham"],
               "tieu": ["nham"], "ly_do": ["vi", "nham"], "tai_sao": ["vi", "nham"]}


def informative(terms: list[str]) -> list[str]:
    """Terms that say what a question is about: not generic, nor compounds of generic words."""
    return [t for t in terms if t not in GENERIC_TERMS
            and not all(p in GENERIC_TERMS or p in QUERY_STOPWORDS for p in t.split("_"))]


_PLACE_WORDS = {"tinh", "thanh", "pho", "huyen", "quan", "thi", "xa", "phuong", "tp"}
CHAIRED = re.compile(r"chủ trì (?:hội nghị|buổi|lễ|cuộc)|(?:do|dưới sự) .{0,80}chủ trì", re.I)
SIGNED = re.compile(r"(?:thay mặt|đại diện).{0,120}\bký\b|\bký\b.{0,40}(?:thay mặt|đại diện)|tiến hành ký|"
                    r"cùng ký|đặt bút ký", re.I)


@dataclass
class Citation:
    n: int
    source: str
    title: str
    url: str
    date: str
    quote: str
    text: str
    quote_start: int = 0   # offsets of the quote inside `text`
    quote_end: int = 0

    def public(self) -> dict:
        data = asdict(self)
        return {k: data[k] for k in ("n", "source", "title", "url", "date", "quote", "text")}


@dataclass
class Answer:
    question: str
    answer: str
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    seconds: float = 0.0
    intent: str = "other"
    sources: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"question": self.question, "answer": self.answer, "refused": self.refused,
                "citations": [c.public() for c in self.citations], "seconds": round(self.seconds, 3)}


@dataclass
class Conversation:
    """What a chat remembers between turns: the articles and the kind of question last discussed."""

    focus: list[str] = field(default_factory=list)
    intent: str = ""
    turns: int = 0

    def remember(self, answer: Answer) -> None:
        self.turns += 1
        if not answer.refused and answer.sources:
            self.focus = list(answer.sources)
            self.intent = answer.intent


class Citations:
    """Numbers quotes in order of use; one citation per distinct (article, sentence)."""

    def __init__(self, retriever: Retriever):
        self.retriever = retriever
        self.items: list[Citation] = []
        self._index: dict[tuple[str, int, int], int] = {}

    def cite(self, source: str, span: tuple[int, int] | None, prefer: StoredChunk | None = None) -> str:
        if span is None:
            return ""
        key = (source, span[0], span[1])
        if key not in self._index:
            row = self.retriever.articles[source]
            text = self.retriever.article_text(source)
            passage = self._passage(source, span, prefer)
            start, end = (passage.start, passage.end) if passage else span
            quote = text[span[0]:span[1]]
            self.items.append(Citation(
                n=len(self.items) + 1, source=source, title=row.facts.title or source, url=row.url,
                date=_date_text(row.facts), quote=quote, text=text[start:end],
                quote_start=span[0] - start, quote_end=span[1] - start))
            self._index[key] = len(self.items)
        return f"[{self._index[key]}]"

    def _passage(self, source: str, span, prefer: StoredChunk | None) -> StoredChunk | None:
        if prefer and prefer.source == source and prefer.start <= span[0] and span[1] <= prefer.end:
            return prefer
        for chunk in self.retriever.chunks_of(source):
            if chunk.start <= span[0] and span[1] <= chunk.end:
                return chunk
        return None


def _date_text(facts: ProgramFacts) -> str:
    date = facts.event_date or facts.published
    return date.display() if date else ""


def label(row: ArticleRow) -> str:
    """How an article is named in an answer: its place, else its title, else its file name."""
    facts = row.facts
    return facts.place.display() or facts.title or row.source


class Answerer:
    """Extractive answers from the index; optionally an LLM (see `llm.py`) phrases them."""

    def __init__(self, retriever: Retriever):
        self.retriever = retriever

    # ------------------------------------------------------------ entry point

    def answer(self, question: str, conversation: Conversation | None = None,
               filters: Filters | None = None) -> Answer:
        started = time.perf_counter()
        answer = self._answer(" ".join((question or "").split()), conversation, filters)
        answer.seconds = time.perf_counter() - started
        if conversation is not None:
            conversation.remember(answer)
        return answer

    def _answer(self, question: str, conversation: Conversation | None, filters: Filters | None) -> Answer:
        if not re.search(r"\w", question):
            return Answer(question, "Hãy nhập một câu hỏi.", True)
        question = question[:2000]
        intent = detect_intent(question)
        entities = self.retriever.entities.analyse(question)
        follow = self._is_follow_up(question, conversation, entities)
        if intent == "other" and follow and conversation.intent:
            intent = conversation.intent
        focus_hint = set(conversation.focus) if follow and not entities.any else set()
        retrieval = self.retriever.retrieve(question, filters=filters, focus=focus_hint, entities=entities)
        if entities.unknown or not retrieval.hits:
            return self._refuse(question, intent)
        focus = self._focus(question, intent, entities, retrieval, focus_hint, filters)
        if focus is None:
            return self._refuse(question, intent)
        cites = Citations(self.retriever)
        compose = getattr(self, f"_compose_{intent}", self._compose_other)
        text, used = compose(question, focus, retrieval, cites, entities)
        if not text:
            return self._refuse(question, intent)
        return Answer(question, text, False, cites.items, intent=intent, sources=used)

    def _is_follow_up(self, question: str, conversation: Conversation | None, entities: QuestionEntities) -> bool:
        """A question that leans on the previous turn: it names nothing new, is short or says "còn…
        thì sao", and whatever it asks about is in the articles of that turn."""
        if not conversation or not conversation.focus:
            return False
        if entities.any:
            return is_follow_up(question)  # "Còn ở Phú Bình thì sao?" keeps the kind of question
        about = informative(query_terms(question))
        if not (is_follow_up(question) or not about):
            return False
        return not about or any(self._relevant(question, s) for s in conversation.focus)

    def brief(self, sources: list[str]) -> Answer:
        """The briefing note for chosen programs (the UI's briefing panel)."""
        started = time.perf_counter()
        chosen = [s for s in sources if s in self.retriever.articles]
        title = "Tóm tắt: " + "; ".join(label(self.retriever.articles[s]) for s in chosen)
        if not chosen:
            return Answer(title, REFUSAL, True, intent="briefing")
        cites = Citations(self.retriever)
        text, used = self._compose_briefing(title, chosen, None, cites)
        return Answer(title, text, False, cites.items, time.perf_counter() - started, "briefing", used)

    def _refuse(self, question: str, intent: str) -> Answer:
        return Answer(question, REFUSAL, True, intent=intent)

    # ------------------------------------------------------------ which articles

    def _focus(self, question: str, intent: str, entities: QuestionEntities, retrieval: Retrieval,
               hint: set[str], filters: Filters | None) -> list[str] | None:
        """The articles the question is about, best first; None when it names nothing indexed."""
        articles = self.retriever.articles
        if filters and filters.active:
            allowed = {s for s, r in articles.items() if filters.admits(r)}
        else:  # no copy of every source per question
            allowed = articles.keys()
        order = {}
        for rank, hit in enumerate(retrieval.hits):
            order.setdefault(hit.chunk.source, rank)

        def ranked(sources):
            return sorted(sources, key=lambda s: (order.get(s, 10_000), s))

        if entities.any:
            named = entities.sources(allowed)
            if not named:
                return None
            return ranked(named)
        if hint:
            return ranked(hint & allowed) or None
        if intent == "list":
            # "Liệt kê …" about something no article mentions is not a request for every program
            about = informative(query_terms(question))
            if about:
                df, _total = self.retriever.lexical.document_frequencies(about)
                if self._coverage(about, {t for t in about if df.get(t)}) < 0.6:
                    return None
            return ranked(allowed)
        top = retrieval.hits[0].chunk.source
        if not self._relevant(question, top):
            return None
        return [top]

    def _relevant(self, question: str, source: str) -> bool:
        """Does the article speak of what the question is about (beyond its kind)?"""
        terms = informative(query_terms(question))
        if not terms:
            return True
        return self._coverage(terms, self.retriever.article_terms(source)) >= 0.6

    def _coverage(self, terms: list[str], have: set[str]) -> float:
        df, total = self.retriever.lexical.document_frequencies(terms)
        weights = {t: math.log((total + 1) / (df.get(t, 0) + 0.5)) for t in terms}
        whole = sum(weights.values()) or 1.0
        return sum(w for t, w in weights.items() if t in have) / whole

    # ------------------------------------------------------------ composing, one kind at a time

    def _rows(self, focus: list[str]) -> list[ArticleRow]:
        return [self.retriever.articles[s] for s in focus[:MAX_ARTICLES]]

    def _per_article(self, focus, cites, render) -> tuple[str, list[str]]:
        """One line per article that has the fact; `render(row)` returns (text, evidence span) or None."""
        lines, used = [], []
        rows = [r for r in self._rows(focus) if render(r)]
        for row in rows:
            text, span = render(row)
            marker = cites.cite(row.source, span)
            prefix = f"- {label(row)}: " if len(rows) > 1 else ""
            lines.append(f"{prefix}{text} {marker}".rstrip())
            used.append(row.source)
        return "\n".join(lines), used

    def _compose_date(self, question, focus, retrieval, cites, entities=None):
        def render(row):
            f = row.facts
            if not f.event_date:
                return None
            when = f.event_date.display() + ("" if f.event_date.year else " (bài viết không nêu năm)")
            return f"Lễ ký kết diễn ra ngày {when}.", f.evidence.get("event_date")
        return self._per_article(focus, cites, render)

    def _compose_place(self, question, focus, retrieval, cites, entities=None):
        def render(row):
            f = row.facts
            return (f"Chương trình phối hợp được ký kết tại {f.place.display()}.", f.evidence.get("place")) \
                if f.place.display() else None
        return self._per_article(focus, cites, render)

    def _compose_period(self, question, focus, retrieval, cites, entities=None):
        def render(row):
            f = row.facts
            if not f.period:
                return None
            period = f.period.replace("-", " - ")
            text = f"Chương trình phối hợp thực hiện giai đoạn {period}." if "-" in f.period \
                else f"Chương trình phối hợp thực hiện trong năm {period}."
            return text, f.evidence.get("period")
        return self._per_article(focus, cites, render)

    def _compose_parties(self, question, focus, retrieval, cites, entities=None):
        def render(row):
            f = row.facts
            return (f"Các bên ký kết: {', '.join(f.parties)}.", f.evidence.get("parties")) if f.parties else None
        return self._per_article(focus, cites, render)

    def _compose_legal_basis(self, question, focus, retrieval, cites, entities=None):
        def render(row):
            f = row.facts
            return (f"Căn cứ: {', '.join(f.legal_basis)}.", f.evidence.get("legal_basis")) if f.legal_basis else None
        return self._per_article(focus, cites, render)

    def _compose_author(self, question, focus, retrieval, cites, entities=None):
        def render(row):
            f = row.facts
            return (f"Tác giả bài viết: {f.author}.", f.evidence.get("author")) if f.author else None
        return self._per_article(focus, cites, render)

    def _people_lines(self, row: ArticleRow, people, cites) -> list[str]:
        return [f"- {p.name}" + (f", {p.role}" if p.role else "") + f" {cites.cite(row.source, p.evidence)}"
                for p in people]

    def _compose_people(self, focus, cites, select, heading) -> tuple[str, list[str]]:
        blocks, used = [], []
        rows = [(r, select(r)) for r in self._rows(focus)]
        rows = [(r, people) for r, people in rows if people]
        for row, people in rows:
            lines = self._people_lines(row, people, cites)
            title = heading(row) if len(rows) > 1 else heading(None)
            blocks.append("\n".join([title] + lines))
            used.append(row.source)
        return "\n\n".join(blocks), used

    def _compose_attendees(self, question, focus, retrieval, cites, entities=None):
        named = entities.person_names if entities else set()
        role = set(fold(role_in(question)).replace(",", " ").split()) - _PLACE_WORDS

        def people(row):
            # "Ông Lê Văn Bảo giữ chức vụ gì?" asks about that person only; "Ai là Giám đốc Sở Tư pháp?"
            # about whoever holds that role (the place words of the article aside).
            place = set(fold(row.facts.place.display()).replace(",", " ").split())
            wanted = role - place
            return [p for p in row.facts.attendees
                    if (not named or " ".join(fold(p.name).split()) in named)
                    and wanted <= set(fold(p.role).replace(",", " ").split())]
        return self._compose_people(
            focus, cites, people,
            lambda r: f"Tại {label(r)}:" if r else "Những người được bài viết nêu tên (dự, chủ trì, phát biểu):")

    def _named_in(self, row: ArticleRow, pattern: re.Pattern) -> list:
        """Attendees named in a sentence matching `pattern`, each cited to that sentence
        ("Thay mặt hai cơ quan, đồng chí A và đồng chí B ký kết…", "Chủ trì hội nghị có ông C…")."""
        found = []
        for sentence in self.retriever.article_sentences(row.source):
            if not pattern.search(sentence.text):
                continue
            for person in row.facts.attendees:
                if person.name in sentence.text and person not in found:
                    found.append(replace(person, evidence=(sentence.start, sentence.end)))
        return found

    def _compose_chaired(self, question, focus, retrieval, cites, entities=None):
        def chairs(row):
            return self._named_in(row, CHAIRED)
        text, used = self._compose_people(focus, cites, chairs,
                                          lambda r: f"Tại {label(r)}, chủ trì:" if r else "Chủ trì:")
        if text:
            return text, used
        text, used = self._compose_attendees(question, focus, retrieval, cites, entities)
        return ("Bài viết không nói rõ ai chủ trì. " + text) if text else "", used

    def _compose_signed(self, question, focus, retrieval, cites, entities=None):
        def signers(row):
            return self._named_in(row, SIGNED)

        people, used = self._compose_people(focus, cites, signers,
                                            lambda r: f"Tại {label(r)}, người ký:" if r else "Người ký:")
        parties, used2 = self._compose_parties(question, focus, retrieval, cites, entities)
        text = "\n\n".join(t for t in (people, parties) if t)
        return text, list(dict.fromkeys(used + used2))

    def _compose_contents(self, question, focus, retrieval, cites, entities=None):
        blocks, used = [], []
        rows = [r for r in self._rows(focus) if r.facts.contents]
        for row in rows:
            head = f"Nội dung chương trình phối hợp tại {label(row)}:" if len(rows) > 1 or label(row) != row.source \
                else "Nội dung chương trình phối hợp:"
            lines = [f"- {item.text} {cites.cite(row.source, item.evidence)}" for item in row.facts.contents]
            blocks.append("\n".join([head] + lines))
            used.append(row.source)
        if blocks:
            return "\n\n".join(blocks), used
        return self._compose_other(question, focus, retrieval, cites, entities)

    def _compose_list(self, question, focus, retrieval, cites, entities=None):
        lines, used = [], []
        for source in sorted(focus, key=lambda s: (self._sort_date(self.retriever.articles[s]), s)):
            row = self.retriever.articles[source]
            f = row.facts
            parts = [label(row) if f.place.display() else f"{f.title or source} (bài không nêu địa phương)"]
            if f.event_date:
                parts.append(f.event_date.display())
            if f.parties:
                parts.append(", ".join(f.parties))
            if f.period:
                parts.append("giai đoạn " + f.period.replace("-", " - ") if "-" in f.period else "năm " + f.period)
            span = f.evidence.get("event_date") or f.evidence.get("parties") or f.evidence.get("period") \
                or f.evidence.get("title")
            lines.append(f"- {' — '.join(parts)} {cites.cite(source, span)}".rstrip())
            used.append(source)
        if not lines:
            return "", []
        head = f"Có {len(lines)} chương trình phối hợp phù hợp:" if len(lines) > 1 else "Có 1 chương trình phối hợp phù hợp:"
        return "\n".join([head] + lines), used

    @staticmethod
    def _sort_date(row: ArticleRow) -> str:
        d = row.facts.event_date or row.facts.published
        return d.iso() if d and d.year else "9999"

    def _compose_briefing(self, question, focus, retrieval, cites, entities=None):
        blocks, used = [], []
        rows = self._rows(focus) if retrieval is not None else [self.retriever.articles[s] for s in focus]
        for row in rows:
            f, src, ev = row.facts, row.source, row.facts.evidence
            lines = [f"TÓM TẮT: {f.title or label(row)} {cites.cite(src, ev.get('title'))}".rstrip()]
            if f.parties:
                lines.append(f"- Nội dung: ký kết chương trình phối hợp giữa {', '.join(f.parties)} "
                             f"{cites.cite(src, ev.get('parties'))}".rstrip())
            if f.event_date:
                lines.append(f"- Thời gian: {f.event_date.display()} {cites.cite(src, ev.get('event_date'))}".rstrip())
            if f.place.display():
                lines.append(f"- Địa điểm: {f.place.display()} {cites.cite(src, ev.get('place'))}".rstrip())
            if f.period:
                lines.append(f"- Giai đoạn: {f.period.replace('-', ' - ')} {cites.cite(src, ev.get('period'))}".rstrip())
            if f.legal_basis:
                lines.append(f"- Căn cứ: {', '.join(f.legal_basis)} {cites.cite(src, ev.get('legal_basis'))}".rstrip())
            chairs = self._named_in(row, CHAIRED)
            if chairs:
                lines.append("- Chủ trì: " + "; ".join(f"{p.name} ({p.role}) {cites.cite(src, p.evidence)}"
                                                      for p in chairs))
            others = [p for p in f.attendees if p.name not in {c.name for c in chairs}]
            if others:
                lines.append("- Người dự: " + "; ".join(
                    f"{p.name}" + (f" ({p.role})" if p.role else "") + f" {cites.cite(src, p.evidence)}"
                    for p in others))
            if f.contents:
                lines.append("- Nội dung chính:")
                lines.extend(f"  + {i.text} {cites.cite(src, i.evidence)}" for i in f.contents)
            if f.directives:
                lines.append("- Chỉ đạo:")
                lines.extend(f"  + {i.text} {cites.cite(src, i.evidence)}" for i in f.directives[:6])
            blocks.append("\n".join(lines))
            used.append(src)
        return "\n\n".join(blocks), used

    def _compose_other(self, question, focus, retrieval, cites, entities=None):
        """The best matching sentences of the retrieved passages, if they really cover the question."""
        allowed = set(focus)
        # Names the focus was chosen by (its places, agencies) need not be repeated by the sentence.
        named = set()
        if entities is not None and entities.any:
            for source in focus[:MAX_ARTICLES]:
                f = self.retriever.articles[source].facts
                named |= set(index_terms(" ".join([f.place.display(), *f.parties, *(a.name for a in f.attendees)])))
        terms = [t for t in informative(query_terms(question)) if t not in named]
        if not terms:
            return "", []
        cues = [c for t in terms for c in ANSWER_CUES.get(t, [])]
        scored = []
        for rank, hit in enumerate(retrieval.hits):
            if hit.chunk.source not in allowed:
                continue
            text = self.retriever.article_text(hit.chunk.source)
            for a, b in hit.chunk.sentences:
                sentence_terms = set(index_terms(text[a:b]))
                if cues and sentence_terms & set(cues):
                    sentence_terms |= {t for t in terms if t in ANSWER_CUES}
                cov = self._coverage(terms, sentence_terms)
                scored.append((cov - 0.01 * rank, cov, hit, (a, b)))
        if not scored:
            return "", []
        scored.sort(key=lambda x: x[0], reverse=True)
        best = scored[0][1]
        if best < 0.5:
            return "", []
        chosen, seen = [], set()
        for _s, cov, hit, span in scored:
            key = (hit.chunk.source, span)
            if cov < max(0.5, 0.75 * best) or key in seen:
                continue
            seen.add(key)
            chosen.append((hit, span))
            if len(chosen) == 3:
                break
        lines, used = [], []
        for hit, span in chosen:
            sentence = self.retriever.article_text(hit.chunk.source)[span[0]:span[1]]
            lines.append(f"- {sentence} {cites.cite(hit.chunk.source, span, hit.chunk)}")
            used.append(hit.chunk.source)
        return "\n".join(lines), list(dict.fromkeys(used))
