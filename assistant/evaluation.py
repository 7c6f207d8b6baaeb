"""Evaluation harness: answer accuracy, evidence recall and refusals over a JSONL question set.

Each line: {"id", "question", "type", "must_contain": [...], "evidence": "...", "history": [...]}.
`type` "unanswerable" (with an empty must_contain) marks what the corpus cannot answer; `history`
(optional) lists earlier questions of the same conversation, replayed first (follow-ups).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .answering import Conversation
from .cleaning import comparable


class EvalFileError(ValueError):
    """A malformed question file; the message names the line."""


def load_questions(path: Path) -> list[dict]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalFileError(f"Không đọc được tệp câu hỏi {path}: {exc}") from exc
    questions = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalFileError(f"{path}:{number}: không phải JSON ({exc.msg})") from exc
        if not isinstance(item, dict) or not isinstance(item.get("question"), str) or "type" not in item:
            raise EvalFileError(f"{path}:{number}: thiếu trường 'question' hoặc 'type'")
        item.setdefault("id", str(number))
        item.setdefault("must_contain", [])
        item.setdefault("history", [])
        questions.append(item)
    return questions


@dataclass
class Outcome:
    item: dict
    answer: str
    refused: bool
    answer_ok: bool
    evidence_ok: bool | None
    seconds: float


@dataclass
class EvalReport:
    outcomes: list[Outcome] = field(default_factory=list)

    def _group(self, outcomes: list[Outcome]) -> dict:
        answerable = [o for o in outcomes if o.item["type"] != "unanswerable"]
        unanswerable = [o for o in outcomes if o.item["type"] == "unanswerable"]
        with_evidence = [o for o in answerable if o.evidence_ok is not None]
        return {
            "n": len(outcomes),
            "answer": sum(o.answer_ok for o in answerable) / len(answerable) if answerable else None,
            "evidence": sum(o.evidence_ok for o in with_evidence) / len(with_evidence) if with_evidence else None,
            "refusal": sum(o.refused for o in unanswerable) / len(unanswerable) if unanswerable else None,
            "false_refusals": sum(o.refused for o in answerable),
        }

    def summary(self) -> dict:
        by_type = defaultdict(list)
        for o in self.outcomes:
            by_type[o.item["type"]].append(o)
        return {"overall": self._group(self.outcomes), "by_type": {t: self._group(v) for t, v in sorted(by_type.items())}}

    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.answer_ok or o.evidence_ok is False]

    def table(self) -> str:
        def fmt(value):
            return "—" if value is None else f"{value:.2f}"

        summary = self.summary()
        rows = [f"{'loại':<14}{'số câu':>7}{'trả lời':>9}{'dẫn chứng':>11}{'từ chối':>9}{'từ chối sai':>13}"]
        for name, g in list(summary["by_type"].items()) + [("TỔNG", summary["overall"])]:
            rows.append(f"{name:<14}{g['n']:>7}{fmt(g['answer']):>9}{fmt(g['evidence']):>11}{fmt(g['refusal']):>9}"
                        f"{g['false_refusals']:>13}")
        return "\n".join(rows)


def evaluate(assistant, questions: list[dict]) -> EvalReport:
    report = EvalReport()
    for item in questions:
        conversation = Conversation()
        for earlier in item.get("history", []):
            assistant.ask(earlier, conversation)
        answer = assistant.ask(item["question"], conversation)
        text = comparable(answer.answer)
        if item["type"] == "unanswerable":
            answer_ok = answer.refused
            evidence_ok = None
        else:
            answer_ok = not answer.refused and all(comparable(m) in text for m in item.get("must_contain", []))
            evidence = item.get("evidence")
            evidence_ok = None if not evidence else any(comparable(evidence) in comparable(c.text)
                                                        for c in answer.citations)
        report.outcomes.append(Outcome(item, answer.answer, answer.refused, answer_ok, evidence_ok, answer.seconds))
    return report
