"""Load article files into clean `Article`s, or reject them with a reason a user can act on.

Formats: .txt/.md (UTF-8 with or without BOM, UTF-16 with BOM), .html/.htm (visible article text
only, through trafilatura), .docx (`word`), .pdf (`pdf`: text layer, OCR of scanned pages). PDF and
DOCX keep their page boundaries (`Article.pages`) for citations. Leading `URL: …` / `Title: …` header lines are metadata, not body
text. Everything is normalised to NFC and stripped of web residue (see `cleaning`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.errors import Rejected
from assistant.ingest.cleaning import clean_text, normalize_unicode
from assistant.ingest.pdf import page_starts, parse_pdf
from assistant.ingest.word import parse_docx

if TYPE_CHECKING:  # bs4 is imported when an HTML file is read
    from bs4 import BeautifulSoup, Tag

SUPPORTED = {".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf"}
MIN_ARTICLE_CHARS = 80       # shorter "articles" are page stubs, not text to answer from
MAX_ARTICLE_CHARS = 300_000  # about 100 printed pages; news articles are far shorter

# Header keys accepted at the top of a text file, mapped to canonical names.
_HEADER_KEYS = {
    "url": "url", "link": "url", "nguồn": "url", "source": "url",
    "title": "title", "tiêu đề": "title",
    "date": "date", "published": "date", "ngày": "date", "ngày đăng": "date",
    "author": "author", "tác giả": "author",
}
_HEADER_RE = re.compile(r"^\s*([A-Za-zÀ-ỹĐđ ]{2,12})\s*:\s*(.*?)\s*$")
_SAFE_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


@dataclass(frozen=True)
class Article:
    """One loaded article: clean body text plus the metadata its file carried."""

    source: str                      # path relative to the sources folder, POSIX style
    text: str                        # clean body text (NFC)
    content_hash: str                # sha256 of the file's bytes
    title: str = ""                  # from a header line or the HTML/DOCX metadata
    url: str = ""
    header: dict = field(default_factory=dict)   # other header fields (date, author)
    pages: tuple[tuple[int, int], ...] = ()      # (page number, start offset in `text`) of a paged file


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def discover(sources_dir: Path, exclude: Iterable[Path] = ()) -> list[Path]:
    """Every regular file under `sources_dir`, hidden files and folders excluded, sorted.

    Folders in `exclude` that lie inside `sources_dir` are skipped too (the index folder and its
    trash, when the index is kept inside the sources folder); the sources folder itself cannot be."""
    skipped = _inner_parts(Path(sources_dir), exclude)
    found = []
    for path in sorted(Path(sources_dir).rglob("*")):
        rel = path.relative_to(sources_dir)
        if any(part.startswith(".") for part in rel.parts) or any(rel.parts[:len(s)] == s for s in skipped):
            continue
        if path.is_file() and not path.is_symlink():
            found.append(path)
    return found


def _inner_parts(sources_dir: Path, folders: Iterable[Path]) -> list[tuple[str, ...]]:
    """The path parts, relative to the sources folder, of those folders strictly inside it."""
    root = sources_dir.resolve()
    parts = []
    for folder in folders:
        try:
            rel = Path(folder).resolve().relative_to(root).parts
        except ValueError:   # not inside the sources folder: nothing to skip
            continue
        if rel:
            parts.append(rel)
    return parts


def source_name(path: Path, sources_dir: Path) -> str:
    return Path(path).relative_to(sources_dir).as_posix()


def check_size(size: int, max_bytes: int) -> None:
    """The one size limit of a source file (ingest, uploads): raises `Rejected` when it is empty or too large."""
    if size == 0:
        raise Rejected("tệp rỗng")
    if size > max_bytes:
        raise Rejected(f"tệp quá lớn ({size / 1048576:.1f} MB, giới hạn {max_bytes / 1048576:.0f} MB)")


def load_file(path: Path, sources_dir: Path, max_bytes: int) -> Article:
    """Read, decode, clean one file. Raises `Rejected` with the reason when it cannot be indexed."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise Rejected(f"định dạng không hỗ trợ ({suffix or 'không có đuôi'}); "
                       f"chỉ nhận {', '.join(sorted(SUPPORTED))}")
    check_size(path.stat().st_size, max_bytes)
    data = path.read_bytes()
    return load_bytes(data, source_name(path, sources_dir), suffix)


