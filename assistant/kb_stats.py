"""The knowledge base in figures for `codecite stats`: facts by kind, policies by manual section,
and the open findings of the completeness and wording checks (one count per check)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from assistant.bundling import bundling
from assistant.completeness import Completeness, completeness
from assistant.ingest import ParsedFile
from assistant.records import Record
from assistant.rulesdb import RulesDB
from assistant.validate import descriptor_runs

_CHAPTER_OR_SECTION = re.compile(r"\bch\.\s*([IVX]+)\b|\bsec\.\s*([A-Z])\b")


@dataclass
class KnowledgeFigures:
    facts_by_kind: dict[str, int] = field(default_factory=dict)
    policies_by_section: dict[str, list[str]] = field(default_factory=dict)  # "ch. VII sec. C" -> ids
    open_findings: dict[str, int] = field(default_factory=dict)


def manual_sections(text: str) -> list[str]:
    """NCCI manual sections a source line cites: "ch. VII, sec. C items 6, 7; sec. I item 15"
    gives ch. VII sec. C and ch. VII sec. I; a chapter cited without a section stands alone."""
    found: list[str] = []
    chapter = ""
    pending = False  # a chapter named, no section after it yet
    for m in _CHAPTER_OR_SECTION.finditer(text):
        if m.group(1):
            if pending:
                found.append(f"ch. {chapter}")
            chapter, pending = m.group(1), True
        elif chapter:
            found.append(f"ch. {chapter} sec. {m.group(2)}")
            pending = False
    if pending:
        found.append(f"ch. {chapter}")
    return list(dict.fromkeys(found))


def _policy_sections(policies: list[Record]) -> dict[str, list[str]]:
    by: dict[str, list[str]] = {}
    for p in policies:
        cited = [s for line in p.sources for s in manual_sections(line)]
        for section in dict.fromkeys(cited) or ["(no manual section cited)"]:
            by.setdefault(section, []).append(p.policy_id or p.key)
    return dict(sorted(by.items()))


def _include_backing(records: list[Record], rules: RulesDB, day: date) -> Counter[str]:
    """Each (record, code) in an `includes` item, by what backs it in the PTP table."""
    kinds: Counter[str] = Counter()
    for r in records:
        if r.type != "procedure" or not r.code:
            continue
        for item in r.includes:
            for code in item.codes:
                edit = rules.edit_on(r.code, code, day)
                if edit is not None and edit.column_1 == r.code:
                    kinds[f"includes codes with a modifier-{edit.modifier} edit"] += 1
                else:
                    kinds["includes codes resting on a policy or the code definition"] += 1
    return kinds


def figures(
    files: list[ParsedFile], rules: RulesDB, mismatches: int, day: date | None = None
) -> KnowledgeFigures:
    """`mismatches`: the count of `Coverage.fact_mismatches`, listed with the other findings."""
    day = day or date.today()
    records = [f.record for f in files]
    section = bundling(records, rules)
    complete: Completeness = completeness(files, rules, day, section)
    facts: dict[str, int] = {
        "includes items": sum(len(r.includes) for r in records),
        "reported_separately items": sum(len(r.reported_separately) for r in records),
        **dict(sorted(_include_backing(records, rules, day).items())),
        "generated PTP lines: codes bundled into a record's code": sum(map(len, section.bundles.values())),
        "generated PTP lines: codes a record's code is bundled into": sum(
            map(len, section.bundled_into.values())
        ),
    }
    findings = {
        "in-range modifier-0 edits unreported, record's code in column 1": len(complete.unreported_bundled),
        "in-range modifier-0 edits unreported, record's code in column 2": len(
            complete.unreported_bundled_into
        ),
        "of the in-range edits, named only by the generated section (column 1)": (
            complete.only_generated_bundled
        ),
        "of the in-range edits, named only by the generated section (column 2)": (
            complete.only_generated_bundled_into
        ),
        "descriptor-boilerplate runs": sum(len(descriptor_runs(f)) for f in files),
        "fact mismatches against the PTP table": mismatches,
        # Qualifier coverage by family (issue 13, structured qualifiers) adds its own counts here.
    }
    policies = [r for r in records if r.type == "policy"]
    return KnowledgeFigures(facts, _policy_sections(policies), findings)
