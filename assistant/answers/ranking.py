"""Which articles a question is about: retrieval, raised by what the question names, never filtered.

Candidates are the articles of the retrieved passages, plus the articles that contain a rare name the
question gives (a place, a person, a document number), plus the conversation's articles. Each gets:

  retrieval  its passages' reciprocal-rank-fusion score, relative to the best article
  mentions   the weighted share of the question's mentions its text contains (title, URL and body,
             abbreviations spelt out), so an extraction miss never hides it
  topic      the idf-weighted share of the question's content words its text contains

and one combined score. Nothing is removed for a missing mention: it only ranks lower, and the
answer layer decides from the scores whether anything supports an answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.answers.analysis import Kind, Mention, Question
from assistant.answers.corpus import RRF_K
from assistant.answers.library import ArticleView, Library
from assistant.text import wording

RARE = (Kind.PLACE, Kind.PERSON, Kind.DOCUMENT, Kind.NAME, Kind.DATE, Kind.PERIOD)
WITH_MENTIONS = (0.35, 0.45, 0.20)     # retrieval, mentions, topic
WITHOUT_MENTIONS = (0.70, 0.0, 0.30)
FOCUS_BONUS = 0.15
JOINT_LIMIT = 40
RARE_LIMIT = 60          # articles having a rare name are candidates, unless that many have it
SHORTLIST = 10           # candidates read and scored exactly
QUALIFIED_BONUS = 0.05   # "Thành ủy Mỹ Tho" written as the question writes it, not only "Mỹ Tho"


@dataclass
class Ranked:
    source: str
    score: float
    retrieval: float
    mentions: float
    topic: float
    missing: list[Mention] = field(default_factory=list)


def term_weights(library: Library, words: list[str]) -> dict[str, float]:
    df, total = library.corpus.document_frequencies(words)
    return {w: wording.idf(df.get(w, 0), total) for w in words}


def mention_found(view: ArticleView, mention: Mention) -> bool:
    if view.mentions(mention.phrases):
        return True
    if mention.kind == Kind.YEAR:
        facts = view.row.facts
        years = facts.years() | ({facts.published.year} if facts.published and facts.published.year else set())
        return int(mention.text) in years
    return False


class Postings:
    """Which articles have every word of a name somewhere (from the lexical index, no text read):
    a quick, generous stand-in for "the article mentions it", computed once per question."""

    def __init__(self, library: Library):
        self.library = library
        self._cache: dict[str, set[str]] = {}

    def having(self, mention: Mention) -> set[str]:
        found: set[str] = set()
        for phrase in mention.phrases:
            if phrase not in self._cache:
                self._cache[phrase] = self.library.corpus.sources_with_all(phrase.split())
            found |= self._cache[phrase]
        return found


def joint_candidates(question: Question, library: Library, postings: Postings,
                     limit: int = JOINT_LIMIT) -> set[str]:
    """Articles whose words include every name the question gives (each name's words somewhere in
    the article): among many articles of one province, the few that also name its agencies."""
    names = [m for m in question.mentions if m.kind in RARE or m.kind == Kind.AGENCY]
    # a name no passage has (a typo, a spelling) does not empty the intersection
    groups = [g for g in (postings.having(m) for m in names) if g]
    if len(groups) < 2:
        return set()
    joint = set.intersection(*groups)
    if len(joint) <= limit:
        return joint
    # too many: those whose passages match the names best
    words = [w for m in names for p in m.phrases for w in p.split()]
    return set(library.corpus.best_sources(words, limit, joint))


def rank(question: Question, hits: list, library: Library, focus: set[str] | None = None,
         allowed: set[str] | None = None) -> list[Ranked]:
    """Articles for the question, best first (see the module docstring). Every candidate is scored
    first from the lexical index alone; the SHORTLIST best are then read and scored exactly."""
    fused: dict[str, float] = {}
    for rank_, hit in enumerate(hits):
        fused[hit.chunk.source] = fused.get(hit.chunk.source, 0.0) + 1.0 / (RRF_K + rank_ + 1)
    postings = Postings(library)
    candidates = set(fused) | set(focus or ()) | joint_candidates(question, library, postings)
    for mention in question.mentions:
        if mention.kind in RARE:
            having = postings.having(mention)
            if 0 < len(having) <= RARE_LIMIT:
                candidates |= having
    candidates = {s for s in candidates if s in library.rows and (allowed is None or s in allowed)}
    if not candidates:
        return []
    best_fused = max(fused.values(), default=0.0) or 1.0
    weights = term_weights(library, list(question.content))
    mentions = list(question.mentions)

    def quick(source: str) -> float:
        missing = [m for m in mentions if source not in postings.having(m)]
        return _combine(fused.get(source, 0.0) / best_fused, _share(mentions, missing), 1.0, bool(mentions)) \
            + (FOCUS_BONUS if focus and source in focus else 0.0)

    shortlist = sorted(candidates, key=lambda s: (-quick(s), s))[:SHORTLIST]
    ranked = [_exact(library.view(s), fused.get(s, 0.0) / best_fused, mentions, weights, focus)
              for s in shortlist]
    ranked.sort(key=lambda r: (-r.score, r.source))
    return ranked


def _share(mentions: list[Mention], missing: list[Mention]) -> float:
    total = sum(m.weight for m in mentions)
    return 1.0 - sum(m.weight for m in missing) / total if total else 0.0


def _combine(retrieval: float, mention_share: float, topic: float, has_mentions: bool) -> float:
    a, b, c = WITH_MENTIONS if has_mentions else WITHOUT_MENTIONS
    return a * retrieval + b * mention_share + c * topic


def _exact(view: ArticleView, retrieval: float, mentions: list[Mention], weights: dict[str, float],
           focus: set[str] | None) -> Ranked:
    missing = [m for m in mentions if not mention_found(view, m)]
    share = _share(mentions, missing)
    total = sum(weights.values())
    words = set(view.match.split())
    topic = sum(w for t, w in weights.items() if t in words) / total if total else 0.0
    score = _combine(retrieval, share, topic, bool(mentions))
    if focus and view.source in focus:
        score += FOCUS_BONUS
    score += QUALIFIED_BONUS * sum(1 for m in mentions if m.qualified and wording.contains(view.match, m.qualified))
    return Ranked(view.source, score, retrieval, share, topic, missing)
