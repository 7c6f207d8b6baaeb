"""Exports of answers and conversations: the plain text keeps the [n] markers and lists each source
(title, else the file; empty parts skipped) with its quote, with no markup; the Markdown and DOCX hold
every turn with its sources; no control or bidi override character typed in a question or read from
an article reaches any export; the briefing DOCX, whose helpers the conversation export shares, still
has its heading, lines and sources."""

from __future__ import annotations

import re

import docx
import pytest

from assistant.answers.model import Answer, Citation
from assistant.app.briefing import HEADING, to_docx
from assistant.app.exports import answer_text, clean_text, conversation_docx, conversation_markdown

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def citation(n: int, **fields: str) -> Citation:
    values = {"source": "ha_tinh.txt", "title": "Ký kết chương trình phối hợp", "url": "https://baohatinh.vn/a",
              "date": "12/04/2024", "quote": "Sáng 12/4, Ban Dân vận Tỉnh ủy và Công an tỉnh ký kết.", "text": "…"}
    return Citation(n=n, **{**values, **fields})


def answer(text: str = "Ông Nguyễn Hồng Phong dự lễ ký kết [1].\n- Bà Lê Thị Hoa [2]", question: str = "Ai dự?",
           citations: list[Citation] | None = None) -> dict:
    cited = [citation(1), citation(2, title="", url="", source="lao_cai.txt", quote="Dự có bà\nLê Thị Hoa.")] \
        if citations is None else citations
    return Answer(question, text, refused=False, citations=cited).to_json()


def test_plain_text_keeps_markers_and_lists_sources_with_quotes():
    assert answer_text(answer()) == (
        "Ông Nguyễn Hồng Phong dự lễ ký kết [1].\n- Bà Lê Thị Hoa [2]\n\nNguồn:\n"
        "[1] Ký kết chương trình phối hợp — 12/04/2024 — https://baohatinh.vn/a\n"
        "    “Sáng 12/4, Ban Dân vận Tỉnh ủy và Công an tỉnh ký kết.”\n"
        "[2] lao_cai.txt — 12/04/2024\n"
        "    “Dự có bà Lê Thị Hoa.”")


def test_plain_text_of_a_refusal_is_just_the_text_and_never_markup():
    refusal = Answer("Kinh phí?", "Không tìm thấy thông tin này trong các bài viết đã có.", refused=True).to_json()
    assert answer_text(refusal) == "Không tìm thấy thông tin này trong các bài viết đã có."
    for text in (answer_text(refusal), answer_text(answer())):
        assert "<" not in text and "&lt;" not in text and "**" not in text and "Nguồn:\n\n" not in text


def test_clean_text_removes_controls_and_bidi_overrides_only():
    assert clean_text("Ai\x00 ký\u202e kết\u2066 ở\u2069 Hà Tĩnh?\r\n\tDòng 2\x1b\x7f\x85") == \
        "Ai ký kết ở Hà Tĩnh?\n\tDòng 2"
    assert clean_text("Quảng Ninh — “Dân vận khéo” [1]") == "Quảng Ninh — “Dân vận khéo” [1]"


TRICKY = "Ai ký\u202e?txt.exe\u202c kết\x00 ở Hà Tĩnh\u2067?"


def turns() -> list[dict]:
    return [{"question": TRICKY, "answer": answer()},
            {"question": "Tóm tắt <script>alert(1)</script>",
             "answer": answer("TÓM TẮT: Hai bên ký kết\n- Thời gian: 12/04/2024 [1]\n  + chiều [1]",
                              citations=[citation(1, quote="Quote\x0b có\u202d ký tự lạ")])}]


def test_markdown_has_each_turn_with_numbered_sources():
    text = conversation_markdown(turns(), "Cuộc trò chuyện\nvề Hà Tĩnh")
    assert text.startswith("# Cuộc trò chuyện về Hà Tĩnh\n\n## Hỏi: Ai ký?txt.exe kết ở Hà Tĩnh?\n")
    assert "\n1. Ký kết chương trình phối hợp — 12/04/2024 — https://baohatinh.vn/a\n" \
           "   > “Sáng 12/4, Ban Dân vận Tỉnh ủy và Công an tỉnh ký kết.”\n" in text
    assert "\n2. lao_cai.txt — 12/04/2024\n   > “Dự có bà Lê Thị Hoa.”\n" in text
    assert "Ông Nguyễn Hồng Phong dự lễ ký kết [1].\n\n- Bà Lê Thị Hoa [2]" in text
    assert "- Thời gian: 12/04/2024 [1]\n  - chiều [1]" in text
    assert text.count("## Hỏi: ") == 2 and text.count("**Nguồn:**") == 2
    assert not re.search(r"(?<!\\)<", text) and "\\<script>" in text   # never raw HTML in a Markdown viewer
    assert not UNSAFE.search(text) and "\n\n\n" not in text


def test_docx_has_each_turn_with_its_sources_and_no_unsafe_character(tmp_path):
    path = conversation_docx(turns(), "Cuộc trò chuyện", tmp_path / "chat.docx")
    document = docx.Document(str(path))
    paragraphs = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]
    texts = [text for _style, text in paragraphs]
    assert document.core_properties.title == "Cuộc trò chuyện"
    assert ("Heading 2", "Hỏi: Ai ký?txt.exe kết ở Hà Tĩnh?") in paragraphs
    assert ("List Bullet", "Bà Lê Thị Hoa [2]") in paragraphs and ("List Bullet 2", "chiều [1]") in paragraphs
    assert "[1] Ký kết chương trình phối hợp — 12/04/2024 — https://baohatinh.vn/a" in texts
    assert "“Quote có ký tự lạ”" in texts and texts.count("Nguồn:") == 2
    assert not any(UNSAFE.search(text) for text in texts)


@pytest.mark.parametrize("bad", [{}, {"question": "Hỏi?", "answer": None}, {"question": None, "answer": {}}])
def test_a_malformed_turn_is_exported_without_failing(tmp_path, bad):
    assert conversation_markdown([bad], "T").startswith("# T\n\n## Hỏi:")
    assert conversation_docx([bad], "T", tmp_path / "t.docx").exists()


def test_the_briefing_docx_still_has_its_parts(tmp_path):
    brief = Answer("Tóm tắt nhanh lễ ký kết ở Hà Tĩnh", "TÓM TẮT: Hai bên ký kết\n- Thời gian: 12/04/2024 [1]",
                   refused=False, citations=[citation(1)])
    document = docx.Document(str(to_docx(brief, tmp_path / "brief.docx")))
    texts = [p.text for p in document.paragraphs]
    assert texts[:4] == [HEADING, "Tóm tắt nhanh lễ ký kết ở Hà Tĩnh", "Hai bên ký kết", "Thời gian: 12/04/2024 [1]"]
    assert "[1] Ký kết chương trình phối hợp — 12/04/2024 — ha_tinh.txt — https://baohatinh.vn/a" in texts
