"""The development set (../shared/devset: real articles of the genre that are not in the repository)
answered through the CLI as a user would, against the targets: answer ≥ 0.90, evidence ≥ 0.95,
refusal ≥ 0.90, false refusal ≤ 0.05, questions typed without diacritics within 3 points of accented
ones. Each half (articles a… were used for tuning, b… kept for checking) is reported. Skipped on a
machine without the development set."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from assistant.app.evaluation import EvalReport, Outcome

DEVSET = Path(os.environ.get("ASSISTANT_DEVSET", ROOT.parent / "shared" / "devset"))
pytestmark = [pytest.mark.integration,
              pytest.mark.skipif(not (DEVSET / "questions.jsonl").exists(),
                                 reason="../shared/devset is not on this machine")]
ARTIFACTS = ROOT / "artifacts"


def test_development_set_meets_the_targets(tmp_path):
    out = tmp_path / "devset.json"
    result = run_cli("eval", str(DEVSET / "questions.jsonl"), "--sources", str(DEVSET / "articles"), "--json",
                     "--out", str(out), "--min-answer", "0.90", "--min-evidence", "0.95", "--min-refusal", "0.90",
                     "--max-false-refusal", "0.05", timeout=1200)
    report = json.loads(out.read_text(encoding="utf-8"))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "devset-eval.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    summary = report["summary"]
    with_marks, without = summary["diacritics"]["with"]["answer"], summary["diacritics"]["without"]["answer"]
    assert without >= with_marks - 0.03, (with_marks, without)
    # every half on its own, as the README reports them
    for half in ("a", "b"):
        rows = [r for r in report["rows"] if r["id"].startswith(half)]
        outcomes = [Outcome({"type": r["type"], "id": r["id"], "question": r["question"]}, r["answer"],
                            r["refused"], r["answer_ok"], r["partial"], r["grounded"], r["evidence_ok"], 0.0)
                    for r in rows]
        figures = EvalReport(outcomes).summary()["overall"]
        assert figures["answer"] >= 0.85 and figures["refusal"] >= 0.8, (half, figures)
