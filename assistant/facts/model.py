"""The facts of one program, as plain data: values with the sentence each was read from, and the
forms they are shown in (`display`, `when`, `period_text`)."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

from assistant.text.folding import fold


@dataclass(frozen=True)
class DateValue:
    """A calendar date whose year may be unknown (a day/month with no year and no reference)."""

    day: int
    month: int
    year: int | None = None

    def iso(self) -> str:
        return (f"{self.year:04d}-{self.month:02d}-{self.day:02d}" if self.year
                else f"--{self.month:02d}-{self.day:02d}")

    def display(self) -> str:
        return f"{self.day:02d}/{self.month:02d}/{self.year}" if self.year else f"{self.day:02d}/{self.month:02d}"

    @classmethod
    def from_iso(cls, text: str) -> DateValue | None:
        m = re.fullmatch(r"(\d{4}|-)-(\d{2})-(\d{2})", text or "")
        if not m:
            return None
        return cls(int(m.group(3)), int(m.group(2)), None if m.group(1) == "-" else int(m.group(1)))


Span = tuple[int, int]  # (start, end) character offsets of a sentence in the article's clean text


@dataclass(frozen=True)
class Attendee:
    name: str
    role: str = ""
    evidence: Span | None = field(default=None, compare=False)  # the sentence naming them with that role


@dataclass(frozen=True)
class Item:
    """One content item or directive, with the sentence it was taken from."""

    text: str
    evidence: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Place:
    province: str = ""   # "Quảng Bình", "Cần Thơ"
    locality: str = ""   # district or commune with its unit word: "huyện Phú Bình"

    @property
    def locality_name(self) -> str:
        """The locality without its unit word: "huyện Phú Bình" -> "Phú Bình"."""
        return re.sub(r"^(?:thành phố|thị xã|thị trấn|huyện|quận|xã|phường)\s+", "", self.locality)

    def display(self) -> str:
        if self.locality and self.province:
            return f"{self.locality}, {self.province}"
        return self.locality or self.province


@dataclass(frozen=True)
class ProgramFacts:
    title: str = ""
    event_date: DateValue | None = None
    published: DateValue | None = None
    place: Place = field(default_factory=Place)
    parties: tuple[str, ...] = ()
    period: str = ""
    legal_basis: tuple[str, ...] = ()
    attendees: tuple[Attendee, ...] = ()
    author: str = ""
    venue: str = ""                                                   # "Hội trường Công an tỉnh"
    places: tuple[str, ...] = field(default=(), compare=False)         # every place the text names
    contents: tuple[Item, ...] = field(default=(), compare=False)    # what the program covers
    directives: tuple[Item, ...] = field(default=(), compare=False)  # what the leaders asked for
    # field name -> the sentence each fact came from ("event_date", "place", "period", …)
    evidence: dict = field(default_factory=dict, compare=False)

    def context(self) -> str:
        """What goes with every passage of the article into the indexes: its title, and its place when
        the title does not say it (a province known only from the site's name is then searchable)."""
        place = self.place.display()
        if place and not all(w in fold(self.title) for w in fold(place).replace(",", " ").split()):
            return f"{self.title} — {place}" if self.title else place
        return self.title

    def party_kinds(self) -> tuple[str, ...]:
        """The canonical kinds of the parties ("Ban Tuyên giáo", "Công an"), for filters and lists."""
        from assistant.facts.parties import party_kinds  # the patterns live with the extractor

        return party_kinds(self.parties)

    @property
    def when(self) -> DateValue | None:
        """The date of the program: the event's, else the publication's."""
        return self.event_date or self.published

    def date_text(self) -> str:
        return self.when.display() if self.when else ""

    def period_text(self) -> str:
        """"giai đoạn 2021 - 2025", "năm 2024", or ""."""
        if not self.period:
            return ""
        return f"giai đoạn {self.period.replace('-', ' - ')}" if "-" in self.period else f"năm {self.period}"

    def label(self, fallback: str = "") -> str:
        """How the program is named in answers and lists: its place, else its title, else the fallback."""
        return self.place.display() or self.title or fallback

    def period_years(self) -> set[int]:
        """Every year the program's period covers ("2021-2025" -> 2021…2025; "2024" -> 2024)."""
        if not self.period:
            return set()
        a, _, b = self.period.partition("-")
        return set(range(int(a), int(b or a) + 1))

    def years(self) -> set[int]:
        """The years a program touches: the signing year and every year of its period."""
        signed = {self.event_date.year} if self.event_date and self.event_date.year else set()
        return signed | self.period_years()

    @cached_property   # read for every article on each filtered question: worked out once per facts
    def filter_values(self) -> dict[str, list]:
        """What the corpus filters select on: the article's places (folded: province, locality with and
        without its unit word), the kinds of its parties and its years. Stored on each passage vector
        (Chroma `where` filters) and read by the in-memory filters, so both select the same articles.
        Empty fields are left out (Chroma takes no empty lists)."""
        places = sorted({fold(p) for p in (self.place.province, self.place.locality, self.place.locality_name) if p})
        values: dict[str, list] = {"places": places, "parties": sorted(set(self.party_kinds())),
                                   "years": sorted(self.years())}
        return {key: value for key, value in values.items() if value}

    def to_dict(self) -> dict:
        data = asdict(self)
        data["event_date"] = self.event_date.iso() if self.event_date else ""
        data["published"] = self.published.iso() if self.published else ""
        data["parties"] = list(self.parties)
        data["legal_basis"] = list(self.legal_basis)
        data["places"] = list(self.places)
        data["attendees"] = [asdict(a) for a in self.attendees]
        data["contents"] = [asdict(i) for i in self.contents]
        data["directives"] = [asdict(i) for i in self.directives]
        data["evidence"] = {k: list(v) for k, v in self.evidence.items()}
        return data

    @classmethod
    def from_dict(cls, data: dict) -> ProgramFacts:
        return cls(
            title=data.get("title", ""),
            event_date=DateValue.from_iso(data.get("event_date", "")),
            published=DateValue.from_iso(data.get("published", "")),
            place=Place(**data.get("place", {})),
            parties=tuple(data.get("parties", ())),
            period=data.get("period", ""),
            legal_basis=tuple(data.get("legal_basis", ())),
            attendees=tuple(Attendee(a["name"], a.get("role", ""), _span(a.get("evidence")))
                            for a in data.get("attendees", ())),
            author=data.get("author", ""),
            venue=data.get("venue", ""),
            places=tuple(data.get("places", ())),
            contents=tuple(Item(i["text"], _span(i.get("evidence"))) for i in data.get("contents", ())),
            directives=tuple(Item(i["text"], _span(i.get("evidence"))) for i in data.get("directives", ())),
            evidence={k: tuple(v) for k, v in data.get("evidence", {}).items()},
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)


def _span(value: Any) -> Span | None:  # a decoded JSON [start, end] list, or nothing
    return tuple(value) if value else None
