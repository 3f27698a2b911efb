"""Coder feedback on answers, appended to a local JSONL file (settings.feedback_path).

An entry holds the answer's metadata (verdict, codes, cited passage ids, flags, model, index
version), the coder's label and optional comment: never the question text, which may carry
patient details.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Literal, cast, get_args

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

    def read(self) -> list[FeedbackEntry]:
        if not self.path.is_file():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [FeedbackEntry.model_validate(json.loads(line)) for line in lines if line.strip()]
