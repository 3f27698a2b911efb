"""Coder feedback on answers, appended to a local JSONL file (settings.feedback_path).

An entry holds the answer's metadata (verdict, codes, cited passage ids, flags, model, index
version), the coder's label and optional comment: never the question text, which may carry
patient details. A downvote with the expected answer also becomes a candidate regression item
(`regression-candidates.jsonl` beside the feedback file, in the evaluation dataset's shape) for the
team to review; it holds the question only when the coder ticked "include my question".
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any, Literal, cast, get_args

from pydantic import BaseModel, Field

from assistant.models import Answer

FeedbackLabel = Literal["correct", "wrong_verdict", "wrong_code", "missing_source", "other"]
FEEDBACK_LABELS: dict[str, str] = {
    "correct": "Correct",
    "wrong_verdict": "Wrong verdict",
    "wrong_code": "Wrong code",
    "missing_source": "Missing source",
    "other": "Other",
}
MAX_COMMENT = 2000
CANDIDATES_FILE = "regression-candidates.jsonl"


class FeedbackEntry(BaseModel):
    ts: str
    label: FeedbackLabel
    comment: str = Field("", max_length=MAX_COMMENT)
    turn: int = Field(0, ge=0, description="Position of the answer in its conversation (1-based)")
    verdict: str | None = None
    intent: str = "other"
    question_codes: list[str] = Field(default_factory=list)
    codes: list[str] = Field(default_factory=list)
    citations: list[str] = Field(default_factory=list, description="Cited passage ids")
    rules: list[str] = Field(default_factory=list, description="Cited CMS rule labels")
    flags: list[str] = Field(default_factory=list)
    low_confidence: bool = False
    model: str = ""
    index_version: str = ""
    claim_effect: str = "unknown"
    decided_by: str = "none"
    expected: str = Field("", max_length=MAX_COMMENT, description="The answer the coder expected")


class RegressionCandidate(BaseModel):
    """A downvoted answer as a draft evaluation item: `turns` is empty unless the coder opted in."""

    id: str
    status: Literal["candidate"] = "candidate"
    turns: list[str] = Field(default_factory=list)
    intent: str
    expect: dict[str, Any]
    got: dict[str, Any]
    source: str = "coder feedback"
    feedback: FeedbackEntry


def entry_for(
    answer: Answer, label: str, comment: str = "", turn: int = 0, model: str = "", index_version: str = ""
) -> FeedbackEntry:
    """Build an entry from an answer's metadata; raises ValueError on an unknown label."""
    if label not in get_args(FeedbackLabel):
        raise ValueError(f"unknown feedback label {label!r}; expected one of {', '.join(FEEDBACK_LABELS)}")
    return FeedbackEntry(
        ts=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        label=cast(FeedbackLabel, label),  # checked against FeedbackLabel above
        comment=comment.strip()[:MAX_COMMENT],
        turn=turn,
        verdict=answer.verdict,
        intent=answer.intent,
        question_codes=answer.question_codes,
        codes=answer.codes,
        citations=[c.passage_id for c in answer.citations],
        rules=[r.label for r in answer.rules],
        flags=answer.flags,
        low_confidence=answer.low_confidence,
        model=model if answer.llm_used else "none",
        index_version=index_version,
        claim_effect=answer.claim_effect,
        decided_by=answer.decided_by,
    )


def candidate_for(entry: FeedbackEntry, expected: str, question: str | None = None) -> RegressionCandidate:
    """A regression candidate from a downvote; `question` is kept only when the coder opted in."""
    expected = expected.strip()[:MAX_COMMENT]
    entry = entry.model_copy(update={"expected": expected})
    stamp = entry.ts.replace("-", "").replace(":", "")
    return RegressionCandidate(
        id=f"fb-{stamp}-{entry.turn}",
        turns=[question.strip()] if question and question.strip() else [],
        intent=entry.intent,
        expect={"codes": entry.question_codes, "expected_answer": expected, "wrong": entry.label},
        got={
            "verdict": entry.verdict,
            "claim_effect": entry.claim_effect,
            "decided_by": entry.decided_by,
            "codes": entry.codes,
            "citations": entry.citations,
        },
        feedback=entry,
    )


class FeedbackStore:
    """Append-only JSONL; a lock keeps concurrent UI sessions from interleaving lines."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def add(self, entry: FeedbackEntry) -> FeedbackEntry:
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(entry.model_dump_json() + "\n")
        return entry

    @property
    def candidates_path(self) -> Path:
        return self.path.with_name(CANDIDATES_FILE)

    def add_candidate(self, candidate: RegressionCandidate) -> RegressionCandidate:
        """Store the downvote's entry as usual and the candidate item beside it."""
        self.add(candidate.feedback)
        with self._lock, self.candidates_path.open("a", encoding="utf-8") as handle:
            handle.write(candidate.model_dump_json() + "\n")
        return candidate

    def read_candidates(self) -> list[RegressionCandidate]:
        if not self.candidates_path.is_file():
            return []
        lines = self.candidates_path.read_text(encoding="utf-8").splitlines()
        return [RegressionCandidate.model_validate(json.loads(line)) for line in lines if line.strip()]

    def read(self) -> list[FeedbackEntry]:
        if not self.path.is_file():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [FeedbackEntry.model_validate(json.loads(line)) for line in lines if line.strip()]
