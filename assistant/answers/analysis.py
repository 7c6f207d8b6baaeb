"""One analysis of a question, done once and handed down: its words, what it asks, what it names.

`analyse(text, names)` returns a `Question`: the matching-form words (see `wording`), the words that
say what it is about, every intent it asks (`intents`), whether it spans several articles, and its
mentions: places, agencies, people, documents, dates, years and periods, each with the phrase to
look for in article text. `names` is the vocabulary of the indexed corpus (place and person names),
used to recognise names in a question typed without capitals or diacritics. Nothing below the
analysis looks at the raw question again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answers.intents import Intent, asks_across, find_intents
from assistant.answers.mentions import Kind, Mention, Names, StaticNames, find_mentions
from assistant.index.lexical import query_terms
from assistant.text import wording
from assistant.text.folding import fold, lower_tones

__all__ = ["Question", "Kind", "Mention", "Names", "StaticNames", "analyse", "typed_with_marks"]


@dataclass(frozen=True)
class Question:
    text: str
    accented: bool
    words: tuple[str, ...]
    content: tuple[str, ...]
    terms: tuple[tuple[str, str], ...]   # content words as (folded, accented) pairs
    lexical: tuple[str, ...]             # terms for the lexical index (segmented, with the words spelt out)
    intents: tuple[Intent, ...]
    across: bool
    mentions: tuple[Mention, ...] = ()
    counted: tuple[str, ...] = ()         # what "bao nhiêu …", "mấy …" counts ("mô hình", "chương")
    follow_up: bool = False
    vague: bool = False           # only a bare "… gì?" says what it asks
    def wants(self, *intents: Intent) -> bool:
        return any(i in self.intents for i in intents)

    def of_kind(self, *kinds: Kind) -> list[Mention]:
        return [m for m in self.mentions if m.kind in kinds]

    @property
    def main_intent(self) -> Intent:
        return self.intents[0] if self.intents else Intent.OTHER


# "bao nhiêu mô hình", "mấy chương": the thing counted (its first word, lower case, with its marks)
_COUNTED = re.compile(r"(?:bao nhiêu|bao nhieu|mấy|may)\s+(?!năm|nam\b|lần|lan\b)(\w+)")

_FOLLOW_UP = re.compile(r"^(?:con|va|the|vay|con o|con tai)\b|thi sao\b|\b(?:do|nay|ay|ho|tren)\s*$|"
                        r"\b(?:le|chuong trinh|quy che|hoi nghi|buoi|bai|van ban|nguoi) (?:do|nay|ay|tren)\b")


def typed_with_marks(text: str) -> bool:
    """Was the question typed with diacritics? A question typed without them may still carry one
    ("ở bac giang ai ky…"): matching it with marks would miss every other word, so it takes a fair
    share of marked words (Vietnamese marks about every other one)."""
    words = re.findall(r"[^\W\d_]+", text)
    if not words:
        return False
    marked = sum(1 for w in words if fold(w) != w.lower())
    return marked >= max(1, 0.25 * len(words))


def analyse(text: str, names: Names | None = None) -> Question:
    """The one analysis of a question (see the module docstring)."""
    names = names or StaticNames()
    text = " ".join((text or "").split())[:2000]
    accented = typed_with_marks(text)
    pairs = wording.tokens(text, question=True)
    words = [f for f, _a in pairs]
    folded = " ".join(words)
    found = find_intents(text, accented)
    intents = tuple(m.intent for m in found)
    vague = bool(found) and all(m.end - m.start <= 3 for m in found)
    mentions = find_mentions(text, accented, folded, names)
    counted = tuple(dict.fromkeys(m.group(1) for m in _COUNTED.finditer(lower_tones(text))))
    plain = " ".join(re.sub(r"[^\w\s]", " ", fold(text)).split())
    follow = bool(_FOLLOW_UP.search(plain)) or len(plain.split()) <= 4
    content = wording.content_words(words)
    terms = tuple(dict.fromkeys((f, a) for f, a in pairs if f in set(content)))
    lexical = tuple(dict.fromkeys([*query_terms(text), *words]))
    return Question(text=text, accented=accented, words=tuple(words), content=tuple(content), terms=terms,
                    lexical=lexical,
                    intents=intents or (Intent.OTHER,),
                    across=asks_across(text, accented), mentions=tuple(mentions), counted=counted,
                    follow_up=follow, vague=vague)
