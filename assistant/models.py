"""Typed values passed between stages: passages, retrieval hits, rule hits, answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, Field

RuleKind = Literal["ptp", "mue", "rvu", "aoc", "policy", "claim"]
Verdict = Literal["included", "separate", "not_stated", "out_of_scope"]
Intent = Literal["inclusion", "pair", "units", "family", "lookup", "describe", "injection", "other"]
# What the answer means for the claim line asked about: what a badge colour and the API report.
ClaimEffect = Literal["not_billable", "billable", "needs_modifier", "unknown"]
# Which rule settled the answer, in precedence order (README "Rule precedence"), then the rest.
DecidedBy = Literal["policy", "ptp", "claim", "record", "mue", "rvu", "tables", "scope", "search", "none"]

VERDICT_LABELS: dict[str, str] = {
    "included": "Included (bundled, not reported separately)",
    "separate": "Reported separately",
    "not_stated": "Not stated in the sources",
    "out_of_scope": "Out of scope",
}


class Passage(BaseModel):
    """One retrievable idea from a knowledge record."""

    id: str = Field(description="Stable id: <record key>#<field>-<n>")
    text: str
    code: str = Field(description="The record's code, or policy:<id> for policy records")
    title: str
    family: str
    field: str = Field(description="summary, body, includes, reported_separately")
    file: str
    record_type: str = "procedure"
    code_set_year: int = 0
    sources: list[str] = Field(default_factory=list)

    @property
    def search_text(self) -> str:
        """What is embedded and BM25-indexed: the text with its code and title for context."""
        label = self.code.removeprefix("policy:")
        return f"{label} {self.title}. {self.text}"

    def metadata(self) -> dict[str, str | int]:
        """Flat metadata for the vector store (Chroma takes scalars only)."""
        return {
            "code": self.code,
            "title": self.title,
            "family": self.family,
            "field": self.field,
            "file": self.file,
            "record_type": self.record_type,
            "code_set_year": self.code_set_year,
            "sources": " | ".join(self.sources),
        }

    @classmethod
    def from_store(cls, pid: str, text: str, meta: Mapping[str, object]) -> Passage:
        sources = str(meta.get("sources", ""))
        return cls(
            id=pid,
            text=text,
            code=str(meta["code"]),
            title=str(meta.get("title", "")),
            family=str(meta.get("family", "")),
            field=str(meta.get("field", "")),
            file=str(meta.get("file", "")),
            record_type=str(meta.get("record_type", "procedure")),
            code_set_year=int(str(meta.get("code_set_year", 0) or 0)),
            sources=[s for s in sources.split(" | ") if s],
        )


class Hit(BaseModel):
    """A retrieved passage with how it was found."""

    passage: Passage
    score: float = Field(description="Fused score (higher is better)")
    via: list[str] = Field(default_factory=list, description="code, policy, bm25, dense")
    dense_similarity: float | None = None


class RuleCitation(BaseModel):
    """A fact from a CMS table, cited like a passage."""

    kind: RuleKind
    label: str = Field(description='e.g. "CMS NCCI PTP 2024-07-01: 52332 / 52000, modifier 0"')
    detail: str
    as_of: str


class Citation(BaseModel):
    n: int = Field(description="The [n] marker in the answer text")
    passage_id: str
    code: str
    title: str = ""
    quote: str = Field(description="The quoted span that supports the answer")
    field: str = ""
    file: str = ""
    sources: list[str] = Field(default_factory=list)
    code_set_year: int = 0


class Answer(BaseModel):
    """What the chain returns, the CLI prints and the evaluation scores."""

    question_codes: list[str] = Field(default_factory=list, description="Codes the turn is about")
    subject_codes: list[str] = Field(
        default_factory=list,
        description="Codes of ours the conversation is about after this answer (a lookup's best match)",
    )
    intent: Intent = "other"
    verdict: Verdict | None = None
    claim_effect: ClaimEffect = Field(
        "unknown", description="not_billable, billable, needs_modifier (a modifier-1 edit) or unknown"
    )
    decided_by: DecidedBy = Field("none", description="The rule that decided the answer")
    text: str
    codes: list[str] = Field(default_factory=list, description="Every code the answer names")
    citations: list[Citation] = Field(default_factory=list)
    rules: list[RuleCitation] = Field(default_factory=list)
    flags: list[str] = Field(
        default_factory=list,
        description="Checker notes: removed_codes, dropped_explanation, low_confidence, ...",
    )
    low_confidence: bool = False
    llm_used: bool = False
