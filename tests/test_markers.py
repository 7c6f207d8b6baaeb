"""The quick loop stays quick: in a run without integration tests, a test that loads the real model
fails and says how to fix it; the fake embedder still works there."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

PROBE = '''
from assistant.config import load_settings
from assistant.embedding.encoder import Embedder


def test_loads_the_real_model():
    Embedder(load_settings())


def test_uses_the_fake():
    from fakes import fake_embedder

    assert fake_embedder().embed_query("ký kết").shape == (512,)
'''


def test_a_unit_test_cannot_load_the_real_model(tmp_path):
    probe = tmp_path / "test_probe.py"
    probe.write_text(PROBE, encoding="utf-8")
    tests = ROOT / "tests"
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "conftest",
                          "-m", "not integration", "--rootdir", str(tmp_path), str(probe)],
                         capture_output=True, text=True, cwd=tmp_path, timeout=300,
                         env={"PYTHONPATH": str(tests), "PATH": "/usr/bin:/bin",
                              "ASSISTANT_MODEL_CACHE": str(ROOT / ".cache" / "models")})
    assert "1 failed, 1 passed" in run.stdout, run.stdout + run.stderr
    assert "outside the `integration` marker" in run.stdout
