"""`python -m assistant ask` and `eval` as a user runs them: JSON lines, stdin batches, the
interactive chat on a terminal, and the evaluation thresholds CI holds the answerer to."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time

import pytest
from conftest import ROOT, SOURCES, run_cli

pytestmark = pytest.mark.integration   # real model, Chroma, browser or CLI processes


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    index = tmp_path_factory.mktemp("index")
    result = run_cli("ingest", "--quiet", "--sources", str(SOURCES), "--index", str(index))
    assert result.returncode == 0, result.stderr
    return index


def test_ask_json_shape(index):
    result = run_cli("ask", "--index", str(index), "--json", "Ai dự lễ ký kết ở Cần Thơ?")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert set(data) == {"question", "answer", "refused", "citations", "seconds"}
    assert data["refused"] is False and "Nguyễn Ngọc Tâm" in data["answer"]
    citation = data["citations"][0]
    assert set(citation) == {"n", "source", "title", "url", "date", "quote", "text"}
    assert citation["n"] == 1 and citation["source"] == "000_65aea955625578e5.txt"
    assert citation["quote"] in citation["text"]


def test_ask_reads_independent_questions_from_stdin(index):
    questions = "Ai dự lễ ký kết ở Quảng Bình?\nCòn ở Phú Bình thì sao?\n\nKinh phí ở Ngã Bảy là bao nhiêu?\n"
    result = subprocess.run([sys.executable, "-m", "assistant", "ask", "--index", str(index), "--json"],
                            input=questions, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert [a["question"] for a in answers] == ["Ai dự lễ ký kết ở Quảng Bình?", "Còn ở Phú Bình thì sao?",
                                                 "Kinh phí ở Ngã Bảy là bao nhiêu?"]
    assert "Lê Văn Bảo" in answers[0]["answer"]
    assert "Nguyễn Thị Loan" not in answers[1]["answer"]  # independent: no history between lines
    assert answers[2]["refused"] is True


def test_plain_output_lists_sources(index):
    result = run_cli("ask", "--index", str(index), "Ngã Bảy ký kết chương trình phối hợp vào ngày nào?")
    assert result.returncode == 0
    assert "Thời gian: 31/12/2021 [1]" in result.stdout
    assert "Nguồn:\n[1] 002_227f3e806a73c8f0.txt — Ban Tuyên giáo Ngã Bảy ký kết" in result.stdout
    assert "“Sáng ngày 31/12" in result.stdout


def _read_until(fd, marker: str, timeout: float = 120) -> str:
    buf, deadline = b"", time.monotonic() + timeout
    while marker.encode() not in buf:
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {marker!r}; got {buf.decode(errors='replace')[-500:]}")
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            try:
                buf += os.read(fd, 65536)
            except OSError:
                break
    return buf.decode(errors="replace")


def test_interactive_chat_on_a_terminal_keeps_history(index):
    pid, fd = pty.fork()
    if pid == 0:  # the child runs the CLI on the pseudo-terminal
        os.chdir(ROOT)
        os.execv(sys.executable, [sys.executable, "-m", "assistant", "ask", "--index", str(index)])
    try:
        _read_until(fd, "Bạn hỏi:")
        os.write(fd, "Ai dự lễ ký kết ở Quảng Bình?\n".encode())
        first = _read_until(fd, "Bạn hỏi:")
        assert "Lê Văn Bảo" in first
        os.write(fd, "Còn ở Phú Bình thì sao?\n".encode())
        second = _read_until(fd, "Bạn hỏi:")
        assert "Nguyễn Thị Loan" in second
        os.write(fd, b"/moi\n")
        _read_until(fd, "cuộc trò chuyện mới")
        os.write(fd, b"/thoat\n")
        _, status = os.waitpid(pid, 0)
        assert os.WEXITSTATUS(status) == 0
    finally:
        os.close(fd)


def test_eval_meets_the_ci_thresholds(index):
    result = run_cli("eval", str(ROOT / "eval" / "questions.jsonl"), "--index", str(index),
                     "--min-answer", "0.90", "--min-evidence", "0.95", "--min-refusal", "0.90")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "TỔNG" in result.stdout
    questions = [json.loads(line) for line in (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    kinds = {q["type"] for q in questions}
    assert len(questions) >= 60 and sum(q["type"] == "unanswerable" for q in questions) >= 8
    assert sum(q["type"] == "followup" and bool(q.get("history")) for q in questions) >= 5
    assert {"attendees", "contents", "date", "place", "period", "parties", "legal_basis", "list",
            "briefing", "other", "chaired", "signed"} <= kinds
    undiacritised = [q for q in questions if q["question"] == q["question"].encode("ascii", "ignore").decode()]
    assert len(undiacritised) >= 10


def test_eval_rejects_a_malformed_file(index, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "Ai?", "type": "attendees"}\nkhông phải json\n', encoding="utf-8")
    result = run_cli("eval", str(bad), "--index", str(index))
    assert result.returncode == 1 and "bad.jsonl:2" in result.stderr and "Traceback" not in result.stderr


def test_ask_without_an_index_says_what_to_do(tmp_path):
    result = run_cli("ask", "--index", str(tmp_path / "none"), "Ai?")
    assert result.returncode != 0 and "Hãy chạy `python -m assistant ingest` trước" in result.stderr


def test_an_index_of_an_earlier_version_asks_for_ingest(tmp_path, index):
    """An index built before a pipeline change lacks what the query path reads: `ask` says to run
    ingest (the articles are kept) instead of refusing every question."""
    import shutil
    import sqlite3

    old = tmp_path / "old-index"
    shutil.copytree(index, old)
    with sqlite3.connect(old / "catalog.sqlite3") as db:
        db.execute("UPDATE meta SET value = 'earlier' WHERE key = 'pipeline'")
    result = run_cli("ask", "--index", str(old), "Ai dự lễ ký kết ở Cần Thơ?")
    assert result.returncode == 1 and "python -m assistant ingest" in result.stderr and not result.stdout
    fixed = run_cli("ingest", "--quiet", "--sources", str(SOURCES), "--index", str(old))
    assert fixed.returncode == 0, fixed.stderr
    again = run_cli("ask", "--index", str(old), "Ai dự lễ ký kết ở Cần Thơ?")
    assert again.returncode == 0 and "Nguyễn Ngọc Tâm" in again.stdout
