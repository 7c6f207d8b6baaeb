"""Vietnamese lexical analysis for BM25: word segmentation plus diacritics folding.

Two analyses are stored at ingest. For BM25, text is segmented into words with pyvi (offline CRF: "ký kết" -> "ký_kết"), lower-cased and
folded (marks dropped, đ→d). Every syllable is indexed, and every compound word as well, so a
query typed without diacritics (which the segmenter cannot join) still matches by syllables,
while a properly typed one also gets the sharper compound-word match.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

from assistant.text import gazetteer as gz
from assistant.text import wording
from assistant.text.folding import fold
from assistant.text.wording import expansions

_lock = threading.Lock()
_tokenizer = None
_TOKEN = re.compile(r"[0-9a-z_]+")
# Function words that carry no retrieval signal in questions (folded forms).
QUERY_STOPWORDS = set("""
la gi co cua va o nhung nao khi thi sao bao nhieu cac mot nhu the duoc trong cho voi ve tai nay do
hay hoac ma nen neu vay a ha nhe chu khong con da dang se bi boi tu den ra vao len xuong
""".split())


def _segmenter() -> Any:  # pyvi's ViTokenizer (pyvi ships no type information)
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            from pyvi import ViTokenizer

            _release_model_file(ViTokenizer)
            _tokenizer = ViTokenizer
    return _tokenizer


def _release_model_file(tokenizer: Any) -> None:
    """pyvi unpickles its CRF model into a temporary file (sklearn-crfsuite) that is deleted only when
    the model is garbage-collected, which at interpreter exit it is not: every process would leave
    640 KB in the temporary folder. Once crfsuite has read the model into memory, the file can go."""
    model = getattr(getattr(tokenizer, "ViTokenizer", tokenizer), "model", None)   # the module's class holds it
    resource = getattr(model, "modelfile", None)
    if model is None or resource is None:
        return
    try:
        if model.tagger_ is not None:   # opens the tagger now: crfsuite reads the whole file
            resource.cleanup()
    except Exception:   # a pyvi or sklearn-crfsuite of another shape: keep the file, lose nothing else
        pass


def segment(text: str) -> list[str]:
    """Folded words of `text`; compounds joined with "_"."""
    if not text.strip():
        return []
    segmented = _segmenter().tokenize(text)
    return _TOKEN.findall(fold(segmented))


def index_terms(text: str, question: bool = False) -> list[str]:
    """Terms stored for a passage: syllables and compound words, plus the syllables of the
    abbreviations it uses spelt out ("BTG" is also "ban tuyen giao")."""
    terms = []
    for word in segment(text):
        parts = [p for p in word.split("_") if p]
        terms.extend(parts)
        if len(parts) > 1:
            terms.append("_".join(parts))
    terms.extend(expansions(text, question))
    return terms


def query_terms(text: str) -> list[str]:
    """Distinct terms of a question, function words removed (unless nothing else remains)."""
    return list(_query_terms(text))


@lru_cache(maxsize=512)
def _query_terms(text: str) -> tuple[str, ...]:
    # one question is analysed by retrieval and by several answer checks: segment it once
    terms = list(dict.fromkeys(index_terms(text, question=True)))
    content = [t for t in terms if t not in QUERY_STOPWORDS]
    return tuple(content or terms)


# ------------------------------------------------------------------ matching forms (answer layer)

def sentence_forms(text: str) -> tuple[str, str]:
    """A sentence's words in matching form (folded, abbreviations spelt out) and with their tone
    marks, each space-joined and aligned word for word (see `wording.tokens`)."""
    pairs = wording.tokens(text)
    return " ".join(f for f, _a in pairs), " ".join(a for _f, a in pairs)


def url_words(url: str) -> str:
    path = re.sub(r"^https?://", "", url or "")
    return " ".join(re.findall(r"[A-Za-z0-9]+", path.replace(".html", " ").replace(".htm", " ")))


def article_form(title: str, url: str, text: str) -> str:
    """An article's matching form: its title, the words of its URL, the province its site belongs
    to, and its text (what "the article mentions X" is checked against)."""
    site = gz.province_from_domain(url) or ""
    return wording.match_text(" ".join((title, url_words(url), site, text)))
