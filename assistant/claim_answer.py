"""A chat answer from a claim check: what is billable, what is not and why, each with its rule."""

from __future__ import annotations

from assistant.claim import ClaimReport
from assistant.claim_render import line_status
from assistant.models import RuleCitation, RuleKind, Verdict

_KIND: dict[str, RuleKind] = {"ptp": "ptp", "mue": "mue", "addon": "aoc", "policy": "policy"}


def _as_of(citation: str) -> str:
    for token in citation.split():
        if token[:4].isdigit() and "-" in token:
            return token.rstrip(":,")
    return ""


def claim_answer(report: ClaimReport, asked: list[str]) -> tuple[str, Verdict, list[RuleCitation]]:
    """Codes asked about first, then the rest of the claim; the verdict is "included" when a PTP
    or family edit takes a line off the claim."""
    order = {code: i for i, code in enumerate(asked)}
    lines = sorted(report.lines, key=lambda x: order.get(x.code, len(order)))
    groups: dict[str, list[str]] = {"billable": [], "not billable": [], "needs modifier": []}
    for line in lines:
        label = line.code + (f"-{'-'.join(line.modifiers)}" if line.modifiers else "")
        groups[line_status(line)].append(label)
    parts = []
    if groups["billable"]:
        parts.append(f"Billable as submitted: {', '.join(groups['billable'])}.")
    if groups["not billable"]:
        parts.append(f"Not billable: {', '.join(groups['not billable'])}.")
    if groups["needs modifier"]:
        listed = ", ".join(groups["needs modifier"])
        parts.append(f"Billable only with a modifier that shows a distinct service: {listed}.")
    serious = [f for f in report.findings if f.severity != "info" or f.kind in ("ptp", "family")]
    reasons = [f"- {f.message.strip()}" for f in serious[:8]]
    more = len(serious) - len(reasons)
    text = " ".join(parts)
    if reasons:
        text += "\n\nWhy:\n" + "\n".join(reasons) + (f"\n- ... and {more} more findings." if more > 0 else "")
    text += (
        f"\n\nChecked as one {report.claim_type} claim on {report.date_of_service}; "
        "the Check a claim tab (or `codecite check`) shows every finding."
    )
    denied = any(
        f.kind in ("ptp", "family") and f.severity in ("deny", "needs_modifier") for f in report.findings
    )
    verdict: Verdict = "included" if denied else "separate"
    cites = [
        RuleCitation(
            kind=_KIND.get(f.kind, "rvu"),
            label=f.citation.split(" (")[0],
            detail=f"{f.message.strip()} Source: {f.citation}",
            as_of=_as_of(f.citation),
        )
        for f in serious
        if f.kind not in ("unknown", "input")
    ]
    return text, verdict, cites
