"""The best sentences of an article for a question, one intent at a time.

A sentence is scored by what it shares with the question (idf-weighted words and word pairs in the
matching form), by how close the question's embedding came to its passage (dense retrieval), by the
shape the intent expects (`cues`), and, for the facts a news lede gives (date, place, parties,
period), by coming early. The best sentence is always offered; a close second and the items of a
list it opens come with it.
"""

from __future__ import annotations

import re
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
    """The question words that say which sentence answers: its content words, and for a question
    about several programs the names it selects them by (a document number, a place)."""
    words = list(question.content)
    if question.across:
        words += [w for m in question.of_kind(Kind.DOCUMENT, Kind.PERIOD, Kind.DATE, Kind.YEAR)
                  for p in m.phrases for w in p.split() if w not in words]
    return words


def local_weights(question: Question, view: ArticleView, weights: dict[str, float]) -> dict[str, float]:
    """Word weights for choosing a sentence within one article: the corpus idf, times how rare the word
    is among the article's own sentences (its place and agencies, in every sentence, tell none apart);
    the names the article was chosen by count half."""
    n = len(view.sentences)
    # names that choose the article (places, agencies, people) say little about which sentence answers;
    # documents, dates and periods do
    named = {w for m in question.of_kind(Kind.PLACE, Kind.NAME, Kind.AGENCY, Kind.PERSON)
             for p in m.phrases for w in p.split()}
    out = {}
    for w, g in weights.items():
        df = sum(1 for s in view.sentences if w in s.wordset)
        local = wording.idf(df, n)
        out[w] = (g ** 0.5) * local * (0.5 if w in named else 1.0)
    return out


def score_sentences(question: Question, view: ArticleView, intent: Intent, weights: dict[str, float],
                    dense: dict[str, float], similarity=None) -> list[Scored]:
    """`dense`: passage similarities from retrieval; `similarity`: each sentence's cosine similarity
    with the question, when the sentences were embedded."""
    words = sentence_words(question)
    sims = None
    if similarity is not None and len(similarity) == len(view.sentences):
        lo, hi = float(min(similarity)), float(max(similarity))
        sims = [(float(x) - lo) / (hi - lo) if hi > lo else 0.0 for x in similarity]
    weights = local_weights(question, view, {w: weights.get(w, 1.0) for w in words})
    legal = bool(question.of_kind(Kind.DOCUMENT))
    out = []
    n = max(1, len(view.sentences))
    for s in view.sentences:
        lex = lexical_overlap(s, words, weights)
        c = cues.cue(intent, s.text, legal_dates=legal) if intent != Intent.OTHER else 0.0
        if sims is not None:
            d = sims[s.index]
        else:
            chunk = view.chunk_of(s)
            d = dense.get(chunk.chunk_id, 0.0) if chunk else 0.0
        lede = (1.0 - s.index / n) if intent in LEDE_INTENTS else 0.0
        short = len(s.text.split()) < 8
        headline = s.text == view.row.facts.title   # the title repeats the lede, in fewer words
        score = W_LEXICAL * lex + W_CUE * c + W_DENSE * d + W_LEDE * lede - (0.15 if short else 0.0) \
            - (0.2 if headline else 0.0)
        out.append(Scored(s, score, lex, c))
    out.sort(key=lambda x: -x.score)
    return out


def opens_list(sentence: Sentence) -> bool:
    return sentence.text.rstrip().endswith(":")


# A sentence that goes on with what the previous one said ("Bên cạnh đó, …", "Đồng chí cũng …").
_CONTINUES = re.compile(r"^(?:bên cạnh đó|đồng thời|ngoài ra|cùng với đó|bên cạnh|qua đó|trong đó|theo đó|"
                        r"đồng chí cũng|ông cũng|bà cũng|(?:hai|các|ba) (?:bên|cơ quan|ngành|đơn vị|lực lượng)"
                        r"(?: cũng| đã| cùng| thường xuyên)|[-+•*])", re.IGNORECASE)


def continuation(view: ArticleView, sentence: Sentence) -> list[Sentence]:
    """The list items a sentence opens, or the sentences that go on with it."""
    out: list[Sentence] = []
    following = view.sentences[sentence.index + 1:sentence.index + 1 + MAX_LIST_ITEMS]
    if opens_list(sentence):
        for s in following:
            if len(s.text.split()) < 3:
                break
            out.append(s)
            if not s.text.lstrip().startswith(("-", "+", "•", "*")) and s.text.rstrip().endswith(".") \
                    and len(out) > 3:
                break
        return out
    for s in following[:2]:
        if not _CONTINUES.match(s.text.strip()):
            break
        out.append(s)
    return out


def pick(scored: list[Scored], view: ArticleView, limit: int = 2, within: float = SECOND_WITHIN,
         follow: bool = True) -> list[Sentence]:
    """The best sentence and what continues it, then close runners-up (up to `limit` in all)."""
    if not scored:
        return []
    best = scored[0]
    chosen = [best.sentence]
    if follow:
        chosen += [s for s in continuation(view, best.sentence) if s not in chosen]
    for other in scored[1:limit]:
        if other.score >= within * best.score and other.sentence not in chosen:
            chosen.append(other.sentence)
    return chosen
