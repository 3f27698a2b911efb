"""Validate the knowledge base and report its coverage (`codecite validate`, `codecite stats`).

Errors (validation fails): schema, duplicate records, codes that exist nowhere, an alias in both
lists of one record, body length, eight-word runs shared with the seed page.
Mismatches (listed in stats, facts to review): an `includes` code with no active PTP edit under
the record's code, a `reported_separately` code with an active modifier-0 edit.
Rewording (listed, not fatal, so CMS text quoted with its section stays possible): runs of the
boilerplate that official descriptors are built from, in a record's title, body or item text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from assistant.cite import codes_in
from assistant.ingest import IngestError, ParsedFile, load_knowledge
from assistant.qualifier_check import check_knowledge
from assistant.records import Record
from assistant.rules import RulesDB

EXTERNAL_FILE = "external_codes.yaml"
BODY_WORDS = (30, 450)
SEED_RUN = 8
# Phrases official code descriptors are built from; in our prose they mean the wording follows a
# descriptor too closely. Quoted spans are skipped (CMS text quoted with its section is allowed);
# aliases are skipped too, since they are the words coders type, matched against questions.
DESCRIPTOR_BOILERPLATE = re.compile(
    r"\bwith or without\b|\bwhen (?:performed|done)\b|\bexclusive of radiolog\w* (?:service|supervision)|"
    r"\(separate procedure\)|\beach additional\b|\bany (?:method|procedure)\b|"
    r"\bsingle or multiple\b|\bunilateral or bilateral\b|\ball (?:associated )?radiolog\w* supervision\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r'"[^"\n]*"|\u201c[^\u201d\n]*\u201d')
_SPAN = re.compile(r"(?<![\w.$])(\d{5})\s*[-–]\s*(\d{5})(?!\w|\.\d)")


@dataclass
class Report:
    errors: list[IngestError] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    records: int = 0
    seed_check: str = ""
    descriptor_runs: list[str] = field(default_factory=list)


def load_external(knowledge_dir: Path) -> list[tuple[str, str]]:
    """Declared codes outside the knowledge base (radiology S&I, other sections): (low, high)."""
    path = knowledge_dir / EXTERNAL_FILE
    if not path.is_file():
        return []
    spans = []
    for entry in yaml.safe_load(path.read_text()).get("codes", []):
        low, _, high = str(entry["code"]).partition("-")
        spans.append((low, high or low))
    return spans


def mentioned_codes(parsed: ParsedFile) -> list[tuple[str, str]]:
    """(field, code) for every code a record names, ranges in the body taken at their ends."""
    r = parsed.record
    named: list[tuple[str, str]] = [("base_code", r.base_code)] if r.base_code else []
    named += [("see_also", c) for c in r.see_also] + [("primary_codes", c) for c in r.primary_codes]
    named += [("replaced_by", c) for c in r.replaced_by]
    for kind in ("includes", "reported_separately"):
        named += [(kind, c) for item in getattr(r, kind) for c in item.codes]
    body = _SPAN.sub(lambda m: f"{m.group(1)} {m.group(2)}", parsed.body)
    named += [("body", c) for c in codes_in(body)]
    return named


def descriptor_runs(parsed: ParsedFile) -> list[str]:
    """Descriptor boilerplate in a record's own prose: "file: where: 'phrase'" for each run."""
    r = parsed.record
    texts = [("title", r.title), ("body", parsed.body)]
    for kind in ("includes", "reported_separately"):
        texts += [(f"{kind}[{i}]", f"{it.service}\n{it.reason}") for i, it in enumerate(getattr(r, kind))]
    return [
        f"{parsed.path}: {where}: descriptor boilerplate {m.group(0).lower()!r}; say it in our own words"
        for where, text in texts
        for m in DESCRIPTOR_BOILERPLATE.finditer(_QUOTED.sub(" ", text))
    ]


def seed_shingles(seeds_dir: Path) -> set[tuple[str, ...]]:
    boiler = re.compile(
        r"copyright|all rights reserved|create a free account|casepilot|coding assistan", re.I
    )
    shingles: set[tuple[str, ...]] = set()
    for path in seeds_dir.glob("*.txt"):
        for line in path.read_text(errors="replace").splitlines():
            if not boiler.search(line):
                words = re.findall(r"[a-z0-9]+", line.lower())
                shingles |= {tuple(words[i : i + SEED_RUN]) for i in range(len(words) - SEED_RUN + 1)}
    return shingles


def _shares_run(text: str, shingles: set[tuple[str, ...]]) -> bool:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return any(tuple(words[i : i + SEED_RUN]) in shingles for i in range(len(words) - SEED_RUN + 1))


def _record_errors(parsed: ParsedFile) -> list[IngestError]:
    r, errors = parsed.record, []
    inc = {a.lower() for item in r.includes for a in item.aliases}
    sep = {a.lower() for item in r.reported_separately for a in item.aliases}
    for alias in sorted(inc & sep):
        errors.append(
            IngestError(
                parsed.path, 0, "aliases", f"alias {alias!r} is in both includes and reported_separately"
            )
        )
    words = len(parsed.body.split())
    if not BODY_WORDS[0] <= words <= BODY_WORDS[1]:
        errors.append(
            IngestError(parsed.path, 0, "body", f"{words} words; expected {BODY_WORDS[0]}-{BODY_WORDS[1]}")
        )
    return errors


