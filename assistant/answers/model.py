"""The answer layer's data: citations, answers and what a conversation remembers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

REFUSAL = "Không tìm thấy thông tin này trong các bài viết đã có."
EMPTY_QUESTION = "Hãy nhập một câu hỏi."


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
    page: int | None = None   # the page of a paged file (PDF) the quote is on

    def public(self) -> dict:
        data = asdict(self)
        out = {k: data[k] for k in ("n", "source", "title", "url", "date", "quote", "text")}
        if self.page is not None:
            out["page"] = self.page
        return out


@dataclass
class Answer:
    question: str
    answer: str
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    seconds: float = 0.0
    intent: str = "other"
    sources: list[str] = field(default_factory=list)
    confidence: float = 0.0
    intents: tuple[str, ...] = ()
    reason: str = ""          # why it was refused (for evaluation and logs, not shown)
    passages: list[tuple[str, str]] = field(default_factory=list)   # (source, text) retrieved, best first:
                                                                    # what an LLM may phrase from

    def to_json(self) -> dict:
        return {"question": self.question, "answer": self.answer, "refused": self.refused,
                "citations": [c.public() for c in self.citations], "seconds": round(self.seconds, 3)}


@dataclass
class Conversation:
    """What a chat remembers between turns: the articles and the kinds of question last discussed."""

    focus: list[str] = field(default_factory=list)
    intents: tuple[str, ...] = ()

    @property
    def intent(self) -> str:
        return self.intents[0] if self.intents else ""

    def remember(self, answer: Answer) -> None:
        if not answer.refused and answer.sources:
            self.focus = list(answer.sources)
            self.intents = answer.intents or (answer.intent,)
