"""The qualifier families checked: each partitions its codes without gaps or overlaps, every
first-of-a-count code has its each-additional add-on (and the CMS add-on table agrees), and every
bilateral indicator given matches the RVU file.

Partition: the family's space is the product of the values of its categorical axes and, when it
splits on size, the size axis cut at every tier bound. Each point of it (every bound itself, and
a point inside every stretch between bounds) must be covered by exactly one member. So tiers that
touch at 2.0 cm pass only when exactly one of them includes 2.0 ("up_to: 2.0" then "over: 2.0").
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from assistant.ingest import IngestError
from assistant.qualifiers import COUNT, SIZE, Family, QualifierSet, SizeRange, load_qualifiers
from assistant.rulesdb import RulesDB

Point = dict[str, str | float]


def _size_points(family: Family) -> list[float]:
    bounds = sorted(
        {
            b
            for m in family.members
            for box in m.boxes
            if isinstance(r := box.values.get(SIZE), SizeRange)
            for b in (r.low, r.high)
            if b is not None
        }
    )
    if not bounds:
        return [1.0]
    inside = [(a + b) / 2 for a, b in itertools.pairwise([0.0, *bounds])] + [bounds[-1] + 1.0]
    return sorted({*bounds, *inside} - {0.0})


def _points(family: Family) -> list[Point]:
    axes = [a for a in family.splits_on if a != SIZE]
    grids: list[list[str | float]] = [list(family.domain(a)) for a in axes]
    if SIZE in family.splits_on:
        axes.append(SIZE)
        grids.append(list(_size_points(family)))
    return [dict(zip(axes, combo, strict=True)) for combo in itertools.product(*grids)]


def _covers(family: Family, point: Point) -> list[str]:
    return [
        m.code
        for m in family.members
        if any(all(box.allows(axis, value) for axis, value in point.items()) for box in m.boxes)
    ]


def _show(point: Point) -> str:
    return ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in point.items())


def partition_errors(family: Family) -> list[str]:
    """Gaps (a combination no code covers) and overlaps (one two codes cover)."""
    out = []
    for point in _points(family):
        covering = _covers(family, point)
        if not covering:
            out.append(f"gap: no code for {_show(point)}")
        elif len(covering) > 1:
            out.append(f"overlap: {' and '.join(covering)} both cover {_show(point)}")
    return out


def count_errors(family: Family, rules: RulesDB | None, today: date) -> list[str]:
    """Each first-of-a-count code pairs with an each-additional add-on the CMS table lists with it."""
    if COUNT not in family.splits_on:
        return []
    firsts = [m.code for m in family.members if m.value_of(COUNT) == "first"]
    extras = [m.code for m in family.members if m.value_of(COUNT) == "each_additional"]
    out = []
    if not firsts:
        out.append("splits on count but no code is the first")
    for first in firsts:
        if not extras:
            out.append(f"missing add-on pair: {first} is the first, but no code is each additional")
    if rules is None:
        return out
    for extra in extras:
        primaries = {e.primary for e in rules.add_on_edits(extra, today)}
        if not primaries:
            out.append(f"{extra} is not an add-on code in the CMS add-on (AOC) table")
        for first in firsts:
            if primaries and first not in primaries:
                out.append(
                    f"missing add-on pair: the CMS add-on table does not list {first} as a primary of {extra}"
                )
    return out


def indicator_errors(family: Family, rules: RulesDB | None) -> list[str]:
    out = []
    for m in family.members:
        if m.bilateral_indicator is None:
            if "laterality" in family.splits_on:
                out.append(f"{m.code}: a family that splits on laterality gives each bilateral_indicator")
            continue
        row = rules.rvu(m.code) if rules is not None else None
        if rules is not None and (row is None or row.bilat_surg != m.bilateral_indicator):
            actual = row.bilat_surg if row is not None else "no RVU row"
            out.append(
                f"{m.code}: bilateral_indicator {m.bilateral_indicator} but the RVU file says {actual}"
            )
    return out


def check(
    qualifiers: QualifierSet, rules: RulesDB | None, known: set[str], today: date | None = None
) -> list[IngestError]:
    """Every family's errors, each naming its file; `known` is the knowledge base's codes."""
    today = today or date.today()
    errors = list(qualifiers.errors)
    for family in qualifiers.families:
        rel = qualifiers.files.get(family.family, f"qualifiers/{family.family}.yaml")
        found = (
            partition_errors(family) + count_errors(family, rules, today) + indicator_errors(family, rules)
        )
        found += [f"{m.code} has no knowledge record" for m in family.members if m.code not in known]
        errors += [IngestError(rel, 0, "members", message) for message in found]
    return errors


@dataclass(frozen=True)
class QualifierCoverage:
    """`codecite stats`: which record families have their qualifier splits as data."""

    families: int
    codes: int
    by_axis: dict[str, int]
    by_record_family: dict[str, tuple[int, int]]  # record family -> (codes with qualifiers, codes)


def coverage(qualifiers: QualifierSet, record_families: dict[str, str]) -> QualifierCoverage:
    """`record_families` maps each procedure code to its record's `family`."""
    covered = qualifiers.codes
    sizes = Counter(record_families.values())
    touched = Counter(record_families[c] for c in covered if c in record_families)
    return QualifierCoverage(
        families=len(qualifiers.families),
        codes=len(covered),
        by_axis=dict(Counter(a for f in qualifiers.families for a in f.splits_on).most_common()),
        by_record_family={fam: (n, sizes[fam]) for fam, n in sorted(touched.items())},
    )


def check_knowledge(knowledge_dir: Path, rules: RulesDB | None, known: set[str]) -> list[IngestError]:
    """The validator's hook: load `knowledge/qualifiers/` and check it."""
    return check(load_qualifiers(knowledge_dir), rules, known)
