"""What the CMS tables say about one code, with human labels instead of the RVU file's column names.

Used by the rule cards of an answer and by the code chips of codes that have no knowledge record.
"""

from __future__ import annotations

import re
from html import escape

from assistant.models import RuleCitation
from assistant.rulesdb import MAI_MEANING, MUELimit, RulesDB, RVURow
from assistant.rvu_fields import BILATERAL_MEANING, GLOBAL_MEANING, MULT_PROC_MEANING, STATUS_MEANING

# "CMS PFS RVU 2025-10: 52332" and "CMS NCCI MUE 2024-07-01: 52000, 1 unit, MAI 3" name their code.
RULE_CODE_RE = re.compile(r":\s*([0-9A-Z]{5})\b")


def _facts(rows: list[tuple[str, str]]) -> str:
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows if v)
    return f'<dl class="cc-facts">{items}</dl>' if items else ""


def _meaning(value: str, table: dict[str, str], fallback: str = "see the RVU file") -> str:
    return f"{value}: {table.get(value, fallback)}" if value else ""


def rvu_rows(row: RVURow) -> list[tuple[str, str]]:
    return [
        ("Payment status", _meaning(row.status, STATUS_MEANING)),
        ("Global period", _meaning(row.glob_days, GLOBAL_MEANING)),
        ("Multiple-procedure rule", _meaning(row.mult_proc, MULT_PROC_MEANING)),
        ("Bilateral indicator", _meaning(row.bilat_surg, BILATERAL_MEANING)),
        ("Endoscopic base code", row.endo_base),
    ]


def mue_rows(limit: MUELimit) -> list[tuple[str, str]]:
    return [
        ("Units per day (MUE)", str(limit.units)),
        ("MUE adjudication", _meaning(limit.mai, MAI_MEANING, "see the MUE file")),
    ]


def rule_facts_html(rule: RuleCitation, db: RulesDB | None) -> str:
    """The fee-schedule or MUE row behind a rule card, labelled; '' for other rules or no row."""
    match = RULE_CODE_RE.search(rule.label)
    if db is None or match is None or rule.kind not in ("rvu", "mue"):
        return ""
    code = match.group(1)
    if rule.kind == "rvu":
        row = db.rvu(code)
        return _facts(rvu_rows(row)) if row else ""
    limit = db.mue(code)
    return _facts(mue_rows(limit)) if limit else ""


def code_facts_html(code: str, db: RulesDB | None) -> str:
    """What the CMS tables know about a code without a knowledge record ('' when they know nothing)."""
    if db is None:
        return ""
    rows: list[tuple[str, str]] = []
    row = db.rvu(code)
    if row is not None:
        rows += rvu_rows(row)
    limit = db.mue(code)
    if limit is not None:
        rows += mue_rows(limit)
    if db.is_retired(code):
        rows.append(("Status in NCCI", "retired: it appears only in deleted edits"))
    if not rows:
        return ""
    sources = sorted({s.as_of for s in ([row.source] if row else []) + ([limit.source] if limit else [])})
    return _facts(rows) + (
        f'<p class="cc-meta">CMS tables as of {escape(", ".join(sources))}</p>' if sources else ""
    )
