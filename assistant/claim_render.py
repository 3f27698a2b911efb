"""The claim report as a coder reads it: plain text for the terminal, Markdown for exports."""

from __future__ import annotations

import textwrap

from assistant.claim import ClaimReport, LineResult

SEVERITY_LABEL = {
    "deny": "DENY",
    "needs_modifier": "NEEDS MODIFIER",
    "warn": "WARN",
    "info": "info",
}


def line_status(line: LineResult) -> str:
    """billable / not billable / needs modifier, the badge of one line."""
    if line.billable:
        return "billable"
    return "needs modifier" if line.suggested_modifiers else "not billable"


def _line_cells(line: LineResult) -> list[str]:
    modifiers = "-".join(line.modifiers) or "-"
    suggested = ", ".join(line.suggested_modifiers) or "-"
    return [line.code, modifiers, str(line.units), line_status(line), str(line.units_allowed), suggested]


HEADER = ["code", "modifiers", "units", "status", "units allowed", "suggested modifiers"]


def _as_of(report: ClaimReport) -> str:
    parts = [f"{table.upper()} {value}" for table, value in report.as_of.items()]
    return f"Date of service {report.date_of_service}, {report.claim_type} claim; tables: " + "; ".join(parts)


def render_text(report: ClaimReport) -> str:
    widths = [
        max(len(HEADER[i]), *(len(_line_cells(x)[i]) for x in report.lines)) for i in range(len(HEADER))
    ]
    rows = [HEADER, *(_line_cells(x) for x in report.lines)] if report.lines else [HEADER]
    out = ["Corrected claim:"]
    out += ["  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    if report.errors:
        out += ["", "Lines not read:"]
        out += [f"  input line {e.source_line}: {e.message}" for e in report.errors]
    out += ["", f"Findings ({len(report.findings)}):" if report.findings else "Findings: none"]
    for f in report.findings:
        where = f" (lines {', '.join(map(str, f.lines))})" if f.lines else ""
        out.append(
            f"  [{SEVERITY_LABEL[f.severity]}] {f.kind}{where}: "
            + textwrap.fill(f.message.strip(), 96).replace("\n", "\n      ")
        )
        out.append(f"      source: {f.citation}")
    out += ["", _as_of(report)]
    return "\n".join(out)


def render_markdown(report: ClaimReport) -> str:
    out = ["# Claim check", "", _as_of(report), "", "| line | " + " | ".join(HEADER) + " |"]
    out.append("|" + "---|" * (len(HEADER) + 1))
    out += [f"| {n} | " + " | ".join(_line_cells(x)) + " |" for n, x in enumerate(report.lines, start=1)]
    if report.errors:
        out += ["", "## Lines not read", ""] + [
            f"- input line {e.source_line}: {e.message}" for e in report.errors
        ]
    out += ["", "## Findings", ""]
    for f in report.findings:
        lines = ", ".join(map(str, f.lines))
        out.append(f"- **{SEVERITY_LABEL[f.severity]}** ({f.kind}; lines {lines}): {f.message.strip()}")
        out.append(f"  - source: {f.citation}")
    if not report.findings:
        out.append("None.")
    return "\n".join(out) + "\n"
