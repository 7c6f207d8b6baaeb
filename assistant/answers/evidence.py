"""The best sentences of an article for a question, one intent at a time.

A sentence is scored by what it shares with the question (idf-weighted words and word pairs in the
matching form), by how close the question's embedding came to its passage (dense retrieval), by the
shape the intent expects (`cues`), and, for the facts a news lede gives (date, place, parties,
period), by coming early. The best sentence is always offered; a close second and the items of a
list it opens come with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import wording
from . import cues
from .analysis import Kind, Question
from .intents import Intent
from .library import ArticleView, Sentence

LEDE_INTENTS = {Intent.DATE, Intent.PLACE, Intent.PARTIES, Intent.PERIOD, Intent.SIGNED}
W_LEXICAL, W_CUE, W_DENSE, W_LEDE = 1.0, 0.6, 0.3, 0.15
SECOND_WITHIN = 0.85
MAX_LIST_ITEMS = 6


@dataclass(frozen=True)
class Scored:
    sentence: Sentence
    score: float
    lexical: float
    cue: float


def lexical_overlap(sentence: Sentence, words: list[str], weights: dict[str, float]) -> float:
    """Idf-weighted share of the question's words (and adjacent pairs) the sentence contains."""
    if not words:
        return 0.0
    have = sentence.wordset
    pairs = wording.bigrams(words)
    num = sum(weights.get(w, 0.0) for w in words if w in have)
    den = sum(weights.get(w, 0.0) for w in words)
    pair_w = {p: 0.5 * (weights.get(p.split()[0], 0.0) + weights.get(p.split()[1], 0.0)) / 2 for p in pairs}
    num += sum(w for p, w in pair_w.items() if p in sentence.bigramset)
    den += sum(pair_w.values())
    return num / den if den else 0.0


def sentence_words(question: Question) -> list[str]:
    """The question words that say which sentence answers: content words, and names a little less."""
    return list(question.content)


def score_sentences(question: Question, view: ArticleView, intent: Intent, weights: dict[str, float],
                    dense: dict[str, float]) -> list[Scored]:
    words = sentence_words(question)
    legal = bool(question.of_kind(Kind.DOCUMENT))
    out = []
    n = max(1, len(view.sentences))
    for s in view.sentences:
        lex = lexical_overlap(s, words, weights)
        c = cues.cue(intent, s.text, legal_dates=legal) if intent != Intent.OTHER else 0.0
        chunk = view.chunk_of(s)
        d = dense.get(chunk.chunk_id, 0.0) if chunk else 0.0
        lede = (1.0 - s.index / n) if intent in LEDE_INTENTS else 0.0
        short = len(s.text.split()) < 8
        score = W_LEXICAL * lex + W_CUE * c + W_DENSE * d + W_LEDE * lede - (0.15 if short else 0.0)
        out.append(Scored(s, score, lex, c))
    out.sort(key=lambda x: -x.score)
    return out


def opens_list(sentence: Sentence) -> bool:
    return sentence.text.rstrip().endswith(":")


def pick(scored: list[Scored], view: ArticleView, limit: int = 2) -> list[Sentence]:
    """The best sentence, a close second, and the items of a list the best one opens."""
    if not scored:
        return []
    best = scored[0]
    chosen = [best.sentence]
    if opens_list(best.sentence):
        for s in view.sentences[best.sentence.index + 1:best.sentence.index + 1 + MAX_LIST_ITEMS]:
            if len(s.text.split()) < 3:
                break
            chosen.append(s)
            if not s.text.lstrip().startswith(("-", "+", "•", "*")) and s.text.rstrip().endswith("."):
                if len(chosen) > 3:
                    break
    for other in scored[1:limit]:
        if other.score >= SECOND_WITHIN * best.score and other.sentence not in chosen:
            chosen.append(other.sentence)
    return chosen
