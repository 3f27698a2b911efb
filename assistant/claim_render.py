"""The claim report as a coder reads it: plain text for the terminal, Markdown for exports."""

from __future__ import annotations

import textwrap
from html import escape

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


# Colours say what happens to the line: red not billable, blue needs a modifier, green billable.
CLAIM_CSS = """
.cc-line-billable{background:#dcfce7;color:#14532d;border-color:#86efac}
.cc-line-not{background:#fee2e2;color:#7f1d1d;border-color:#fca5a5}
.cc-line-mod{background:#dbeafe;color:#1e3a8a;border-color:#93c5fd}
.cc-claim table{border-collapse:collapse;width:100%;font-size:.9rem}
.cc-claim th,.cc-claim td{border-bottom:1px solid #e5e7eb;padding:6px 8px;text-align:left}
.cc-claim code{font-family:ui-monospace,monospace}
.cc-finding{border:1px solid #e5e7eb;border-radius:10px;padding:8px 12px;margin:8px 0;background:#fff}
.cc-sev{display:inline-block;padding:1px 8px;border-radius:999px;font-size:.75rem;font-weight:700;
  margin-right:6px;border:1px solid transparent}
.cc-sev-deny{background:#fee2e2;color:#7f1d1d;border-color:#fca5a5}
.cc-sev-needs_modifier{background:#dbeafe;color:#1e3a8a;border-color:#93c5fd}
.cc-sev-warn{background:#fef3c7;color:#78350f;border-color:#fcd34d}
.cc-sev-info{background:#f3f4f6;color:#374151;border-color:#d1d5db}
.cc-cite{color:#4b5563;font-size:.8rem;margin-top:4px}
"""
_LINE_CLASS = {"billable": "cc-line-billable", "not billable": "cc-line-not", "needs modifier": "cc-line-mod"}


def claim_html(report: ClaimReport | None) -> str:
    if report is None:
        return '<p class="cc-empty">Paste claim lines and press Check: each line is CODE[-MOD][xUNITS].</p>'
    rows = []
    for n, line in enumerate(report.lines, start=1):
        status = line_status(line)
        badge = f'<span class="cc-badge {_LINE_CLASS[status]}">{escape(status)}</span>'
        cells = [
            str(n),
            f"<code>{escape(line.code)}</code>",
            escape("-".join(line.modifiers) or "–"),
            str(line.units),
            badge,
            str(line.units_allowed),
            escape(", ".join(line.suggested_modifiers) or "–"),
        ]
        rows.append(
            f'<tr data-code="{escape(line.code)}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
        )
    head = "".join(f"<th>{escape(h)}</th>" for h in ["#", *HEADER])
    parts = [
        f'<div class="cc-claim"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    ]
    if report.errors:
        errors = "".join(f"<li>input line {e.source_line}: {escape(e.message)}</li>" for e in report.errors)
        parts.append(f'<div class="cc-warn">Lines not read:<ul>{errors}</ul></div>')
    parts.append(f"<h4>Findings ({len(report.findings)})</h4>")
    for f in report.findings:
        lines = ", ".join(map(str, f.lines))
        parts.append(
            f'<div class="cc-finding" data-kind="{escape(f.kind)}" data-severity="{escape(f.severity)}">'
            f'<span class="cc-sev cc-sev-{escape(f.severity)}">{escape(SEVERITY_LABEL[f.severity])}</span>'
            f"<b>{escape(f.kind)}</b> · lines {escape(lines)}<div>{escape(f.message.strip())}</div>"
            f'<div class="cc-cite">Source: {escape(f.citation)}</div></div>'
        )
    if not report.findings:
        parts.append('<p class="cc-empty">No findings: every line is billable as submitted.</p>')
    parts.append(f'<div class="cc-meta">{escape(_as_of(report))}</div></div>')
    return "".join(parts)
