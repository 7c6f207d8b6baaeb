"""Dates: the publication date (a header, else the page's dateline) and the date of the event (the
first date in a sentence about it, never a cited document's date)."""

from __future__ import annotations

import datetime as dt
import re

from assistant.facts.model import DateValue, Span
from assistant.text.sentences import Sentence

_WEEKDAY = r"(?:thứ\s*(?:[2-7]|hai|ba|tư|năm|sáu|bảy)|chủ nhật|cn)"
_FULL_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})(?![\d/])")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_WRITTEN_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+(\d{4}))?", re.I)
_SHORT_DATE = re.compile(
    r"(?:(?P<lead>ngày|hôm|sáng|chiều|tối|trưa|nay|\()\s*(?:nay\s*)?\(?\s*)?"
    r"(?<![\d/.-])(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?![\d/.-]*\d)", re.I)
_STAMP_WORDS = re.compile(
    r"\b(?:cập nhật|ngày đăng|đăng lúc|đăng ngày|xuất bản|vào ngày|vào lúc|ngày|lúc|giờ|gmt\s*\+?\s*\d*|"
    + _WEEKDAY + r"|am|pm)\b|\d{1,2}:\d{2}(?::\d{2})?|[\[\]()|,:+-]", re.I)
_LEGAL_BEFORE_DATE = re.compile(r"(?:\d+[\w./-]*/[\wĐđ.-]+|ban hành|ký ban hành)\W{0,12}(?:ngày)?\s*$", re.I)
EVENT_WORDS = re.compile(r"ký kết|tổ chức|diễn ra|hội nghị|\blễ\b|buổi|ký chương trình|ký quy chế", re.I)


def _valid(day: int, month: int, year: int | None) -> bool:
    try:
        dt.date(year or 2000, month, day)
        return year is None or 1990 <= year <= 2100
    except ValueError:
        return False


def parse_date(text: str) -> DateValue | None:
    """A full date in any of the genre's forms (`23-06-2022`, `17/02/2022`, ISO, written out)."""
    for pattern, order in ((_ISO_DATE, "ymd"), (_FULL_DATE, "dmy"), (_WRITTEN_DATE, "dmy")):
        m = pattern.search(text)
        if not m:
            continue
        y: int | None
        if order == "ymd":
            y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        elif pattern is _FULL_DATE:
            d, mo, y = int(m.group(1)), int(m.group(3)), int(m.group(4))
        else:
            d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None
        if y and _valid(d, mo, y):
            return DateValue(d, mo, y)
    return None


def is_stamp_line(line: str) -> bool:
    """A dateline of the page ("Thứ 5, 17/02/2022 | 18:25:52", "[ Cập nhật vào ngày (02/01/2022) ]")."""
    if len(line) > 90 or not parse_date(line):
        return False
    rest = _STAMP_WORDS.sub(" ", _FULL_DATE.sub(" ", _ISO_DATE.sub(" ", line)))
    return len(rest.split()) <= 2


def resolve_year(day: int, month: int, reference: DateValue | None) -> DateValue:
    """Give a day/month the year of the reference (publication) date; an event is not reported
    more than a week before it happens, so a later day/month belongs to the previous year."""
    if not reference or not reference.year:
        return DateValue(day, month, None)
    year = reference.year
    try:
        if dt.date(year, month, day) > dt.date(year, reference.month, reference.day) + dt.timedelta(days=7):
            year -= 1
        return DateValue(day, month, year)
    except ValueError:
        return DateValue(day, month, None)


def extract_published(lines: list[str], title_index: int | None,
                      header_date: str = "") -> tuple[DateValue | None, int | None]:
    """Publication date and the line it is on: a header date (no line), else the page's dateline
    nearest after the title, else a stamp riding on the headline."""
    if header_date:
        parsed = parse_date(header_date)
        if parsed:
            return parsed, None
    stamps = [(i, parse_date(line)) for i, line in enumerate(lines) if is_stamp_line(line)]
    if not stamps:
        # "Sơ kết quy chế phối hợp … (05/03/2021 09:15)": the stamp rides on the headline
        for i, line in enumerate(lines[:12]):
            m = re.search(r"\(([^()]{6,30})\)\s*$", line)
            if m and len(line) < 250 and is_stamp_line(m.group(1)):
                return parse_date(m.group(1)), i
        return None, None
    if title_index is not None:
        after = [s for s in stamps if s[0] > title_index]
        if after:
            return after[0][1], after[0][0]
    return stamps[0][1], stamps[0][0]


def _date_mentions(sentence: str) -> list[tuple[int, int, int, int, int | None]]:
    """(start, end, day, month, year|None) of every explicit date in a sentence."""
    found: list[tuple[int, int, int, int, int | None]] = []
    for m in _FULL_DATE.finditer(sentence):
        d, mo, y = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if _valid(d, mo, y):
            found.append((m.start(), m.end(), d, mo, y))
    for m in _WRITTEN_DATE.finditer(sentence):
        d, mo = int(m.group(1)), int(m.group(2))
        year = int(m.group(3)) if m.group(3) else None
        if _valid(d, mo, year):
            found.append((m.start(), m.end(), d, mo, year))
    taken = [(a, b) for a, b, *_ in found]
    for m in _SHORT_DATE.finditer(sentence):
        if any(a <= m.start("d") < b for a, b in taken):
            continue
        sep, lead = m.group("sep"), (m.group("lead") or "").lower()
        if sep != "/" and not lead:  # "18.6" / "17-2" only after "ngày", "sáng", "(" …
            continue
        d, mo = int(m.group("d")), int(m.group("m"))
        if _valid(d, mo, None):
            found.append((m.start("d"), m.end(), d, mo, None))
    return sorted(found)


def extract_event_date(sentences: list[Sentence],
                       published: DateValue | None) -> tuple[DateValue | None, Span | None]:
    """The date the event took place and its sentence: the first date in a sentence about the event,
    not a dateline and not the date of a cited decision ("Quyết định số 238-QĐ/TW, ngày 30/9/2020")."""
    fallback: tuple[DateValue | None, Span | None] = (None, None)
    for sentence in sentences:
        for start, _end, d, mo, y in _date_mentions(sentence.text):
            if _LEGAL_BEFORE_DATE.search(sentence.text[:start]):
                continue
            value = DateValue(d, mo, y) if y else resolve_year(d, mo, published)
            if EVENT_WORDS.search(sentence.text):
                return value, sentence.span
            if fallback[0] is None:
                fallback = (value, sentence.span)
    return fallback
