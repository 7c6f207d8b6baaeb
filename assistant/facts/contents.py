"""What a program covers (its content items) and what its leaders asked for (directives), each item
with the sentence it was taken from."""

from __future__ import annotations

import re

from assistant.facts.model import Item, Span
from assistant.text.sentences import Sentence

# Explicit lists first ("Nội dung phối hợp gồm: …", "các nội dung trọng tâm như: …"), then the
# looser "hai bên thống nhất phối hợp …" forms, used only when an article has no explicit list.
_CONTENT_TRIGGERS = [
    re.compile(r"(?:(?:các|những|\d+)\s+)?nội dung(?: chương trình| phối hợp| chương trình phối hợp)?[^:;.]{0,60}?"
               r"(?:gồm|bao gồm|tập trung vào|tập trung|là|như)\s*:?\s*"
               r"|phối hợp (?:thực hiện |tập trung vào )?(?:các|những) nội dung(?: trọng tâm| chính)?(?: như| sau)?\s*:?\s*"
               r"|(?:gồm|có) (?:\d+ |các |những |\w+ )?nội dung(?: chính| trọng tâm| cơ bản)?\s*:\s*"
               r"|^nội dung (?:chương trình )?phối hợp\s+", re.I),
    re.compile(r"(?:thống nhất|sẽ|cùng)\s+phối hợp(?:\s+thực hiện)?\s+(?=\w)"
               r"|(?:hai|ba|bốn|các|\d+)\s+(?:bên|cơ quan|ngành|đơn vị)\s+(?:sẽ\s+)?phối hợp\s+(?=\w)", re.I),
]
_CONTINUATION = re.compile(r"^(?:bên cạnh đó|đồng thời|ngoài ra|cùng với đó)\s*,?\s*", re.I)


def _items_from(text: str, span: Span) -> list[Item]:
    items = []
    for part in re.split(r";\s*", text):
        part = re.sub(r"^(?:và|cùng|trong|về)\s+", "", part.strip())
        part = re.sub(r"[\s,.…]+$", "", part).rstrip(".").strip()
        if len(part.split()) >= 3:
            items.append(Item(part[0].upper() + part[1:], span))
    return items


def extract_contents(sentences: list[Sentence], text: str) -> tuple[Item, ...]:
    """The program's content items: the list after "Nội dung phối hợp gồm:", "các nội dung trọng tâm
    như:", "hai bên thống nhất phối hợp …", split at ";" and continued by the following sentences of
    the same paragraph when the list was opened with a colon or goes on with "Bên cạnh đó", bullets."""
    for trigger in _CONTENT_TRIGGERS:
        items = _contents_after(trigger, sentences, text)
        if items:
            return tuple(items)
    return ()


def _contents_after(trigger: re.Pattern, sentences: list[Sentence], text: str) -> list[Item]:
    items: list[Item] = []
    for i, sentence in enumerate(sentences):
        m = trigger.search(sentence.text)
        if not m or items:
            continue
        if "ký kết" in sentence.text[:m.start()].lower() and not m.group(0).rstrip().endswith(":"):
            continue  # "… tổ chức ký kết chương trình phối hợp với …" names parties, not contents
        rest = sentence.text[m.end():]
        opened = m.group(0).rstrip().endswith(":") or not rest.strip()
        items.extend(_items_from(rest, (sentence.start, sentence.end)))
        paragraph_end = text.find("\n", sentence.start)
        paragraph_end = len(text) if paragraph_end == -1 else paragraph_end
        for nxt in sentences[i + 1:]:
            bullet = re.match(r"^[-+•*]\s*", nxt.text)
            same_paragraph = nxt.start < paragraph_end
            if bullet and opened:
                items.extend(_items_from(nxt.text[bullet.end():], (nxt.start, nxt.end)))
                paragraph_end = max(paragraph_end, nxt.end)
                continue
            cont = _CONTINUATION.match(nxt.text)
            if same_paragraph and (opened or cont):
                items.extend(_items_from(nxt.text[cont.end() if cont else 0:], (nxt.start, nxt.end)))
                continue
            break
    return items


_DIRECTIVE = re.compile(r"(?:đề nghị|yêu cầu)\s*:?\s*", re.I)


def extract_directives(sentences: list[Sentence], text: str) -> tuple[Item, ...]:
    """What the leaders asked for in their speeches ("Đồng chí đề nghị: …"), one item per sentence."""
    items: list[Item] = []
    for i, sentence in enumerate(sentences):
        m = _DIRECTIVE.search(sentence.text)
        if not m or not re.search(r"đề nghị|yêu cầu", sentence.text, re.I):
            continue
        before = sentence.text[:m.start()]
        spoken = re.search(r"đồng chí|ông|bà|phát biểu|chỉ đạo|lãnh đạo|chủ tịch|bí thư|trưởng ban", before, re.I)
        if not spoken:
            continue  # "… nội dung, yêu cầu đã thống nhất" is a noun, not a directive
        span = (sentence.start, sentence.end)
        body = sentence.text[m.end():].strip()
        if body:
            items.append(Item(body[0].upper() + body[1:].rstrip("."), span))
        if sentence.text[m.start():m.end()].rstrip().endswith(":") or len(body.split()) < 12:
            paragraph_end = text.find("\n", sentence.start)
            paragraph_end = len(text) if paragraph_end == -1 else paragraph_end
            for nxt in sentences[i + 1:i + 6]:
                if nxt.start >= paragraph_end:
                    break
                items.append(Item(nxt.text.rstrip("."), (nxt.start, nxt.end)))
    seen: dict[str, Item] = {}
    for item in items:
        seen.setdefault(item.text, item)
    return tuple(seen.values())
