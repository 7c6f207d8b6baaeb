"""`python -m assistant bench` works end to end at a small scale (timings are not asserted here:
they belong to the benchmark's output, not to tests)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT

pytestmark = pytest.mark.integration


def test_bench_200_articles_against_the_baseline(tmp_path):
    out = tmp_path / "bench.jsonl"
    done = subprocess.run([sys.executable, "-m", "assistant", "bench", "--articles", "200", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=1800,
                          env={**os.environ, "TMPDIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert json.loads(out.read_text(encoding="utf-8").splitlines()[-1]) == result
    base = result["baseline"]
    assert result["articles"] == base["articles"] == 200 and result["rejected"] == 0
    for system in (result, base):
        for key in ("chunks", "ingest_s", "passages_per_s", "answer_p50_ms", "answer_p95_ms", "retrieval_p50_ms",
                    "peak_rss_mb", "index_mb"):
            assert system[key] > 0, key
        assert system["answer_p95_ms"] >= system["answer_p50_ms"]
        assert system["quality"]["eval"]["n"] >= 50 and system["quality"]["synthetic"]["n"] == 300
    assert result["chunks"] > result["articles"]
    assert result["ingest_ratio"] == pytest.approx(result["passages_per_s"] / base["passages_per_s"], abs=0.01)
    assert result["answer_ratio"] == pytest.approx(result["answer_p50_ms"] / base["answer_p50_ms"], abs=0.01)
    # retrieval quality is deterministic for a fixed corpus: ours must not rank worse than the baseline
    for questions in ("eval", "synthetic"):
        ours, theirs = result["quality"][questions], base["quality"][questions]
        assert ours["hit@5"] >= theirs["hit@5"] and ours["mrr"] >= theirs["mrr"], questions
    # the work folder (corpus and both indexes) is removed afterwards
    assert not list(tmp_path.glob("assistant-bench-*"))


def test_bench_rejects_a_bad_article_count():
    done = subprocess.run([sys.executable, "-m", "assistant", "bench", "--articles", "0"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "--articles" in done.stderr
