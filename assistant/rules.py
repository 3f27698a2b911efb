"""Answers to pair, unit and fee-schedule questions, from the CMS tables in the rules database.

The tables cover every code section; the knowledge base describes only the urinary range, so a
code without a record is named by its number alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from assistant.cite import Numbered
from assistant.codes import is_evaluation_and_management
from assistant.models import RuleCitation, Verdict
from assistant.records import Record
from assistant.rules_io import ensure_rules
from assistant.rulesdb import MAI_MEANING, MODIFIER_MEANING, PTPEdit, RulesDB, show_day

MULT_PROC_MEANING = {
    "0": "no multiple-procedure payment adjustment",
    "2": "standard multiple-surgery payment rules (later procedures paid at a reduced rate)",
    "3": "special endoscopy rules: endoscopies of the same family are paid relative to the base code",
    "4": "special diagnostic imaging rules",
    "9": "the concept does not apply",
}


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


def _summary(code: str, records: dict[str, Record], numbered: Numbered) -> str:
    record = records.get(code)
    if record is None:
        return code
    return f"{code} ({record.title}) [{numbered.add_id(f'{code}#summary-0')}]"


def _pair(
    codes: Sequence[str], db: RulesDB, records: dict[str, Record], numbered: Numbered, asks_included: bool
) -> tuple[str, Verdict | None, list[RuleCitation]]:
    a, b = codes[0], codes[1]
    as_of = db.as_of("ptp", "practitioner")
    active = db.edit_on(a, b, date.today())
    deleted = None if active else db.last_deleted(a, b, date.today())
    if active is not None:
        c1, c2 = active.column_1, active.column_2
        # The first words answer the question as asked: "is it included?" vs "can I bill it?".
        if asks_included:
            lead = f"Yes, {c2} is included in {c1}: it is bundled"
        elif active.modifier == "0":
            lead = f"No, {c2} is not billed with {c1}: it is bundled"
        else:
            lead = f"Not without a modifier: {c2} is bundled into {c1} and included"
        meaning = MODIFIER_MEANING.get(active.modifier, "")
        if active.modifier == "1" and is_evaluation_and_management(c2):
            meaning = (
                "the visit is reported too only when it is a significant, separately identifiable E/M "
                "service, with modifier 25 (57 when it led to the decision for a major operation)"
            )
        text = (
            f"{lead} (an active NCCI edit makes {c2} a column 2 code of {c1}), so at the same session only "
            f"{_summary(c1, records, numbered)} is reported. "
            f"Modifier indicator {active.modifier}: {meaning}. "
            f"Rationale: {active.rationale}. Also see {_summary(c2, records, numbered)}."
        )
        return text, "included", [ptp_citation(active)]
    text = (
        ("No, not included as far as NCCI goes: " if asks_included else "Yes, as far as NCCI goes: ")
        + f"no active NCCI PTP edit pairs {_summary(a, records, numbered)} and "
        f"{_summary(b, records, numbered)} (edits as of {as_of}), so NCCI does not bundle them and "
        "each is reported separately when both are done; other payer rules may still apply."
    )
    # The table that was searched decides a "no edit" answer too, so it is cited.
    cites = [ptp_citation(deleted)] if deleted is not None else [no_edit_citation(a, b, as_of)]
    if deleted is not None:
        text += f" An earlier edit between them was deleted after {show_day(deleted.deletion)}."
    return text, "separate", cites


def _units(
    code: str, db: RulesDB, records: dict[str, Record], numbered: Numbered
) -> tuple[str, list[RuleCitation]]:
    as_of = db.as_of("mue", "practitioner")
    limit = db.mue(code)
    if limit is None:
        return f"The MUE table (as of {as_of}) has no limit for {_summary(code, records, numbered)}.", []
    units, mai = limit.units, limit.mai
    cite = RuleCitation(
        kind="mue",
        label=f"CMS NCCI MUE {as_of}: {code}, {units} unit(s), MAI {mai}",
        detail=f"MAI {mai}: {MAI_MEANING.get(mai, 'unknown')}; rationale: {limit.rationale}; "
        f"{limit.source.file} line {limit.line}",
        as_of=as_of,
    )
    text = (
        f"At most {units} unit(s) of {_summary(code, records, numbered)} per day under the NCCI "
        f"medically unlikely edit (MAI {mai}: {MAI_MEANING.get(mai, '')})."
    )
    return text, [cite]


def _family(
    code: str, db: RulesDB, records: dict[str, Record], numbered: Numbered
) -> tuple[str, list[RuleCitation]]:
    as_of = db.as_of("rvu")
    row = db.rvu(code)
    if row is None:
        return f"The RVU file ({as_of}) has no indicators for {_summary(code, records, numbered)}.", []
    base = row.endo_base
    mult = row.mult_proc
    parts = [f"{_summary(code, records, numbered)}: global period {row.glob_days} days"]
    parts.append(f"multiple-procedure indicator {mult} ({MULT_PROC_MEANING.get(mult, 'see the RVU file')})")
    if base:
        parts.append(
            f"endoscopic base code {_summary(base, records, numbered)}; when several endoscopies of "
            "this family are done at one session, the base code is not reported with them and "
            "payment follows the multiple-endoscopy rule"
        )
    cite = RuleCitation(
        kind="rvu",
        label=f"CMS PFS RVU {as_of}: {code}",
        detail=f"global period {row.glob_days}, multiple-procedure indicator {mult}, endoscopic base code "
        f"{base or 'none'}, bilateral indicator {row.bilat_surg}; {row.source.file} line {row.line}",
        as_of=as_of,
    )
    return "; ".join(parts) + ".", [cite]


def answer_rules(
    intent: str,
    codes: Sequence[str],
    db: RulesDB,
    records: dict[str, Record],
    numbered: Numbered,
    asks_included: bool = False,
) -> tuple[str, Verdict | None, list[RuleCitation]]:
    """Answer pair, units and family questions from the tables; the verdict comes from PTP."""
    retired = [c for c in codes if db.is_retired(c)]
    if retired:
        return (
            f"{', '.join(retired)} is a retired code with no active edits; "
            f"see {_summary(retired[0], records, numbered)}.",
            "not_stated",
            [],
        )
    if intent == "pair" and len(codes) >= 2:
        return _pair(codes, db, records, numbered, asks_included)
    if intent == "units":
        text, cites = _units(codes[0], db, records, numbered)
        return text, None, cites
    text, cites = _family(codes[0], db, records, numbered)
    return text, None, cites


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
        cites.append(
            RuleCitation(
                kind="rvu",
                label=f"CMS PFS RVU {row.source.as_of}: {code}",
                detail=f"status {row.status}, global {row.glob_days}, multiple procedure {row.mult_proc}, "
                f"bilateral {row.bilat_surg}; {row.source.file} line {row.line}",
                as_of=row.source.as_of,
            )
        )
    limit = db.mue(code)
    if limit is not None:
        parts.append(f"at most {limit.units} unit(s) per day under the MUE (MAI {limit.mai})")
        cites.append(
            RuleCitation(
                kind="mue",
                label=f"CMS NCCI MUE {limit.source.as_of}: {code}, {limit.units} unit(s), MAI {limit.mai}",
                detail=f"{MAI_MEANING.get(limit.mai, '')}; {limit.source.file} line {limit.line}",
                as_of=limit.source.as_of,
            )
        )
    if db.is_retired(code):
        parts.append("it appears only in deleted NCCI edits (a retired code)")
    return "; ".join(parts), cites
