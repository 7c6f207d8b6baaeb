"""Pure text cleaning: Unicode normalisation and removal of the web residue real pages carry.

Input is raw decoded text of one article; output is clean article text (NFC, one paragraph or
short line per line) ready for fact extraction and chunking. Nothing here touches files.
"""

from __future__ import annotations

import re
import unicodedata

# Characters that carry no text: zero-width marks, BOMs, soft hyphens, bidi controls, private-use
# glyphs (icon fonts; the answer layer also uses that range for its citation marks).
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u202a-\u202e\u2066-\u2069\ue000-\uf8ff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")

# Whole lines that are page furniture, never article text (matched case-insensitively).
_RESIDUE_LINES = [
    r"(?:left|center|right|del|justify|top|bottom)+",                       # layout words
    r"(?:audio|video|podcast)\s*:\s*\S+\.(?:mp3|mp4|m4a|wav|ogg|aac|webm)",  # media players
    r"[\d.,]+\s*(?:lượt xem|lượt đọc|lần xem|views?)",                       # view counters
    r"\[?\s*(?:số lần xem|lượt xem|lượt đọc|đã xem)\s*:?\s*[\d.,]+\s*\]?",
    r"[\w\-. ()]+\.(?:jpe?g|png|gif|webp|bmp|tiff?)",                         # image file names
    r"(?:truy cập nội dung luôn|bỏ qua nội dung|chuyển (?:đến|tới) nội dung( chính)?|skip to (?:main )?content)",
    r"(?:khoảng\s+)?(?:một|\d+)\s+(?:giây|phút|giờ|ngày|tuần|tháng|năm)\s+trước",  # relative times
    r"(?:chia sẻ|share|in bài(?: viết)?|in trang|bản in|gửi email|gửi bài viết|lưu bài|lưu tin|"
    r"facebook|twitter|zalo|email|print|cỡ chữ|a-?\s*a\s*a\+?|tải về|quay lại|trở về|trở lại|"
    r"đầu trang|lên đầu trang|nghe bài viết|nghe đọc bài|nghe tin|0:00|sự kiện hot|tin nóng|"
    r"trang chủ|theo dõi chúng tôi trên.*|đọc thêm)",
    r"(?:[-–|•·]\s*)+",                                                      # separator rows
]
_RESIDUE_RE = re.compile(r"^(?:" + "|".join(_RESIDUE_LINES) + r")$", re.IGNORECASE)

# Inline residue inside a line of article text.
_INLINE = [
    (re.compile(r"\s*[-|]?\s*\[\s*(?:số lần xem|lượt xem)\s*:?\s*[\d.,]+\s*\]", re.I), ""),
    (re.compile(r"\s*\|?\s*[\d.,]+\s+lượt xem\s*$", re.I), ""),
    (re.compile(r"^(?:left|center|right|del)+(?=[A-ZÀ-ỸĐ])", re.I), ""),
]

# Headings after which a page has only comments, tags or related links. The article is
# truncated there, but only when the heading sits in the back part of the text, so that a
# body sentence using the same words never loses the article.
_TAIL_MARKERS = re.compile(
    r"(?:các ý kiến của bạn đọc|ý kiến bạn đọc|ý kiến của bạn|bình luận|gửi bình luận|viết bình luận|"
    r"tin liên quan|bài viết liên quan|tin cùng chuyên mục|các tin khác|tin khác|tin đã đưa|xem thêm|"
    r"từ khóa|từ khoá|tags?)[ \t]*:?",
    re.IGNORECASE,
)


def normalize_unicode(text: str) -> str:
    """NFC, unified newlines, no invisible or control characters, single spaces, trimmed lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    out: list[str] = []
    blank = False
    for line in lines:
        if not line:
            blank = bool(out)
            continue
        if blank:
            out.append("")
            blank = False
        out.append(line)
    return "\n".join(out)


def _truncate_tail(text: str) -> str:
    """Cut a trailing comments / tags / related-links section."""
    threshold = len(text) * 0.5
    for match in _TAIL_MARKERS.finditer(text):
        if match.start() < threshold:
            continue
        start, end = match.start(), match.end()
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end == -1 else line_end
        rest_of_line = text[end:line_end].strip()
        at_line_start = not text[line_start:start].strip()
        # Glued to the end of a sentence ("...địa bàn.Võ Minh LuânCác ý kiến của bạn đọc").
        glued = start > line_start and not text[start - 1].isspace() and not rest_of_line
        # A heading on its own line, or "Từ khóa: a, b, c" on its own line.
        heading = at_line_start and (not rest_of_line or match.group(0).rstrip().endswith(":"))
        if glued or heading:
            return text[:start].rstrip()
    return text


def strip_residue(text: str) -> str:
    """Remove page furniture lines and inline counters from normalised text."""
    text = _truncate_tail(text)
    kept = []
    for line in text.split("\n"):
        if line and _RESIDUE_RE.match(line):
            continue
        for pattern, repl in _INLINE:
            line = pattern.sub(repl, line)
        kept.append(line.strip())
    return normalize_unicode("\n".join(kept))


def clean_text(raw: str) -> str:
    """Full cleaning pipeline for the body of one article."""
    return strip_residue(normalize_unicode(raw))
