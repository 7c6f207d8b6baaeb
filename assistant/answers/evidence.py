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
from itertools import pairwise

from assistant.answers import cues
from assistant.answers.analysis import Kind, Question
from assistant.answers.intents import Intent
from assistant.answers.library import ArticleView, Sentence
from assistant.text import wording

LEDE_INTENTS = {Intent.DATE, Intent.PLACE, Intent.PARTIES, Intent.PERIOD, Intent.SIGNED}
W_LEXICAL, W_CUE, W_DENSE, W_LEDE = 1.0, 0.6, 0.3, 0.15
W_CUE_DEFINITE = 0.9       # a date, a name, a number: the shape of the answer counts more
SECOND_WITHIN = 0.85
INFORMATIVE_MASS = 4.0
PLACE_WORD_WEIGHT = 0.2    # the place chose the article; it hardly tells its sentences apart
AGENT_WORD_WEIGHT = 0.4    # agencies and people somewhat ("Ai là Giám đốc Sở Tư pháp?")     # summed word weight of a question specific enough to choose by its words
MAX_LIST_ITEMS = 6


@dataclass(frozen=True)
class Scored:
    sentence: Sentence
    score: float
    lexical: float
    cue: float


def lexical_overlap(sentence: Sentence, terms: list[tuple[str, str]], weights: dict[str, float],
                    accented: bool = False) -> float:
    """Idf-weighted share of the question's words (and adjacent pairs) the sentence contains. A question
    typed with diacritics is matched with them ("định kỳ" does not match "ký kết"); one typed without,
    on folded words."""
    if not terms:
        return 0.0
    k = 1 if accented else 0
    have = sentence.accented if accented else sentence.wordset
    pairs_have = sentence.accented_bigrams if accented else sentence.bigramset
    num = sum(weights.get(t[0], 0.0) for t in terms if t[k] in have)
    den = sum(weights.get(t[0], 0.0) for t in terms)
    for a, b in pairwise(terms):
        w = 0.25 * (weights.get(a[0], 0.0) + weights.get(b[0], 0.0))
        den += w
        if f"{a[k]} {b[k]}" in pairs_have:
            num += w
    return num / den if den else 0.0


def informativeness(words: list[str], weights: dict[str, float]) -> float:
    """How much the question's words can tell sentences apart (0..1): a question made only of the
    genre's common words ("chương trình phối hợp … gì") leaves the choice to the intent's cue."""
    return min(1.0, sum(weights.get(w, 0.0) for w in words) / INFORMATIVE_MASS)


def sentence_terms(question: Question) -> list[tuple[str, str]]:
    """The question words that say which sentence answers: its content words, and for a question
    about several programs the documents, dates and periods it selects them by."""
    terms = list(question.terms)
    if question.across:
        have = {f for f, _a in terms}
        terms += [(w, w) for m in question.of_kind(Kind.DOCUMENT, Kind.PERIOD, Kind.DATE, Kind.YEAR)
                  for p in m.phrases for w in p.split() if w not in have]
    return terms


def local_weights(question: Question, view: ArticleView, weights: dict[str, float]) -> dict[str, float]:
    """Word weights for choosing a sentence within one article: the corpus idf, times how rare the word
    is among the article's own sentences (its place and agencies, in every sentence, tell none apart);
    the places the article was chosen by count little."""
    n = len(view.sentences)
    # names that choose the article (places, agencies, people) say little about which sentence answers;
    # documents, dates and periods do
    places = {w for m in question.of_kind(Kind.PLACE, Kind.NAME) for p in m.phrases for w in p.split()}
    agents = {w for m in question.of_kind(Kind.AGENCY, Kind.PERSON) for p in m.phrases for w in p.split()}
    out = {}
    for w, g in weights.items():
        df = sum(1 for s in view.sentences if w in s.wordset)
        local = wording.idf(df, n)
        out[w] = (g ** 0.5) * local * (PLACE_WORD_WEIGHT if w in places else AGENT_WORD_WEIGHT if w in agents else 1.0)
    return out


def score_sentences(question: Question, view: ArticleView, intent: Intent, weights: dict[str, float],
                    dense: dict[str, float]) -> list[Scored]:
    """Every sentence of the article scored for one intent, best first. `dense`: the similarity of the
    question to each retrieved passage (a sentence takes its passage's)."""
    terms = sentence_terms(question)
    words = [f for f, _a in terms]
    weights = local_weights(question, view, {w: weights.get(w, 1.0) for w in words})
    informative = informativeness(words, weights)
    legal = bool(question.of_kind(Kind.DOCUMENT))
    out = []
    n = max(1, len(view.sentences))
    for s in view.sentences:
        lex = lexical_overlap(s, terms, weights, question.accented)
        c = cues.cue(intent, s.text, legal_dates=legal) if intent != Intent.OTHER else 0.0
        chunk = view.chunk_of(s)
        d = dense.get(chunk.chunk_id, 0.0) if chunk else 0.0
        lede = (1.0 - s.index / n) if intent in LEDE_INTENTS else 0.0
        short = len(s.text.split()) < 8
        headline = s.text == view.row.facts.title   # the title repeats the lede, in fewer words
        w_cue = W_CUE_DEFINITE if intent in cues.DEFINITE else W_CUE
        score = W_LEXICAL * lex * informative + w_cue * c + W_DENSE * d + W_LEDE * lede - (0.15 if short else 0.0) \
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
