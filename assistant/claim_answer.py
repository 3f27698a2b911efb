"""The chat wording of a claim check: what is billable, what is not and why, each with its rule."""

from __future__ import annotations

from assistant.claim import ClaimReport
from assistant.claim_render import line_status


def claim_text(report: ClaimReport, asked: list[str]) -> str:
    """Codes asked about first, then the rest of the claim, each group with its reasons."""
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
    else:
        text += (
            " No active NCCI PTP edit pairs any two of these lines, and no unit count, add-on or "
            "fee-schedule rule flags one."
        )
    text += (
        f"\n\nChecked as one {report.claim_type} claim on {report.date_of_service}; "
        "the Check a claim tab (or `codecite check`) shows every finding."
    )
    return text
