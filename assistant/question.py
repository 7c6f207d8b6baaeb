"""Understand a question: its kind (intent) and the places, agencies, people and years it names.

Matching is diacritics-insensitive ("ky ket o Can Tho" = "ký kết ở Cần Thơ"). Entities are
resolved against what the indexed articles actually contain (`EntityIndex`), so a place or person
the articles never mention is recognised as such, and the assistant can refuse instead of
answering about something else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Collection

from . import gazetteer as gz
from .catalog import ArticleRow
from .cleaning import fold
from .facts import PARTY_PATTERNS

# Checked in this order; the first match wins. Patterns run on the folded question.
INTENT_PATTERNS: list[tuple[str, str]] = [
    ("briefing", r"tom tat|tom luoc|ban tin|ghi chu nhanh|bao cao nhanh|briefing|diem tin|tong hop thong tin|"
                 r"thong tin tong hop|chuan bi (hop|buoi)|soan (nhanh|ban)|gioi thieu (nhanh|ngan)"),
    ("author", r"tac gia|ai viet|nguoi viet|phong vien nao|but danh"),
    ("list", r"\b(nhung|cac|bao nhieu) (tinh|thanh pho|dia phuong|huyen|quan|thi xa|noi(?! dung)|chuong trinh|bai|"
             r"le ky|hoi nghi)\b|liet ke|o nhung dau|nhung noi nao|tat ca (cac )?(chuong trinh|bai)"),
    ("place", r"o dau|tai dau|dia diem|noi nao|tinh nao|thanh pho nao|huyen nao|dia phuong nao|thuoc tinh"),
    ("legal_basis", r"can cu|van ban nao|quyet dinh (nao|so may|so bao nhieu|gi)|theo quyet dinh|co so phap ly|"
                    r"thuc hien quyet dinh|quy dinh nao|chi thi nao|nghi quyet nao|theo van ban|dua tren van ban"),
    ("period", r"giai doan|thoi han|bao nhieu nam|may nam|den nam nao|tu nam nao|thoi gian thuc hien|"
               r"hieu luc|thuc hien trong (bao lau|thoi gian)|keo dai"),
    ("parties", r"(co quan|don vi|ben|nganh) (nao|gi)\b|(voi|giua) (nhung )?ai\b|ai ky voi ai|"
                r"cac ben (ky ket|tham gia)( la)? (nhung )?(ai|gi|nao)|ky (ket )?voi ai"),
    ("contents", r"noi dung|gom nhung (gi|viec)|bao gom (nhung )?gi|nhiem vu|nhung viec gi|viec gi|"
                 r"phoi hop (ve |trong )?(nhung )?(gi|viec gi|linh vuc)|tap trung (vao )?(nhung )?(gi|viec)|"
                 r"hoat dong (gi|nao)|linh vuc|cam ket (gi|nhung)|lam gi"),
    ("date", r"khi nao|ngay nao|ngay may|ngay bao nhieu|bao gio|hom nao|luc nao|thoi diem|"
             r"(ky|le|hoi nghi|to chuc|dien ra)\b.*\b(nam nao|thang nao)|"
             r"dien ra (vao )?(khi|ngay|luc)|thoi gian (nao|ky|to chuc|dien ra)|vao ngay"),
    ("chaired", r"chu tri"),
    ("signed", r"\bai ky\b|nguoi ky|ai (da )?ky ket|ky ten|dai dien ky|thay mat"),
    ("attendees", r"\bai\b|nhung ai|thanh phan|dai bieu|tham du|\bdu (le|hoi nghi|buoi)|nguoi nao|lanh dao nao|"
                  r"vi nao|chuc vu|chuc danh|cuong vi|giu chuc"),
]
_INTENT_RE = [(name, re.compile(pattern)) for name, pattern in INTENT_PATTERNS]
FOLLOW_UP = re.compile(r"^(con|va|the|vay|con o|con tai)\b|thi sao|the nao\b.*\?$|\b(do|nay|ay|ho|tren)\s*\??$")


def detect_intent(question: str) -> str:
    folded = " ".join(fold(question).split())
    for name, pattern in _INTENT_RE:
        if pattern.search(folded):
            return name
    return "other"


def is_follow_up(question: str) -> bool:
    folded = " ".join(re.sub(r"[^\w\s?]", " ", fold(question)).split())
    return bool(FOLLOW_UP.search(folded)) or len(folded.split()) <= 4


@dataclass
class QuestionEntities:
    places: set[str] = field(default_factory=set)      # sources about a named place
    parties: set[str] = field(default_factory=set)     # canonical party names named
    party_sources: set[str] = field(default_factory=set)
    persons: set[str] = field(default_factory=set)     # sources naming a named person
    person_names: set[str] = field(default_factory=set)  # those people, folded
    years: set[int] = field(default_factory=set)
    year_sources: set[str] = field(default_factory=set)
    period: str = ""                                    # "2021-2025" when the question names one
    unknown: list[str] = field(default_factory=list)   # named places/people no article mentions

    @property
    def any(self) -> bool:
        return bool(self.places or self.parties or self.persons or self.years or self.period)

    def sources(self, all_sources: Collection[str]) -> set[str]:
        """Articles satisfying every kind of entity named (places, agencies, people, years)."""
        groups = [group for group, present in ((self.places, bool(self.places)),
                                               (self.party_sources, bool(self.parties)),
                                               (self.persons, bool(self.persons)),
                                               (self.year_sources, bool(self.years or self.period))) if present]
        if not groups:
            return set()
        result = set(min(groups, key=len))  # start from the smallest: cost follows the answer, not the corpus
        for group in groups:
            result &= group
        return {s for s in result if s in all_sources}


def _words(text: str) -> str:
    return " " + " ".join(re.sub(r"[^\w]+", " ", fold(text)).split()) + " "


class EntityIndex:
    """What the indexed articles name: places, agencies, people, years, plus their folded text."""

    def __init__(self, articles: dict[str, ArticleRow], contains: Callable[[str], bool]):
        """`contains(folded phrase)` says whether any indexed passage has the phrase."""
        self.articles = articles
        self.contains = contains
        self.place_names: dict[str, set[str]] = {}
        self.person_names: dict[str, set[str]] = {}
        self.by_party: dict[str, set[str]] = {}
        self.by_period: dict[str, set[str]] = {}
        self.by_event_year: dict[int, set[str]] = {}
        self.by_period_year: dict[int, set[str]] = {}
        for source, row in articles.items():
            facts = row.facts
            for name in (facts.place.province, facts.place.locality_name):
                if name:
                    self.place_names.setdefault(_words(name).strip(), set()).add(source)
            for person in facts.attendees:
                self.person_names.setdefault(_words(person.name).strip(), set()).add(source)
            if facts.author:
                self.person_names.setdefault(_words(facts.author).strip(), set()).add(source)
            for party in facts.parties:
                self.by_party.setdefault(party, set()).add(source)
            if facts.period:
                self.by_period.setdefault(facts.period, set()).add(source)
            if facts.event_date and facts.event_date.year:
                self.by_event_year.setdefault(facts.event_date.year, set()).add(source)
            for year in facts.period_years():
                self.by_period_year.setdefault(year, set()).add(source)
        self._longest_name = max((n.count(" ") + 1 for n in (*self.place_names, *self.person_names)), default=1)
        self._party_res = [(name, re.compile(pattern)) for name, pattern in PARTY_PATTERNS]

    def _named(self, words: list[str], names: dict[str, set[str]]):
        """(name, sources) for every indexed name that occurs as whole words in the question: one
        dictionary lookup per word n-gram, so the cost does not grow with the corpus."""
        for size in range(1, self._longest_name + 1):
            for start in range(0, len(words) - size + 1):
                key = " ".join(words[start:start + size])
                if key in names:
                    yield key, names[key]

    def analyse(self, question: str) -> QuestionEntities:
        found = QuestionEntities()
        q = _words(question)
        words = q.split()
        for _name, sources in self._named(words, self.place_names):
            found.places |= sources
        for name, sources in self._named(words, self.person_names):
            found.persons |= sources
            found.person_names.add(name)
        for party, pattern in self._party_res:
            if pattern.search(question) or f" {_words(party).strip()} " in q:
                found.parties.add(party)
        for alias, party in _FOLDED_PARTY_ALIASES.items():
            if f" {alias} " in q:
                found.parties.add(party)
        # every agency named must be a party ("Ban Tuyên giáo và Công an tỉnh": both, not either)
        found.party_sources = set.intersection(*(self.by_party.get(p, set()) for p in found.parties)) \
            if found.parties else set()
        period = re.search(r"(20\d{2})\s*(?:-|–|—|den)\s*(20\d{2})", fold(question))
        if period:
            found.period = f"{period.group(1)}-{period.group(2)}"
        found.years = {int(y) for y in re.findall(r"\b(20\d{2})\b", question)}
        found.year_sources = self._year_sources(question, found)
        found.unknown = self._unknown_names(question, found)
        return found

    def _year_sources(self, question: str, found: QuestionEntities) -> set[str]:
        """Articles matching a period named in the question, else signed in a year it names, else
        whose period covers that year ("ký năm 2022" is about the signing, "giai đoạn" the period)."""
        if found.period:
            return set(self.by_period.get(found.period, ()))
        if not found.years:
            return set()
        signed = set().union(*(self.by_event_year.get(y, ()) for y in found.years))
        if signed and "giai doan" not in fold(question):
            return signed
        return signed.union(*(self.by_period_year.get(y, ()) for y in found.years))

    def _unknown_names(self, question: str, found: QuestionEntities) -> list[str]:
        """Places and people the question names that no indexed article mentions."""
        unknown = []
        for phrase in _named_places(question):
            if not self.contains(phrase):
                unknown.append(phrase)
        for m in _CAPITALISED_RUN.finditer(question):
            name = m.group(0)
            first = name.split()[0]
            if (fold(first) in gz.SURNAMES or gz.province(name)) and not self.contains(fold(name)):
                unknown.append(name)
        return list(dict.fromkeys(unknown))


# A place named after "ở", "tại", "tỉnh", "huyện"…: the capitalised words that follow, or, in a
# question typed without capitals, the next two words.
_LEADS_CASED = re.compile(r"(?<!\w)(?:ở|tại|tỉnh|huyện|thành phố|TP\.?|quận|thị xã|xã|phường|địa bàn)\s+")
_LEADS_FOLDED = re.compile(r"(?<!\w)(?:o|tai|tinh|huyen|thanh pho|tp|thi xa)\s+(\w+)(?:\s+(\w+))?")
_NOT_PLACE_WORDS = {"dau", "nao", "day", "do", "cac", "nhung", "cap", "tinh", "huyen", "le", "hoi", "buoi", "dia",
                    "thanh", "ca", "trong", "ngoai", "tren", "duoi", "giai", "nam", "ngay", "nay", "tp", "xa",
                    "thi", "co", "la", "gi", "va", "da", "duoc", "ky", "to", "de", "voi", "cua", "khi", "sao",
                    "ra", "ai", "dong", "chuong", "quy", "ban", "vien", "toa", "so", "cuc", "cong", "uy", "phong"}
_CAPITALISED_RUN = re.compile(r"(?<!\w)[A-ZĐ][^\s,.;:?!()\"“”]*(?:\s+[A-ZĐ][^\s,.;:?!()\"“”]*){1,3}")


def _named_places(question: str) -> list[str]:
    """Folded place phrases a question names ("ở Đà Lạt" -> "da lat")."""
    has_case = any(ch.isupper() for ch in question[1:])
    phrases = []
    if has_case:
        for m in _LEADS_CASED.finditer(question):
            words = []
            for word in question[m.end():].split()[:4]:
                word = word.strip(",.;:?!()\"“”")
                if not word or not word[0].isupper() or word.isupper():
                    break
                words.append(word)
            if words:
                phrases.append(" ".join(fold(w) for w in words))
        return phrases
    folded = " ".join(re.sub(r"[^\w]+", " ", fold(question)).split())
    for m in _LEADS_FOLDED.finditer(folded):
        first, second = m.group(1), m.group(2)
        if first in _NOT_PLACE_WORDS:
            continue
        phrases.append(first if not second or second in _NOT_PLACE_WORDS else f"{first} {second}")
    return phrases


_FOLDED_PARTY_ALIASES = {
    "vksnd": "Viện Kiểm sát nhân dân", "vien kiem sat": "Viện Kiểm sát nhân dân", "kiem sat": "Viện Kiểm sát nhân dân",
    "tand": "Tòa án nhân dân", "toa an": "Tòa án nhân dân", "hdnd": "Hội đồng nhân dân",
    "hoi dong nhan dan": "Hội đồng nhân dân", "ubnd": "Ủy ban nhân dân", "uy ban nhan dan": "Ủy ban nhân dân",
    "tuyen giao": "Ban Tuyên giáo", "dan van": "Ban Dân vận", "thi hanh an": "Cục Thi hành án dân sự",
    "thads": "Cục Thi hành án dân sự", "cong an": "Công an", "mttq": "Ủy ban Mặt trận Tổ quốc Việt Nam",
    "mat tran": "Ủy ban Mặt trận Tổ quốc Việt Nam", "quan su": "Bộ Chỉ huy Quân sự",
    "bien phong": "Bộ đội Biên phòng", "so tu phap": "Sở Tư pháp", "phu nu": "Hội Liên hiệp Phụ nữ",
    "nong dan": "Hội Nông dân",
}
