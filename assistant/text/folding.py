"""Comparable forms of Vietnamese text (pure): one tone-mark placement, diacritics folded, or both
lower-cased and spaced alike. Used by every stage that matches text; nothing here is for display."""

from __future__ import annotations

import re
import unicodedata

_NEW_STYLE = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "oè": "òe", "oé": "óe",
              "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe", "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}
_NEW_STYLE_RE = re.compile("|".join(_NEW_STYLE))


def lower_tones(text: str) -> str:
    """Lower case with one tone-mark placement ("Uỷ"/"Ủy", "Toà"/"Tòa" compare equal), marks kept."""
    return _NEW_STYLE_RE.sub(lambda m: _NEW_STYLE[m.group(0)], unicodedata.normalize("NFC", text.lower()))


def _fold_table() -> dict[int, str]:
    table = {}
    for code in range(0xC0, 0x1EFA):
        ch = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if base != ch and base:
            table[code] = base
    table[ord("đ")] = "d"
    table[ord("Đ")] = "d"
    return table


_FOLD = _fold_table()
_COMBINING = re.compile("[\u0300-\u036f]")


def fold(text: str) -> str:
    """Diacritics-insensitive form: lower case, marks dropped, đ→d (for matching, never display)."""
    text = text.lower()
    if _COMBINING.search(text):   # decomposed input: compose first, so the table applies
        text = unicodedata.normalize("NFC", text)
        text = _COMBINING.sub("", text)
    return text.translate(_FOLD)


def comparable(text: str) -> str:
    """NFC, lower case, single spaces: how answers and evidence strings are compared."""
    return " ".join(unicodedata.normalize("NFC", text or "").lower().split())
