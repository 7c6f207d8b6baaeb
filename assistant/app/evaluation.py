"""Evaluation harness: answer accuracy, evidence, grounding and refusals over a JSONL question set.

Each line: {"id", "question", "type", "must_contain": [...], "evidence": "..." or [...],
"article"/"articles"?, "history"?: [...]}. `type` "unanswerable" (with an empty must_contain) marks
what the corpus cannot answer; `history` lists earlier questions of the same conversation, replayed
first (follow-ups); a cross-article question gives one evidence sentence per article.

Scoring is the one of the reference scorer (`../shared/tools/answer_eval.py`), so both agree:

  answer         every must_contain string appears in the answer (answerable questions, not refused)
  partial        share of must_contain strings that appear in the answer
  grounded       every must_contain string found in the answer also appears in a cited passage
  evidence       every gold evidence sentence (its first 80 characters) appears in the cited passages
  refusal        unanswerable questions are refused
  false_refusal  answerable questions that were refused

Equivalent forms compare equal (`norm`): case, Unicode form, dashes, old/new tone placement, the usual
agency abbreviations, day-month dates written with / . or -, "ngày 4 tháng 10 năm 2011" = "4/10/2011",
leading zeros and "số" before a number.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import EvalFileError

if TYPE_CHECKING:  # the service loads the model stack; evaluation is imported without it
    from assistant.app.service import Assistant

REFUSAL_WORDS = ("không tìm thấy", "không có thông tin", "chưa có thông tin", "không đủ thông tin")
EVIDENCE_PREFIX = 80
_ABBREVIATIONS = {"hđnd": "hội đồng nhân dân", "ubnd": "ủy ban nhân dân", "tand": "tòa án nhân dân",
                  "vksnd": "viện kiểm sát nhân dân", "mttq": "mặt trận tổ quốc", "btg": "ban tuyên giáo"}
_OLD_TONES = {"uỷ": "ủy", "toà": "tòa", "hoà": "hòa", "khoá": "khóa", "thuỷ": "thủy", "hoá": "hóa"}


def norm(text: str | None) -> str:
    """The comparable form of an answer, a gold string or a passage (see the module docstring)."""
    s = unicodedata.normalize("NFC", text or "").casefold()
    s = re.sub(r"[\u2010-\u2015]", "-", s)
    for old, new in _OLD_TONES.items():
        s = s.replace(old, new)
    for short, full in _ABBREVIATIONS.items():
        s = re.sub(rf"\b{short}\b", full, s)
    s = re.sub(r"(\d{1,2}) tháng (\d{1,2}) năm (\d{4})", r"\1/\2/\3", s)
    s = re.sub(r"(?<![\d./-])(\d{1,2})[.-](\d{1,2})(?![\d])", r"\1/\2", s)
    s = re.sub(r"\b0(\d)(?=/)", r"\1", s)
    s = re.sub(r"(?<=/)0(\d)\b", r"\1", s)
    s = re.sub(r"\bsố (?=\d)", "", s)
    s = re.sub(r"(?<=\d)\s*-\s*(?=\d)", "-", s)
    return re.sub(r"\s+", " ", s).strip()


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


def articles_of(item: dict) -> set[str]:
    """The article file names a question is about (empty for most unanswerable ones)."""
    names = item.get("articles") or ([item["article"]] if item.get("article") else [])
    return set(names)


def select(questions: list[dict], articles: Iterable[str]) -> list[dict]:
    """The questions about any of these articles (how one half of a development set is taken)."""
    keep = set(articles)
    return [q for q in questions if articles_of(q) & keep]


def has_diacritics(text: str) -> bool:
    return any(unicodedata.decomposition(ch) or ch in "đĐ" for ch in text if ch.isalpha() and ord(ch) > 127)


@dataclass
class Outcome:
    item: dict
    answer: str
    refused: bool
    answer_ok: bool | None          # None for unanswerable questions
    partial: float | None
    grounded: bool | None
    evidence_ok: bool | None
    seconds: float
    confidence: float = 0.0         # the answerer's confidence (refusal below its threshold)

    @property
    def ok(self) -> bool:
        return self.refused if self.item["type"] == "unanswerable" else bool(self.answer_ok)


def score(item: dict, answer: str, refused: bool, citations: list[dict], seconds: float = 0.0,
          confidence: float = 0.0) -> Outcome:
    """One question scored like the reference scorer; `citations` as in `ask --json`."""
    text = norm(answer)
    refused = bool(refused) or (any(w in text for w in REFUSAL_WORDS) and not citations)
    if item["type"] == "unanswerable":
        return Outcome(item, answer, refused, None, None, None, None, seconds, confidence)
    cited = " \n ".join(norm((c.get("quote") or "") + " \n " + (c.get("text") or "")) for c in citations)
    musts = [norm(m) for m in item.get("must_contain", [])]
    found = [m for m in musts if m in text]
    evidence = item.get("evidence") or []
    evidence = [norm(e)[:EVIDENCE_PREFIX] for e in ([evidence] if isinstance(evidence, str) else evidence) if e]
    return Outcome(
        item, answer, refused,
        answer_ok=bool(musts) and len(found) == len(musts) and not refused,
        partial=len(found) / len(musts) if musts else 0.0,
        grounded=all(m in cited for m in found) if found else None,
        evidence_ok=bool(evidence) and all(e in cited for e in evidence),
        seconds=seconds, confidence=confidence)


def _mean(values: list[Any]) -> float | None:
    values = [v for v in values if v is not None]
    return sum(map(float, values)) / len(values) if values else None


@dataclass
class EvalReport:
    outcomes: list[Outcome] = field(default_factory=list)

    @staticmethod
    def figures(outcomes: list[Outcome]) -> dict:
        answerable = [o for o in outcomes if o.item["type"] != "unanswerable"]
        unanswerable = [o for o in outcomes if o.item["type"] == "unanswerable"]
        return {
            "n": len(outcomes),
            "answer": _mean([o.answer_ok for o in answerable]),
            "partial": _mean([o.partial for o in answerable]),
            "grounded": _mean([o.grounded for o in answerable]),
            "evidence": _mean([o.evidence_ok for o in answerable]),
            "refusal": _mean([o.refused for o in unanswerable]),
            "false_refusal": _mean([o.refused for o in answerable]),
            "false_refusals": sum(o.refused for o in answerable),
        }

    def summary(self) -> dict:
        by_type = defaultdict(list)
        for o in self.outcomes:
            by_type[o.item["type"]].append(o)
        typed = [o for o in self.outcomes if o.item["type"] != "unanswerable"]
        accents = {
            "with": self.figures([o for o in typed if has_diacritics(o.item["question"])]),
            "without": self.figures([o for o in typed if not has_diacritics(o.item["question"])]),
        }
        return {"overall": self.figures(self.outcomes),
                "by_type": {t: self.figures(v) for t, v in sorted(by_type.items())},
                "diacritics": accents}

    def rows(self) -> list[dict]:
        """One record per question: what was asked, answered and how it scored."""
        return [{"id": o.item["id"], "type": o.item["type"], "question": o.item["question"],
                 "articles": sorted(articles_of(o.item)), "answer": o.answer, "refused": o.refused,
                 "answer_ok": o.answer_ok, "evidence_ok": o.evidence_ok, "grounded": o.grounded,
                 "partial": o.partial, "confidence": round(o.confidence, 4), "seconds": round(o.seconds, 4)}
                for o in self.outcomes]

    def refusal_curve(self, thresholds: Iterable[float] = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
                      ) -> list[dict]:
        """What each confidence threshold would do: the share of unanswerable questions refused and of
        answerable ones refused (an answer below the threshold is refused; one already refused for
        another reason, such as a name no article mentions, stays refused)."""
        answerable = [o for o in self.outcomes if o.item["type"] != "unanswerable"]
        unanswerable = [o for o in self.outcomes if o.item["type"] == "unanswerable"]
        curve = []
        for t in thresholds:
            def refused(o: Outcome, t: float = t) -> bool:
                return o.confidence < t or (o.refused and o.confidence == 0.0)
            curve.append({"threshold": t,
                          "refusal": _mean([refused(o) for o in unanswerable]),
                          "false_refusal": _mean([refused(o) for o in answerable])})
        return curve

    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok or o.evidence_ok is False]

    def table(self) -> str:
        def fmt(value: float | None) -> str:
            return "—" if value is None else f"{value:.2f}"

        summary = self.summary()
        rows = [f"{'loại':<18}{'số câu':>7}{'trả lời':>9}{'dẫn chứng':>11}{'từ chối':>9}{'từ chối sai':>13}"]
        groups = list(summary["by_type"].items()) + [("TỔNG", summary["overall"])]
        for name, g in groups:
            rows.append(f"{name:<18}{g['n']:>7}{fmt(g['answer']):>9}{fmt(g['evidence']):>11}{fmt(g['refusal']):>9}"
                        f"{g['false_refusals']:>13}")
        for label, key in (("có dấu", "with"), ("không dấu", "without")):
            g = summary["diacritics"][key]
            rows.append(f"  câu hỏi {label:<10}{g['n']:>5}{fmt(g['answer']):>9}{fmt(g['evidence']):>11}")
        return "\n".join(rows)


def evaluate(assistant: Assistant, questions: list[dict]) -> EvalReport:
    from assistant.answers import Conversation

    report = EvalReport()
    for item in questions:
        conversation = Conversation()
        for earlier in item.get("history", []):
            assistant.ask(earlier, conversation)
        answer = assistant.ask(item["question"], conversation)
        report.outcomes.append(score(item, answer.answer, answer.refused, [c.public() for c in answer.citations],
                                     answer.seconds, answer.confidence))
    return report
