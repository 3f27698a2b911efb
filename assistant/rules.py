"""CMS table rows as rule citations, and the rules database opened for answering.

The tables cover every code section; the knowledge base describes only the urinary range.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from assistant.claim import Finding
from assistant.models import RuleCitation, RuleKind
from assistant.rules_io import ensure_rules
from assistant.rulesdb import MAI_MEANING, MODIFIER_MEANING, MUELimit, PTPEdit, RulesDB, RVURow, show_day
from assistant.rvu_fields import MULT_PROC_MEANING
from assistant.text import unit_count


def ptp_citation(edit: PTPEdit) -> RuleCitation:
    as_of = edit.source.as_of
    return RuleCitation(
        kind="ptp",
        label=f"CMS NCCI PTP {as_of}: {edit.column_1} / {edit.column_2}, modifier {edit.modifier}",
        detail=f"Column 1 {edit.column_1}, column 2 {edit.column_2}; modifier indicator {edit.modifier} "
        f"({MODIFIER_MEANING.get(edit.modifier, 'unknown')}); rationale: {edit.rationale}"
        + ("" if edit.deletion is None else f"; deleted after {show_day(edit.deletion)}")
        + f"; {edit.source.file} line {edit.line}",
        as_of=as_of,
    )


def no_edit_citation(a: str, b: str, as_of: str) -> RuleCitation:
    return RuleCitation(
        kind="ptp",
        label=f"CMS NCCI PTP {as_of}: no edit between {a} and {b}",
        detail=f"The practitioner PTP table (as of {as_of}) has no row pairing {a} and {b} in either column.",
        as_of=as_of,
    )


def mue_citation(limit: MUELimit) -> RuleCitation:
    as_of = limit.source.as_of
    return RuleCitation(
        kind="mue",
        label=f"CMS NCCI MUE {as_of}: {limit.code}, {unit_count(limit.units)}, MAI {limit.mai}",
        detail=f"MAI {limit.mai}: {MAI_MEANING.get(limit.mai, 'unknown')}; rationale: {limit.rationale}; "
        f"{limit.source.file} line {limit.line}",
        as_of=as_of,
    )


def rvu_citation(row: RVURow) -> RuleCitation:
    return RuleCitation(
        kind="rvu",
        label=f"CMS PFS RVU {row.source.as_of}: {row.code}",
        detail=f"global period {row.glob_days}, multiple-procedure indicator {row.mult_proc}, "
        f"endoscopic base code {row.endo_base or 'none'}, bilateral indicator {row.bilat_surg}; "
        f"{row.source.file} line {row.line}",
        as_of=row.source.as_of,
    )


_FINDING_KIND: dict[str, RuleKind] = {"ptp": "ptp", "mue": "mue", "addon": "aoc", "policy": "policy"}


def claim_citations(findings: Sequence[Finding]) -> list[RuleCitation]:
    """The claim check's findings as rule citations (input and unknown-code notes cite nothing)."""
    return [
        RuleCitation(
            kind=_FINDING_KIND.get(f.kind, "rvu"),
            label=f.citation.split(" (")[0],
            detail=f"{f.message.strip()} Source: {f.citation}",
            as_of=f.as_of,
        )
        for f in findings
        if f.kind not in ("unknown", "input")
    ]


def load_rules(database: Path) -> RulesDB:
    """Open the rules database read-only, building it from the shipped tables first if needed."""
    return RulesDB(ensure_rules(database))


def table_facts(code: str, db: RulesDB) -> tuple[str, list[RuleCitation]]:
    """What the CMS tables say about a code we hold no description of: MUE and RVU indicators."""
    parts: list[str] = []
    cites: list[RuleCitation] = []
    row = db.rvu(code)
    if row is not None:
        parts.append(
            f"global period {row.glob_days}, multiple-procedure indicator {row.mult_proc} "
            f"({MULT_PROC_MEANING.get(row.mult_proc, 'see the RVU file')}), "
            f"bilateral indicator {row.bilat_surg}"
        )
        cites.append(rvu_citation(row))
    limit = db.mue(code)
    if limit is not None:
        parts.append(f"at most {unit_count(limit.units)} per day under the MUE (MAI {limit.mai})")
        cites.append(mue_citation(limit))
    if db.is_retired(code):
        parts.append("it appears only in deleted NCCI edits (a retired code)")
    return "; ".join(parts), cites
