"""Sentence splitting, chunking and the lexical analyser, on real article text and tricky strings."""

from __future__ import annotations

from itertools import pairwise

import pytest
from conftest import SOURCES, TEST_ARTICLES, article_files

from assistant.index.lexical import index_terms, query_terms
from assistant.ingest.chunking import chunk_text
from assistant.ingest.loading import load_file
from assistant.text.sentences import split_sentences


def text_of(path):
    return load_file(path, path.parent, 20 * 1024 * 1024).text


@pytest.mark.parametrize("text, expected", [
    ("Câu một. Câu hai! Câu ba?", ["Câu một.", "Câu hai!", "Câu ba?"]),
    ("Tại TP. Hồ Chí Minh, ThS. Nguyễn Văn A phát biểu. Hết.", ["Tại TP. Hồ Chí Minh, ThS. Nguyễn Văn A phát biểu.",
                                                                "Hết."]),
    ("Số 238-QĐ/TW và TP.HCM, tỷ lệ 1.3 triệu. Tiếp theo.", ["Số 238-QĐ/TW và TP.HCM, tỷ lệ 1.3 triệu.",
                                                            "Tiếp theo."]),
    ("trên địa bàn.Võ Minh Luân", ["trên địa bàn.", "Võ Minh Luân"]),
    ("Ông nói: “Phải làm ngay.” Sau đó ra về.", ["Ông nói: “Phải làm ngay.”", "Sau đó ra về."]),
    ("Dòng một\nDòng hai. Câu ba.", ["Dòng một", "Dòng hai.", "Câu ba."]),
])
def test_sentences(text, expected):
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == expected
    assert all(text[s.start:s.end] == s.text for s in sentences)


@pytest.mark.parametrize("path", [SOURCES / p.name for p in sorted(SOURCES.iterdir())] + article_files(),
                         ids=lambda p: p.name)
def test_chunks_cover_the_article_with_exact_offsets(path):
    text = text_of(path)
    chunks = chunk_text(path.name, text, sentences_per_chunk=4, overlap=1, max_chars=1000)
    assert chunks and [c.position for c in chunks] == list(range(len(chunks)))
    covered = set()
    for chunk in chunks:
        assert chunk.text == text[chunk.start:chunk.end]
        for a, b in chunk.sentences:
            assert chunk.start <= a < b <= chunk.end
            covered.add((a, b))
    assert covered == {(s.start, s.end) for s in split_sentences(text)}  # nothing lost


def test_short_lines_never_stand_alone():
    text = text_of(TEST_ARTICLES / "hai_phong_tuyen_giao_quan_su.txt")
    for chunk in chunk_text("x", text, 2, 1, 1000):
        assert len(chunk.text.split()) >= 8, chunk.text
    caption = "Đại diện lãnh đạo các cơ quan ký kết chương trình."
    assert any(caption in c.text and len(c.sentences) > 1 for c in chunk_text("x", text, 2, 1, 1000))


def test_neighbouring_chunks_overlap_by_one_sentence():
    text = text_of(SOURCES / "001_3366221248b33ad7.txt")
    chunks = chunk_text("x", text, 3, 1, 2000)
    assert len(chunks) > 2
    for left, right in pairwise(chunks):
        assert set(left.sentences) & set(right.sentences)


def test_max_chars_bounds_chunks_except_single_long_units():
    text = text_of(SOURCES / "001_3366221248b33ad7.txt")
    for chunk in chunk_text("x", text, 10, 1, 600):
        assert len(chunk.text) <= 600 or len(chunk.sentences) <= 3


def test_chunk_ids_are_stable_and_distinct_per_file():
    text = text_of(SOURCES / "004_deced359ded4c1cd.txt")
    a = chunk_text("a.txt", text)[0]
    b = chunk_text("b.txt", text)[0]
    assert a.chunk_id("h" * 64) == chunk_text("a.txt", text)[0].chunk_id("h" * 64)
    assert a.chunk_id("h" * 64) != b.chunk_id("h" * 64)


def test_lexical_terms_fold_diacritics_and_keep_compounds():
    terms = index_terms("Lễ ký kết ở Cần Thơ của Đảng")
    assert {"ky", "ket", "ky_ket", "can", "tho", "can_tho", "dang"} <= set(terms)
    assert {"ky", "ket", "can", "tho"} <= set(query_terms("ky ket o Can Tho"))
    assert "la" not in query_terms("Ai là người ký?")