def load_bytes(data: bytes, source: str, suffix: str) -> Article:
    """Parse file content already in memory (used by ingest and by uploads)."""
    if not data:
        raise Rejected("tệp rỗng")
    parser = {".txt": _parse_text, ".md": _parse_markdown, ".markdown": _parse_markdown,
              ".html": _parse_html, ".htm": _parse_html, ".docx": parse_docx, ".pdf": parse_pdf}.get(suffix)
    if parser is None:
        raise Rejected(f"định dạng không hỗ trợ ({suffix})")
    body, meta = parser(data)
    page_texts = meta.pop("pages", None)
    header, body = split_header(body)
    for key, value in meta.items():
        header.setdefault(key, value)
    if len(body) > 4 * MAX_ARTICLE_CHARS:  # don't even clean it
        raise Rejected(f"văn bản quá dài ({len(body):,} ký tự, giới hạn {MAX_ARTICLE_CHARS:,}): không giống một bài báo")
    text = clean_text(body)
    if len(text) > MAX_ARTICLE_CHARS:
        raise Rejected(f"văn bản quá dài ({len(text):,} ký tự, giới hạn {MAX_ARTICLE_CHARS:,}): không giống một bài báo")
    if len(text) < MIN_ARTICLE_CHARS or not re.search(r"[A-Za-zÀ-ỹĐđ]{2,}", text):
        raise Rejected("không có nội dung bài viết")
    url = header.pop("url", "")
    title = normalize_unicode(header.pop("title", "")).replace("\n", " ")
    return Article(source=source, text=text, content_hash=file_hash(data),
                   title=title, url=url if _SAFE_URL.match(url or "") else "", header=header,
                   pages=page_starts(text, page_texts) if isinstance(page_texts, list) else ())


def split_header(text: str) -> tuple[dict, str]:
    """Take `Key: value` metadata lines off the top of a text (URL, Title, Date, Author…)."""
    header: dict[str, str] = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i].strip().lstrip("\ufeff")
        if not line:
            i += 1
            continue
        match = _HEADER_RE.match(line)
        key = _HEADER_KEYS.get(match.group(1).strip().lower()) if match else None
        if not key or not match or not match.group(2):
            break
        if key == "url" and not _SAFE_URL.match(match.group(2)):
            break  # "Nguồn: Báo X" is a body line, not a link
        header.setdefault(key, match.group(2))
        i += 1
    return header, "\n".join(lines[i:])


# ---------------------------------------------------------------- text formats

def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; anything else is rejected."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16")
    if data.count(b"\x00") > max(2, len(data) // 100):
        raise Rejected("tệp nhị phân, không phải văn bản")
    return _strict(data, "utf-8")


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise Rejected(f"không giải mã được văn bản (không phải UTF-8, hay UTF-16 có BOM; lỗi ở byte "
                       f"{exc.start}); hãy lưu lại tệp ở dạng UTF-8") from exc


def _parse_text(data: bytes) -> tuple[str, dict]:
    return decode_text(data), {}


_MD_RULES = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),                      # images
    (re.compile(r"\[([^\]]+)\]\((?:[^)]*)\)"), r"\1"),               # links -> their text
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.M), ""),                     # heading marks
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),                          # block quotes
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),                         # bold
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)"), r"\1"),   # italics
    (re.compile(r"^\s*(?:[-*_]\s*){3,}$", re.M), ""),                 # rules
    (re.compile(r"<[^>\n]+>"), ""),                                   # inline HTML tags
]


def _parse_markdown(data: bytes) -> tuple[str, dict]:
    text = decode_text(data)
    header, body = split_header(text)
    for pattern, repl in _MD_RULES:
        body = pattern.sub(repl, body)
    return body, header


# ---------------------------------------------------------------- HTML

_DROP_TAGS = ["script", "style", "noscript", "template", "iframe", "svg", "canvas", "form", "button",
              "input", "select", "textarea", "nav", "header", "footer", "aside", "menu", "object",
              "embed", "video", "audio", "img", "picture", "source", "link", "meta"]
_DROP_CLASS = re.compile(
    r"comment|binh-?luan|related|lien-?quan|share|social|breadcrumb|menu|sidebar|footer|header|navbar|"
    r"\bnav\b|advert|\bads?\b|banner|\btags?\b|keyword|tu-?khoa|popup|cookie|login|search|pagination|"
    r"rating|vote|subscribe|newsletter|most-?read|xem-?nhieu|tin-?khac|other-?news", re.I)
