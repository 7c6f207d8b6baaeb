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

from .. import wording
from .analysis import Kind, Mention, Question
from .library import ArticleView, Library

RRF_K = 60
RARE = (Kind.PLACE, Kind.PERSON, Kind.DOCUMENT, Kind.NAME, Kind.DATE, Kind.PERIOD)
WITH_MENTIONS = (0.35, 0.45, 0.20)     # retrieval, mentions, topic
WITHOUT_MENTIONS = (0.70, 0.0, 0.30)
FOCUS_BONUS = 0.15
JOINT_LIMIT = 40
QUALIFIED_BONUS = 0.05   # "Thành ủy Lạng Sơn" written as the question writes it, not only "Lạng Sơn"


@dataclass
class Ranked:
    source: str
    score: float
    retrieval: float
    mentions: float
    topic: float
    missing: list[Mention] = field(default_factory=list)


def term_weights(library: Library, words: list[str]) -> dict[str, float]:
    df, total = library.retriever.lexical.document_frequencies(words)
    return {w: wording.idf(df.get(w, 0), total) for w in words}


def mention_found(view: ArticleView, mention: Mention) -> bool:
    if view.mentions(mention.phrases):
        return True
    if mention.kind == Kind.YEAR:
        facts = view.row.facts
        years = facts.years() | ({facts.published.year} if facts.published and facts.published.year else set())
        return int(mention.text) in years
    return False


def joint_candidates(question: Question, library: Library, limit: int = JOINT_LIMIT) -> set[str]:
    """Articles whose words include every name the question gives (each name's words somewhere in
    the article): among many articles of one province, the few that also name its agencies."""
    names = [m for m in question.mentions if m.kind in RARE or m.kind == Kind.AGENCY]
    if len(names) < 2:
        return set()
    groups = []
    for m in names:
        found: set[str] = set()
        for phrase in m.phrases:
            found |= library.retriever.lexical.sources_with_all(phrase.split())
        if found:      # a name no passage has (a typo, a spelling) does not empty the intersection
            groups.append(found)
    if len(groups) < 2:
        return set()
    joint = set.intersection(*groups)
    if len(joint) <= limit:
        return joint
    # too many: those whose passages match the names best
    words = [w for m in names for p in m.phrases for w in p.split()]
    hits = library.retriever.lexical.search(words, limit * 3, sources=joint)
    chunks = library.retriever.catalog.chunks_by_id([cid for cid, _score in hits])
    return set(list(dict.fromkeys(chunks[cid].source for cid, _s in hits if cid in chunks))[:limit])


def rank(question: Question, hits: list, library: Library, focus: set[str] | None = None,
         allowed: set[str] | None = None) -> list[Ranked]:
    """Articles for the question, best first (see the module docstring)."""
    fused: dict[str, float] = {}
    for rank_, hit in enumerate(hits):
        fused[hit.chunk.source] = fused.get(hit.chunk.source, 0.0) + 1.0 / (RRF_K + rank_ + 1)
    candidates = set(fused) | set(focus or ()) | joint_candidates(question, library)
    for mention in question.mentions:
        if mention.kind in RARE:
            found = library.sources_with(mention.phrases, limit=60)
            if found:
                candidates |= found
    candidates = {s for s in candidates if s in library.rows and (allowed is None or s in allowed)}
    if not candidates:
        return []
    best_fused = max(fused.values(), default=0.0) or 1.0
    weights = term_weights(library, list(question.content))
    total_weight = sum(weights.values())
    mentions = list(question.mentions)
    mention_weight = sum(m.weight for m in mentions)
    ranked = []
    for source in candidates:
        view = library.view(source)
        retrieval = fused.get(source, 0.0) / best_fused
        missing = [m for m in mentions if not mention_found(view, m)]
        mention_share = (1.0 - sum(m.weight for m in missing) / mention_weight) if mentions else 0.0
        words = set(view.match.split())
        topic = sum(w for t, w in weights.items() if t in words) / total_weight if total_weight else 0.0
        a, b, c = WITH_MENTIONS if mentions else WITHOUT_MENTIONS
        score = a * retrieval + b * mention_share + c * topic
        if focus and source in focus:
            score += FOCUS_BONUS
        score += QUALIFIED_BONUS * sum(1 for m in mentions if m.qualified and wording.contains(view.match, m.qualified))
        ranked.append(Ranked(source, score, retrieval, mention_share, topic, missing))
    ranked.sort(key=lambda r: (-r.score, r.source))
    return ranked
