"""How question and article text are compared: one matching form for both (pure).

The matching form of a text is its list of folded words (lower case, no tone marks, đ→d, split on
anything that is not a letter or digit), after the abbreviations of Vietnamese public life are spelt
out: "BTG Thành ủy" and "Ban Tuyên giáo Thành ủy" both read "ban tuyen giao thanh uy", "CATP Hà Nội"
reads "cong an thanh pho ha noi", "Q8" reads "quan 8". In article text only upper-case tokens are
expanded (a lower-case "ca" is the word "cả"); a question typed in lower case also has its
unambiguous abbreviations expanded ("btg", "bdv", "vksnd").
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from itertools import pairwise

from assistant.text.folding import fold, lower_tones

# Upper-case abbreviations and what they stand for (folded). General knowledge of the genre's
# vocabulary, not of any article.
ABBREVIATIONS: dict[str, str] = {
    "HĐND": "hoi dong nhan dan", "UBND": "uy ban nhan dan", "TAND": "toa an nhan dan",
    "VKSND": "vien kiem sat nhan dan", "VKS": "vien kiem sat", "KSND": "kiem sat nhan dan",
    "MTTQ": "mat tran to quoc", "MTTQVN": "mat tran to quoc viet nam", "UBMTTQ": "uy ban mat tran to quoc",
    "UBMTTQVN": "uy ban mat tran to quoc viet nam", "MT": "mat tran",
    "BTG": "ban tuyen giao", "BDV": "ban dan van", "BNC": "ban noi chinh", "BTC": "ban to chuc",
    "BDVTW": "ban dan van trung uong", "BTGTW": "ban tuyen giao trung uong", "BNCTW": "ban noi chinh trung uong",
    "BTCTW": "ban to chuc trung uong", "UBKT": "uy ban kiem tra", "BTV": "ban thuong vu", "BTT": "ban thuong truc",
    "CA": "cong an", "CATP": "cong an thanh pho", "CAT": "cong an tinh", "CAH": "cong an huyen",
    "CAQ": "cong an quan", "BCA": "bo cong an", "BQP": "bo quoc phong", "BĐBP": "bo doi bien phong",
    "BCHQS": "ban chi huy quan su", "CHQS": "chi huy quan su", "QS": "quan su", "QK": "quan khu",
    "LLVT": "luc luong vu trang", "PTKV": "phong thu khu vuc", "BCH": "ban chi huy",
    "LĐLĐ": "lien doan lao dong", "LHPN": "lien hiep phu nu", "HLHPN": "hoi lien hiep phu nu",
    "HND": "hoi nong dan", "HCCB": "hoi cuu chien binh", "CCB": "cuu chien binh", "ĐTN": "doan thanh nien",
    "TNCS": "thanh nien cong san", "THADS": "thi hanh an dan su", "TW": "trung uong", "TƯ": "trung uong",
    "TU": "tinh uy", "HU": "huyen uy", "TP": "thanh pho", "TX": "thi xa", "PBT": "pho bi thu",
    "CTPH": "chuong trinh phoi hop", "QCPH": "quy che phoi hop", "ANTT": "an ninh trat tu",
    "TTATXH": "trat tu an toan xa hoi", "ANQG": "an ninh quoc gia", "GD&ĐT": "giao duc va dao tao",
    "GDĐT": "giao duc dao tao", "PT-TH": "phat thanh truyen hinh", "PTTH": "phat thanh truyen hinh",
    "ĐBQH": "dai bieu quoc hoi", "KT-XH": "kinh te xa hoi", "KTXH": "kinh te xa hoi", "CLB": "cau lac bo",
    "ĐUK": "dang uy khoi", "TTTT": "thong tin va truyen thong", "TT&TT": "thong tin va truyen thong",
    "UBKTTU": "uy ban kiem tra tinh uy", "BVCTNB": "bao ve chinh tri noi bo", "DQTV": "dan quan tu ve",
    "TNXP": "thanh nien xung phong", "XH": "xa hoi", "HTX": "hop tac xa", "VP": "van phong",
}
# Lower-case forms expanded in questions only (typed quickly, without capitals).
QUESTION_ONLY = {"btg", "bdv", "bnc", "tand", "vksnd", "hdnd", "ubnd", "mttq", "ubmttq", "catp", "bchqs", "bdbp",
                 "ldld", "lhpn", "ctph", "bdvtw", "btgtw", "pbt", "tp", "tx", "hccb", "thads", "antt", "ubkt",
                 "dbqh", "clb", "gddt"}
_FOLDED_ABBREVIATIONS = {fold(k).replace("&", "").replace("-", ""): v for k, v in ABBREVIATIONS.items()}
_UPPER_TOKEN = re.compile(r"(?<![\w&-])([A-ZĐƯ][A-ZĐƯ&-]*[A-ZĐƯ])(?![\w&])")
_Q_NUMBER = re.compile(r"(?<![\w.])[Qq]\.?\s?(\d{1,2})(?!\d)")
_WORDS = re.compile(r"[0-9a-z]+")
# "ca huyện", "ca tỉnh": the police, even in lower case, when a unit word follows.
_CA_BEFORE_UNIT = re.compile(r"(?<!\w)ca(?= (?:huyen|tinh|thanh pho|tp|quan|thi xa|xa|phuong)\b)")


def _expand_upper(text: str) -> str:
    def repl(m: re.Match) -> str:
        token = m.group(1)
        full = ABBREVIATIONS.get(token)
        return f" {full} " if full else token
    text = _Q_NUMBER.sub(r" quận \1 ", text)
    return _UPPER_TOKEN.sub(repl, text)


_ACCENTED_WORDS = re.compile(r"[^\W_]+")


@lru_cache(maxsize=8192)
def tokens(text: str, question: bool = False) -> tuple[tuple[str, str], ...]:
    """(folded, accented) word pairs of a text, abbreviations spelt out. The accented form keeps the
    tone marks ("kỳ" is not "ký", "giáo" is not "giao"); spelt-out abbreviations have only the folded."""
    accented_text = lower_tones(_expand_upper(text))
    folded_text = fold(accented_text)
    aligned = len(folded_text) == len(accented_text)   # folding maps letter to letter (NFC input)
    out: list[tuple[str, str]] = []
    for m in _ACCENTED_WORDS.finditer(accented_text):
        raw = m.group(0)
        folded = folded_text[m.start():m.end()] if aligned else fold(raw)
        if _WORDS.fullmatch(folded):
            out.append((folded.lstrip("0") or "0", raw.lstrip("0") or "0") if folded.isdigit() else (folded, raw))
            continue
        for part in _WORDS.findall(folded):  # letters outside Vietnamese: folded parts only
            if part.isdigit():
                part = part.lstrip("0") or "0"
            out.append((part, part))
    if question:
        spelt: list[tuple[str, str]] = []
        for i, (f, a) in enumerate(out):
            if f in QUESTION_ONLY:
                spelt += [(w, w) for w in _FOLDED_ABBREVIATIONS[f].split()]
            elif a == "ca" and _CA_BEFORE_UNIT.search(" ".join(x for x, _ in out[i:i + 3])):
                spelt += [("cong", "cong"), ("an", "an")]
            else:
                spelt.append((f, a))
        out = spelt
    return tuple(out)


@lru_cache(maxsize=4096)
def match_text(text: str, question: bool = False) -> str:
    """The matching form as one string of words, padded with spaces (" ban tuyen giao thanh uy ")."""
    return " " + " ".join(f for f, _a in tokens(text, question)) + " "


def expansions(text: str, question: bool = False) -> list[str]:
    """The folded words of the abbreviations a text uses, spelt out (for the lexical index)."""
    out = [w for m in _UPPER_TOKEN.finditer(text) for w in ABBREVIATIONS.get(m.group(1), "").split()]
    out += [w for m in _Q_NUMBER.finditer(text) for w in ("quan", m.group(1))]
    if question:
        out += [w for t in _WORDS.findall(fold(text)) if t in QUESTION_ONLY for w in _FOLDED_ABBREVIATIONS[t].split()]
    return out


def words(text: str, question: bool = False) -> list[str]:
    return match_text(text, question).split()


def contains(haystack: str, phrase: str) -> bool:
    """Does a matching-form string contain a matching-form phrase as whole words?"""
    phrase = phrase.strip()
    return bool(phrase) and f" {phrase} " in haystack


# Upper- and lower-case letters of Vietnamese text, for regular expressions ("[À-Ỹ]" would mix both).
UPPER = "".join(chr(c) for c in range(0x41, 0x1EFA) if chr(c).isalpha() and chr(c).isupper())
LOWER = "".join(chr(c) for c in range(0x61, 0x1EFA) if chr(c).isalpha() and chr(c).islower())


def is_capitalised(token: str) -> bool:
    return bool(token) and token[0].isupper()


# Function words: they say nothing about what a question is about (folded).
STOPWORDS = set("""
la gi co cua va o nhung nao khi thi sao bao nhieu cac mot nhu the duoc trong cho voi ve tai nay do
hay hoac ma nen neu vay a ha nhe chu khong con da dang se bi boi tu den ra vao len xuong ai dau
minh toi hay giup xin vui long biet cho biet giua
""".split())
# Words that only give the form of a question ("… là gì", "ai", "nào"); the genre's own words
# ("chương trình phối hợp", "ký kết") stay, their idf makes them weigh little.
GENERIC = set("""
nao gi ai dau bao nhieu may khong phai the sao viec lau lan
""".split())


def content_words(text_words: list[str]) -> list[str]:
    """The words of a question that say what it is about (distinct, in order)."""
    return list(dict.fromkeys(w for w in text_words if w not in STOPWORDS and w not in GENERIC))


def bigrams(seq: list[str]) -> list[str]:
    return [f"{a} {b}" for a, b in pairwise(seq)]


def idf(df: int, total: int) -> float:
    """Inverse document frequency that stays positive for very common words."""
    return max(0.05, math.log((total + 1) / (df + 0.5)))