def _fact_mismatches(r: Record, rules: RulesDB) -> list[str]:
    if r.type != "procedure" or not r.code:
        return []
    out = []
    today = date.today()
    for item in r.includes:
        for code in item.codes:
            edits = [e for e in rules.edits(r.code, code) if e.column_1 == r.code]
            if (
                not any(e.in_effect(today) for e in edits)
                and "policy" not in item.reason.lower()
                and "ncci" not in item.reason.lower()
                and "definition" not in item.reason.lower()
            ):
                out.append(
                    f"{r.code} includes {code}: no active PTP edit {r.code}/{code} and no cited policy"
                )
    for item in r.reported_separately:
        for code in item.codes:
            active = rules.edit_on(r.code, code, today)
            if active is not None and active.modifier == "0":
                out.append(
                    f"{r.code} reports {code} separately, but PTP {active.column_1}/{active.column_2} "
                    "is active with modifier 0"
                )
    return out


def validate(knowledge_dir: Path, rules: RulesDB, seeds_dir: Path | None) -> Report:
    result = load_knowledge(knowledge_dir)
    report = Report(errors=list(result.errors), records=len(result.files))
    known = {f.record.code for f in result.files if f.record.code}
    external = load_external(knowledge_dir)
    for parsed in result.files:
        report.errors += _record_errors(parsed)
        code = parsed.record.code
        if code and not rules.knows(code):
            report.errors.append(
                IngestError(parsed.path, 2, "code", f"{code} is not in the CMS code inventory")
            )
        for where, named in mentioned_codes(parsed):
            if (
                named not in known
                and not rules.knows(named)
                and not any(lo <= named <= hi for lo, hi in external)
            ):
                report.errors.append(
                    IngestError(
                        parsed.path,
                        0,
                        where,
                        f"code {named} is not in the knowledge base, the CMS tables or {EXTERNAL_FILE}",
                    )
                )
        report.mismatches += _fact_mismatches(parsed.record, rules)
        report.descriptor_runs += descriptor_runs(parsed)
    report.errors += check_knowledge(knowledge_dir, rules, known)  # qualifier families partition
    if seeds_dir is not None and seeds_dir.is_dir():
        shingles = seed_shingles(seeds_dir)
        for path in sorted(knowledge_dir.rglob("*.md")):
            if _shares_run(path.read_text(errors="replace"), shingles):
                report.errors.append(
                    IngestError(
                        str(path.relative_to(knowledge_dir)),
                        0,
                        "body",
                        f"shares a run of {SEED_RUN} words with the seed page; rewrite it",
                    )
                )
        report.seed_check = f"checked against {seeds_dir}"
    else:
        report.seed_check = "skipped: seed pages not found (dev-only check, needs ../shared/seeds)"
    return report


@dataclass
class Coverage:
    """`codecite stats`: the knowledge base against the CMS inventory of the range it describes."""

    records: int
    by_type: dict[str, int]
    inventory_codes: int
    inventory_covered: int
    inventory_missing: list[str]
    not_in_inventory: list[str]
    by_section: dict[str, int]
    families: int
    largest_families: list[tuple[str, int]]
    records_without_sources: list[str]
    procedures_without_facts: list[str]
    includes_facts: int
    reported_separately_facts: int
    fact_mismatches: list[str]


def coverage(knowledge_dir: Path, rules: RulesDB) -> Coverage:
    """Codes covered vs the CMS inventory, by section and family; records lacking facts."""
    files = load_knowledge(knowledge_dir).files
    records = [f.record for f in files]
    codes = {r.code for r in records if r.code}
    numeric = sorted(c for c in codes if c.isdigit())
    # The inventory of the range the knowledge base describes (its lowest to highest code).
    inventory = set(rules.codes_between(numeric[0], numeric[-1])) if numeric else set()
    inventory = {c for c in inventory if c.isdigit()}
    procedures = [r for r in records if r.type == "procedure"]
    return Coverage(
        records=len(records),
        by_type=dict(Counter(r.type for r in records)),
        inventory_codes=len(inventory),
        inventory_covered=len(inventory & codes),
        inventory_missing=sorted(inventory - codes),
        not_in_inventory=sorted(codes - inventory),
        by_section=dict(sorted(Counter(r.section or "(none)" for r in records).items())),
        families=len({r.family for r in records}),
        largest_families=Counter(r.family for r in records).most_common(10),
        records_without_sources=sorted(r.key for r in records if not r.sources),
        procedures_without_facts=sorted(
            r.key for r in procedures if not r.includes and not r.reported_separately
        ),
        includes_facts=sum(len(r.includes) for r in records),
        reported_separately_facts=sum(len(r.reported_separately) for r in records),
        fact_mismatches=[m for r in records for m in _fact_mismatches(r, rules)],
    )
