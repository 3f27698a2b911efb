"""What an answer means for the claim, in the words the UI badge, the CLI and the exports share.

The badge follows `Answer.claim_effect` (what happens to the claim line asked about), not the
verdict: "bundled" reads as "go ahead" to a coder when the real news is "do not bill it".
"""

from __future__ import annotations

from assistant.models import Answer

EFFECT_LABELS: dict[str, str] = {
    "not_billable": "Not billable separately",
    "billable": "Billable separately",
    "needs_modifier": "Needs a modifier",
    "unknown": "Not stated in sources",
}
EFFECT_HINTS: dict[str, str] = {
    "not_billable": "Do not report it separately on this claim.",
    "billable": "Report it with its own code.",
    "needs_modifier": "Billable together only with a modifier the documentation supports.",
    "unknown": "The sources do not settle what this means for the claim.",
}
# An answer with no claim effect is either declined or descriptive: say which, still in grey.
OUT_OF_SCOPE_LABEL = "Out of scope"
DESCRIPTIVE_LABEL = "Descriptive answer"
REPLY_LABEL = "Reply"
OTHER_HINTS: dict[str, str] = {
    OUT_OF_SCOPE_LABEL: "Outside what the knowledge base covers.",
    DESCRIPTIVE_LABEL: "Describes the code; nothing to decide for a claim.",
    REPLY_LABEL: "Nothing was asked of the sources.",
}


def is_reply(answer: Answer) -> bool:
    """A reply that asked nothing of the sources (a thanks answered): no rule, no passage."""
    return answer.decided_by == "none" and answer.verdict is None and not answer.citations


DECIDED_BY_LABELS: dict[str, str] = {
    "policy": "an NCCI policy record",
    "ptp": "the NCCI procedure-to-procedure (PTP) edit table",
    "claim": "the claim check",
    "record": "the code's knowledge record",
    "mue": "the medically unlikely edit (MUE) table",
    "rvu": "the fee schedule (RVU) indicators",
    "tables": "the CMS tables",
    "scope": "the scope rule: outside the knowledge base",
    "search": "a search of the knowledge base",
    "none": "no rule: the sources do not settle it",
}


def effect_label(answer: Answer) -> str:
    """The badge text: the claim effect, or why there is none."""
    if answer.claim_effect != "unknown":
        return EFFECT_LABELS[answer.claim_effect]
    if answer.verdict == "out_of_scope":
        return OUT_OF_SCOPE_LABEL
    if is_reply(answer):
        return REPLY_LABEL
    if answer.verdict is None:
        return DESCRIPTIVE_LABEL
    return EFFECT_LABELS["unknown"]


def effect_hint(answer: Answer) -> str:
    label = effect_label(answer)
    return OTHER_HINTS.get(label) or EFFECT_HINTS[answer.claim_effect]


def decided_by_text(answer: Answer) -> str:
    """'Decided by: …' in human words, the same line in the UI, the CLI and the exports."""
    return f"Decided by: {DECIDED_BY_LABELS.get(answer.decided_by, answer.decided_by)}"