_CONTENT_HINT = re.compile(r"article|content|detail|post|entry|story|body|noi-?dung|chi-?tiet|main", re.I)
_BLOCKS = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
           "table", "tr", "blockquote", "figure", "figcaption", "pre", "dd", "dt", "dl", "td", "th"}


def _parse_html(data: bytes) -> tuple[str, dict]:
    """A saved web page: the article's text and its title, URL, date and author, through trafilatura
    (maintained against thousands of news layouts); our own extraction only where it finds nothing."""
    from bs4 import BeautifulSoup

    text = _decode_html(data)
    soup = BeautifulSoup(text, "lxml")
    meta = _html_meta(soup)
    extracted = _trafilatura(text)
    if extracted is not None:
        body, found = extracted
        return _with_title(body, {**meta, **found})
    return _fallback_html(soup, meta)


def _trafilatura(html: str) -> tuple[str, dict] | None:
    try:
        import trafilatura

        document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                               include_tables=True, include_images=False, include_links=False)
    except Exception:   # a page trafilatura cannot take: the fallback reads it
        return None
    body = getattr(document, "text", None) or ""
    if len(body.strip()) < MIN_ARTICLE_CHARS:
        return None
    meta = {key: value for key in ("title", "url", "date", "author")
            if isinstance(value := getattr(document, key, None), str) and value.strip()}
    return body, meta


def _with_title(body: str, meta: dict) -> tuple[str, dict]:
    title = meta.get("title", "")
    if title and title not in body[:500]:
        body = title + "\n" + body
    return body, meta


def _fallback_html(soup: BeautifulSoup, meta: dict) -> tuple[str, dict]:
    """The densest block of paragraphs, with menus, comments, share bars and related links dropped."""
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed or tag.name in ("html", "body"):
            continue
        ident = str(tag.get("id") or "")
        marker = " ".join(tag.get("class") or []) + " " + ident
        if marker.strip() and _DROP_CLASS.search(marker) and not _CONTENT_HINT.search(ident):
            tag.decompose()
    root = _main_container(soup)
    if root is None:
        return "", meta
    for br in root.find_all("br"):
        br.replace_with("\n")
    for tag in root.find_all(_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    return _with_title(root.get_text(), meta)


def _decode_html(data: bytes) -> str:
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_text(data)
    head = data[:2048].decode("ascii", "ignore").lower()
    declared = re.search(r"charset=[\"']?([\w-]+)", head)
    if declared and declared.group(1) not in ("utf-8", "utf8"):
        try:
            return data.decode(declared.group(1))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)


def _html_meta(soup: BeautifulSoup) -> dict:
    def content(*selectors: str) -> str:
        for sel in selectors:
            tag = soup.select_one(sel)
            if tag is not None:
                raw = tag.get("content") or tag.get("href") or tag.get("datetime") or ""
                # single-valued attributes (bs4 gives lists only for class, rel and such)
                value = raw.strip() if isinstance(raw, str) else ""
                if value:
                    return value
        return ""

    meta = {}
    h1 = soup.find("h1")
    title = content('meta[property="og:title"]', 'meta[name="title"]') or (h1.get_text(" ", strip=True) if h1 else "")
    if not title and soup.title:
        title = re.split(r"\s+[|\-–—]\s+", soup.title.get_text(" ", strip=True))[0]
    if title:
        meta["title"] = title
    url = content('link[rel="canonical"]', 'meta[property="og:url"]')
    if url:
        meta["url"] = url
    date = content('meta[property="article:published_time"]', 'meta[itemprop="datePublished"]',
                   'time[datetime]', 'meta[name="pubdate"]')
    if date:
        meta["date"] = date
    author = content('meta[name="author"]')
    if author:
        meta["author"] = author
    return meta


def _main_container(soup: BeautifulSoup) -> Tag:
    """The element holding the article: <article>/articleBody if present, else the densest text block."""
    def paragraph_text(tag: Tag) -> int:
        return sum(len(p.get_text(" ", strip=True)) for p in tag.find_all("p"))

    best: Tag | None
    explicit = soup.select('[itemprop="articleBody"]') or soup.find_all("article")
    if explicit:
        best = max(explicit, key=paragraph_text)
        if paragraph_text(best) > 0 or len(best.get_text(strip=True)) > MIN_ARTICLE_CHARS:
            return best
    best, best_score = None, 0
    for tag in soup.find_all(["div", "section", "main", "td"]):
        direct = sum(len(c.get_text(" ", strip=True)) for c in tag.find_all("p", recursive=False))
        if direct > best_score:
            best, best_score = tag, direct
    return best or soup.body or soup

