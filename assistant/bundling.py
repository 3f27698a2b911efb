"""A record's generated "bundles / bundled into" section, rendered from the PTP table at ingest.

Hand-written `includes` items carry the service words a coder asks with; this section carries the
rest of the table's modifier-0 edits that touch the record's code, in both directions, so that no
in-range edit goes unmentioned and a pair answer can cite the record's own line naming the other
code. The wording is ours around CMS facts (code numbers, the column, the indicator, the table
date); the titles shown beside codes are our record titles. The text depends only on the records
and the rules database the product ships (data/rules/rules.sqlite), never on today's date, so
an unchanged record renders the same passages and is not re-embedded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from assistant.config import Settings
from assistant.records import Record
from assistant.rulesdb import RulesDB, RulesError

# Codes that go with urinary procedures though they sit outside the range: catheterization,
# diagnostic cystoscopy, fluoroscopy and imaging guidance (issue 13); 74xxx is urinary imaging.
COMPANIONS = frozenset({"51701", "51702", "51703", "52000", "52005", "52310", "76000", "77002"})
# Codes per generated passage: long enough to keep the passage count low, short enough to read.
CHUNK = 12
FIELDS = ("bundles", "bundled_into")


def companion(code: str) -> bool:
    return code in COMPANIONS or (code.startswith("74") and code.isdigit())


@dataclass(frozen=True)
class Bundling:
    """The in-range modifier-0 edits of every record code, as of the PTP table's own date."""

    as_of: str
    bundles: dict[str, list[str]] = field(default_factory=dict)  # column 1 -> its column 2 codes
    bundled_into: dict[str, list[str]] = field(default_factory=dict)  # column 2 -> its column 1 codes
    titles: dict[str, str] = field(default_factory=dict)  # our record titles, shown beside codes

    def codes(self, code: str) -> set[str]:
        return {*self.bundles.get(code, []), *self.bundled_into.get(code, [])}


def _table_day(as_of: str) -> date | None:
    try:
        return max(date.fromisoformat(part.strip()) for part in as_of.split(","))
    except ValueError:
        return None


def record_range(records: Iterable[Record]) -> tuple[str, str]:
    """The lowest and highest numeric code the knowledge base describes."""
    codes = sorted(r.code for r in records if r.code and r.code.isdigit())
    return (codes[0], codes[-1]) if codes else ("", "")


def bundling(records: list[Record], rules: RulesDB) -> Bundling:
    """Modifier-0 edits active on the table date: column 2 in range or a companion for the
    record's code as column 1; column 1 in range for the record's code as column 2."""
    as_of = rules.as_of("ptp", "practitioner")
    day = _table_day(as_of)
    if day is None:  # no practitioner table loaded: nothing to render
        return Bundling(as_of)
    low, high = record_range(records)
    result = Bundling(as_of, titles={r.code: r.title for r in records if r.code})
    for record in records:
        if record.type != "procedure" or not record.code:
            continue
        code = record.code
        live = [e for e in rules.column_2_of(code) if e.modifier == "0" and e.in_effect(day)]
        under = sorted({e.column_2 for e in live if low <= e.column_2 <= high or companion(e.column_2)})
        live = [e for e in rules.column_1_of(code) if e.modifier == "0" and e.in_effect(day)]
        over = sorted({e.column_1 for e in live if low <= e.column_1 <= high})
        if under:
            result.bundles[code] = under
        if over:
            result.bundled_into[code] = over
    return result


def _named(codes: list[str], titles: dict[str, str]) -> str:
    return "; ".join(f"{c} ({titles[c]})" if c in titles else c for c in codes)


def section_texts(code: str, b: Bundling) -> list[tuple[str, str]]:
    """(field, text) for each generated passage of `code`, in a fixed order; long lists are split
    into passages of CHUNK codes so each stays within the embedder's window."""
    table = f"CMS NCCI PTP practitioner table dated {b.as_of}"
    sections = (
        (
            "bundles",
            b.bundles.get(code, []),
            f"Bundled into {code} by the {table}, modifier indicator 0 (no modifier lets both be "
            "paid for the same patient on the same date): {}.",
        ),
        (
            "bundled_into",
            b.bundled_into.get(code, []),
            f"{code} is bundled into each of these codes by the {table}, modifier indicator 0: "
            f"when one of them is reported for the same patient on the same date, {code} is not "
            "paid in addition and no modifier overrides the edit: {}.",
        ),
    )
    return [
        (field, template.format(_named(codes[i : i + CHUNK], b.titles)))
        for field, codes, template in sections
        for i in range(0, len(codes), CHUNK)
    ]


def for_settings(settings: Settings, records: list[Record]) -> tuple[Bundling | None, str]:
    """The section's facts from the product's rules database (built from the shipped tables when
    missing), or None and why not: an index without the section still answers from the tables."""
    from assistant.rules import load_rules  # the rules stack is only needed while building

    try:
        db = load_rules(settings.rules_db)
    except (RulesError, OSError) as exc:
        return None, f"no rules database ({type(exc).__name__}): records carry no generated PTP section"
    try:
        return bundling(records, db), ""
    finally:
        db.close()
