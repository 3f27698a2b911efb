"""Mechanical completeness of the knowledge base against the PTP table, in both directions.

For each procedure record: the active modifier-0 edits where its code is column 1 and column 2 is
in the range the knowledge base describes or a common companion code, which the record does not
mention (not in its facts, its body, a policy record that covers it, or its generated PTP section);
and the edits where its code is column 2 of a bigger code in range that the record does not name.
The generated section (assistant/bundling.py) is rendered by the same function ingest uses, so a
count of 0 here means the index holds every such edit; `only_generated` says how many of them no
written fact names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from assistant.bundling import Bundling, bundling, companion, record_range
from assistant.ingest import ParsedFile
from assistant.rulesdb import RulesDB
from assistant.validate import mentioned_codes


@dataclass
class Completeness:
    unreported_bundled: list[str] = field(default_factory=list)  # "52402 includes 53000 (modifier 0)"
    unreported_bundled_into: list[str] = field(default_factory=list)  # "50541 is bundled into 50542"
    in_range_bundled: int = 0  # active in-range modifier-0 edits with the record's code in column 1
    in_range_bundled_into: int = 0  # ... with the record's code in column 2
    only_generated_bundled: int = 0  # of those, named only by the generated section
    only_generated_bundled_into: int = 0


def completeness(
    files: list[ParsedFile], rules: RulesDB, day: date | None = None, generated: Bundling | None = None
) -> Completeness:
    """`generated` defaults to the section ingest renders from `rules`; pass an empty Bundling to
    see what the written records alone leave out."""
    day = day or date.today()
    records = [f.record for f in files]
    low, high = record_range(records)
    policies = [r for r in records if r.type == "policy"]
    section = generated if generated is not None else bundling(records, rules)
    report = Completeness()
    for parsed in files:
        record = parsed.record
        if record.type != "procedure" or not record.code:
            continue
        written = {code for _, code in mentioned_codes(parsed)}
        written |= {c for p in policies if p.covers(record.code) for item in p.includes for c in item.codes}
        named = written | section.codes(record.code)

        for edit in rules.column_2_of(record.code):
            live = edit.in_effect(day) and edit.modifier == "0"
            if not live or not (low <= edit.column_2 <= high or companion(edit.column_2)):
                continue
            report.in_range_bundled += 1
            report.only_generated_bundled += edit.column_2 not in written and edit.column_2 in named
            if edit.column_2 not in named:
                report.unreported_bundled.append(f"{record.code} includes {edit.column_2} (modifier 0)")
        for edit in rules.column_1_of(record.code):
            live = edit.in_effect(day) and edit.modifier == "0"
            if not live or not low <= edit.column_1 <= high:
                continue
            report.in_range_bundled_into += 1
            report.only_generated_bundled_into += edit.column_1 not in written and edit.column_1 in named
            if edit.column_1 not in named:
                report.unreported_bundled_into.append(f"{record.code} is bundled into {edit.column_1}")
    return report
