"""Text that is safe to echo, store and export: no control characters, no bidirectional overrides.

A question or a comment typed by a user, or a passage read from a file, may carry control characters
(which break DOCX files and terminals) or the Unicode bidi override and isolate characters (which
make text display in an order other than the one it is stored in, "Trojan Source"). `clean_text`
removes both kinds and keeps everything else as written. (Articles get the same at ingest, with much
more, from `ingest.cleaning.clean_text`; this one is for short texts that never went through ingest.)
"""

from __future__ import annotations

import re

# C0 controls except tab (\x09) and newline (\x0a), DEL and the C1 controls; the embeddings and
# overrides U+202A–U+202E and the isolates U+2066–U+2069; lone surrogates and U+FFFE/U+FFFF, which
# no XML (DOCX) file may hold.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """`text` without control characters (newline and tab kept) and bidi override/isolate characters.
    A carriage return is dropped, so Windows line ends become plain newlines."""
    return _UNSAFE.sub("", text or "")


def one_line(text: str) -> str:
    """`clean_text`, with every run of whitespace (newlines included) made one space: for headings,
    titles and list items."""
    return _SPACES.sub(" ", clean_text(text)).strip()
