"""Render answers, sources and the corpus for the web UI, with everything from articles escaped.

Article text comes from the web: it may carry `<script>`, `<img onerror=…>`, `javascript:` links or
remote images. Every string that reaches HTML goes through `html.escape`; links are emitted only for
http(s) URLs. The HTML is one line without blank lines, so the chat's Markdown renderer treats it as
a raw HTML block and never interprets Markdown inside article text (no remote images through
`![](…)`).
"""

from __future__ import annotations

import html
import re
import uuid
from urllib.parse import quote as quote_url

from assistant.answers import Answer, Citation
from assistant.app.exports import answer_text
from assistant.index.catalog import ArticleRow
from assistant.text.plain import clean_text

_SAFE_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
_MARK = re.compile(r"\[(\d+)\]")


def esc(text: str) -> str:
    return html.escape(text or "", quote=True)


def _lines_html(text: str) -> str:
    return "<br>".join(esc(line) for line in (text or "").split("\n"))


def question_html(question: str) -> str:
    """The question as typed, as text: control and bidi-override characters removed."""
    return f'<div class="question">{_lines_html(clean_text(question))}</div>'


def citation_html(c: Citation, anchor: str, place: str = "") -> str:
    before, quote, after = c.text[:c.quote_start], c.text[c.quote_start:c.quote_end], c.text[c.quote_end:]
    meta = [esc(c.title or c.source)]
    if c.page is not None:
        meta.append(f"trang {c.page}")
    if c.date:
        meta.append(esc(c.date))
    if place:
        meta.append(esc(place))
    link = ""
    if c.url and _SAFE_URL.match(c.url):
        link = f' — <a href="{esc(c.url)}" target="_blank" rel="noopener noreferrer nofollow">liên kết</a>'
    file = f' <span class="file">({esc(c.source)})</span>' if c.title and c.title != c.source else ""
    whole = f' <a class="whole-article" href="#toan-bai:{quote_url(c.source)}">Xem toàn bài</a>'
    return (f'<details class="source" id="{anchor}-{c.n}"><summary><b>[{c.n}]</b> {" — ".join(meta)}{link}'
            f'{file}{whole}</summary>'
            f'<div class="passage">{_lines_html(before)}<mark>{_lines_html(quote)}</mark>{_lines_html(after)}</div>'
            f'</details>')


def answer_html(answer: Answer, places: dict[str, str] | None = None) -> str:
    """The answer with [n] markers linked to its sources, each source expandable to its passage."""
    anchor = "a" + uuid.uuid4().hex[:8]
    body = _MARK.sub(lambda m: f'<sup><a href="#{anchor}-{m.group(1)}">[{m.group(1)}]</a></sup>',
                     _lines_html(answer.answer))
    parts = [f'<div class="answer{" refused" if answer.refused else ""}">{body}</div>']
    if answer.citations:
        places = places or {}
        sources = "".join(citation_html(c, anchor, places.get(c.source, "")) for c in answer.citations)
        parts.append(f'<div class="sources"><div class="sources-title">Nguồn</div>{sources}</div>')
    # the plain text the copy button copies (newlines as entities: the HTML stays one line)
    plain = esc(answer_text(answer.to_json())).replace("\n", "&#10;")
    parts.append(f'<div class="plain">{plain}</div>')
    return f'<div class="answer-block">{"".join(parts)}</div>'


def article_html(row: ArticleRow, text: str, quote: str = "") -> str:
    """A whole article (title, date, place, link), the quote highlighted where it occurs."""
    facts = row.facts
    meta = " — ".join(esc(x) for x in (facts.date_text(), facts.place.display(), row.source) if x)
    link = ""
    if row.url and _SAFE_URL.match(row.url):
        link = f' — <a href="{esc(row.url)}" target="_blank" rel="noopener noreferrer nofollow">liên kết</a>'
    start = text.find(quote) if quote else -1
    if start >= 0:
        body = (f"{esc(text[:start])}<mark id=\"article-quote\">{esc(quote)}</mark>"
                f"{esc(text[start + len(quote):])}")
    else:
        body = esc(text)
    return (f'<div class="article-head"><b>{esc(facts.title or row.source)}</b><div class="meta">{meta}{link}'
            f'</div></div><div class="article-view">{body}</div>')


def streaming_html(text: str) -> str:
    return f'<div class="answer streaming">{_lines_html(text)}</div>'


def error_html(message: str) -> str:
    return f'<div class="answer error">{esc(message)}</div>'


CORPUS_HEADERS = ["Ngày", "Địa điểm", "Các bên", "Giai đoạn", "Tiêu đề", "Tệp"]


def corpus_rows(rows: list[ArticleRow]) -> list[list[str]]:
    """One row per indexed program, newest first (plain text; the table renders it as text)."""
    def key(row: ArticleRow) -> str:
        d = row.facts.when
        return d.iso() if d and d.year else "0000"

    out = []
    for row in sorted(rows, key=key, reverse=True):
        f = row.facts
        out.append([f.date_text(), f.place.display(), ", ".join(f.parties), f.period.replace("-", " - "), f.title,
                    row.source])
    return out
