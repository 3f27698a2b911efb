"""Wording for decisions the CMS tables made: a pair, units, fee-schedule facts, a claim.

The first words answer the question as asked ("can I bill X with Y?" -> "No, ..."); the facts
come from the `Decision`, never from here.
"""

from __future__ import annotations

from assistant.bundling import FIELDS as GENERATED_FIELDS
from assistant.cite import Numbered, codes_in
from assistant.claim_answer import claim_text
from assistant.codes import is_evaluation_and_management
from assistant.decide.base import ClaimFacts, FamilyFacts, PairFacts, RetiredCodes, UnitsFacts
from assistant.records import Record
from assistant.rulesdb import MAI_MEANING, MODIFIER_MEANING, show_day
from assistant.rvu_fields import FIELDS as RVU_FIELDS
from assistant.rvu_fields import GLOBAL_MEANING, MULT_PROC_MEANING
from assistant.text import unit_count


def summary(code: str, records: dict[str, Record], numbered: Numbered, about: str = "") -> str:
    """A code with its title and a citation of its record, or the bare number without one. With
    `about`, the record's own item that names that other code is cited rather than its title
    line, when it has one (52332's "diagnostic cystoscopy (52000) is included")."""
    record = records.get(code)
    if record is None:
        return code
    pid = f"{code}#summary-0"
    if about:
        lists = (("includes", record.includes), ("reported_separately", record.reported_separately))
        named = [
            f"{code}#{kind}-{i}"
            for kind, items in lists
            for i, item in enumerate(items)
            if about in item.codes
        ]
        named += _generated_naming(code, about, numbered)
        pid = next((p for p in named if numbered.get(p) is not None), pid)
    return f"{code} ({record.title}) [{numbered.add_id(pid)}]"


def _generated_naming(code: str, about: str, numbered: Numbered) -> list[str]:
    """The record's generated PTP line (assistant/bundling.py) that names `about`, if any."""
    found: list[str] = []
    for kind in GENERATED_FIELDS:
        n = 0
        while (passage := numbered.get(f"{code}#{kind}-{n}")) is not None:
            if about in codes_in(passage.text):
                found.append(passage.id)
            n += 1
    return found


# What each distinct-service fact needs on the claim and in the record (NCCI manual ch. I, E).
DISTINCT_WORDING = {
    "opposite_sides": (
        "the services were on opposite sides",
        "RT and LT (the side of each service)",
        "the side of each",
    ),
    "separate_lesion": ("a separate lesion or site", "XS (or 59)", "a different site, lesion or organ"),
    "separate_session": (
        "a separate session",
        "XE (or 59)",
        "a separate encounter, with its own time and note",
    ),
}


def _with_modifier(f: PairFacts, records: dict[str, Record], numbered: Numbered) -> str:
    assert f.active is not None
    c1, c2 = f.active.column_1, f.active.column_2
    said, mods, shown = zip(*(DISTINCT_WORDING[fact] for fact in f.distinct), strict=True)
    return (
        f"Yes, with a modifier: {c2} may be reported with {c1} here, because the question says "
        f"{' and '.join(said)}. An active NCCI edit makes {c2} a column 2 code of "
        f"{summary(c1, records, numbered, about=c2)} with modifier indicator 1, which a modifier may "
        f"bypass when the services are distinct: append {' or '.join(mods)} to {c2}. The record must "
        f"document {' and '.join(shown)}; without that, only {c1} is reported. "
        f"Rationale: {f.active.rationale}. Also see {summary(c2, records, numbered)}."
    )


def pair(f: PairFacts, records: dict[str, Record], numbered: Numbered) -> str:
    active = f.active
    if active is not None and f.bypassed:
        return _with_modifier(f, records, numbered)
    if active is not None:
        c1, c2 = active.column_1, active.column_2
        if f.asks_included:
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
        return (
            f"{lead} (an active NCCI edit makes {c2} a column 2 code of {c1}), so at the same session only "
            f"{summary(c1, records, numbered, about=c2)} is reported. "
            f"Modifier indicator {active.modifier}: {meaning}. "
            f"Rationale: {active.rationale}. Also see {summary(c2, records, numbered, about=c1)}."
        )
    text = (
        ("No, not included as far as NCCI goes: " if f.asks_included else "Yes, as far as NCCI goes: ")
        + f"no active NCCI PTP edit pairs {summary(f.first, records, numbered)} and "
        f"{summary(f.second, records, numbered)} (edits as of {f.as_of}), so NCCI does not bundle them and "
        "each is reported separately when both are done; other payer rules may still apply."
    )
    if f.deleted is not None and f.deleted.deletion is not None:
        text += f" An earlier edit between them was deleted after {show_day(f.deleted.deletion)}."
    return text


def units(f: UnitsFacts, records: dict[str, Record], numbered: Numbered) -> str:
    if f.limit is None:
        return f"The MUE table (as of {f.as_of}) has no limit for {summary(f.code, records, numbered)}."
    mai = f.limit.mai
    text = (
        f"At most {unit_count(f.limit.units)} of {summary(f.code, records, numbered)} per day under the NCCI "
        f"medically unlikely edit (MAI {mai}: {MAI_MEANING.get(mai, '')})."
    )
    if f.typed is not None:
        over = f.typed > f.limit.units
        verb = "is" if f.typed == 1 else "are"
        text += (
            f" The {unit_count(f.typed)} asked about {verb} over that limit: an MUE denial takes the whole "
            "claim line, not only the extra units."
            if over
            else f" The {unit_count(f.typed)} asked about {verb} within it."
        )
    return text


def family(f: FamilyFacts, records: dict[str, Record], numbered: Numbered) -> str:
    row = f.row
    if row is None:
        return f"The RVU file ({f.as_of}) has no indicators for {summary(f.code, records, numbered)}."
    mult = row.mult_proc
    period = f"global period {row.glob_days} ({GLOBAL_MEANING.get(row.glob_days, 'see the RVU file')})"
    if row.is_add_on:
        primaries = ", ".join(f.primaries[:12]) or "the primary procedure CMS names"
        period = (
            f"an add-on code (global ZZZ): reported only in addition to its primary procedure ({primaries})"
        )
    # The indicators asked about lead ("51595 bilateral indicator?"); the global period and the
    # multiple-procedure rule always follow, since they decide how the line is paid.
    always = ("glob_days", "mult_proc")
    asked = [
        field.describe(row) for field in RVU_FIELDS if field.name in f.asked and field.name not in always
    ]
    parts = [f"{summary(f.code, records, numbered)}: {'; '.join([*asked, period])}"]
    parts.append(f"multiple-procedure indicator {mult} ({MULT_PROC_MEANING.get(mult, 'see the RVU file')})")
    if row.endo_base:
        parts.append(
            f"endoscopic base code {summary(row.endo_base, records, numbered)}; when several endoscopies of "
            "this family are done at one session, the base code is not reported with them and "
            "payment follows the multiple-endoscopy rule"
        )
    return "; ".join(parts) + "."


def retired_codes(f: RetiredCodes, records: dict[str, Record], numbered: Numbered) -> str:
    return (
        f"{', '.join(f.codes)} is a retired code with no active edits; "
        f"see {summary(f.codes[0], records, numbered)}."
    )


def claim(f: ClaimFacts) -> str:
    return claim_text(f.report, f.asked)
