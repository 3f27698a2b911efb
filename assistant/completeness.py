"""Mechanical completeness of the knowledge base against the PTP table, in both directions.

For each procedure record: the active modifier-0 edits where its code is column 1 and column 2 is
in the range the knowledge base describes or a common companion code, which the record does not
mention (not in its facts, its body, or a policy record that covers it); and the edits where its
code is column 2 of a bigger code in range that the record does not name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from assistant.ingest import ParsedFile
from assistant.rulesdb import RulesDB
from assistant.validate import mentioned_codes

# Codes that go with urinary procedures though they sit outside the range: catheterization,
# diagnostic cystoscopy, fluoroscopy and imaging guidance.
COMPANIONS = frozenset({"51701", "51702", "51703", "52000", "52005", "52310", "76000", "77002"})


@dataclass
class Completeness:
    unreported_bundled: list[str] = field(default_factory=list)  # "52402 includes 53000 (modifier 0)"
    unreported_bundled_into: list[str] = field(default_factory=list)  # "50541 is bundled into 50542"


def completeness(files: list[ParsedFile], rules: RulesDB, day: date | None = None) -> Completeness:
    day = day or date.today()
    records = [f.record for f in files]
    codes = sorted(r.code for r in records if r.code and r.code.isdigit())
    low, high = (codes[0], codes[-1]) if codes else ("", "")
    policies = [r for r in records if r.type == "policy"]
    report = Completeness()
    for parsed in files:
        record = parsed.record
        if record.type != "procedure" or not record.code:
            continue
        named = {code for _, code in mentioned_codes(parsed)}
        named |= {c for p in policies if p.covers(record.code) for item in p.includes for c in item.codes}

        def in_scope(code: str) -> bool:
            return low <= code <= high or code in COMPANIONS or code.startswith("74")

        for edit in rules.column_2_of(record.code):
            live = edit.in_effect(day) and edit.modifier == "0"
            if live and in_scope(edit.column_2) and edit.column_2 not in named:
                report.unreported_bundled.append(f"{record.code} includes {edit.column_2} (modifier 0)")
        for edit in rules.column_1_of(record.code):
            live = edit.in_effect(day) and edit.modifier == "0"
            if live and low <= edit.column_1 <= high and edit.column_1 not in named:
                report.unreported_bundled_into.append(f"{record.code} is bundled into {edit.column_1}")
    return report
