"""Wording for a lookup decided with qualifiers: the code the stated details pick, the family it
belongs to (which detail splits it), a count as the first code plus the add-on's units, and the
bilateral indicator when both sides are stated. Facts come from the `Decision`, never from here.
"""

from __future__ import annotations

from assistant.cite import Numbered
from assistant.compose_rules import summary
from assistant.decide.base import CountSplit, Lookup, QualifierChoice, SidesNote
from assistant.qualifiers import Box, Family, SizeRange
from assistant.records import Record
from assistant.rvu_fields import BILATERAL_MEANING

_AXIS_WORDS = {
    "session": "first or later treatment",
    "scope": "instrument",
    "size_cm": "size",
    "anesthesia": "anaesthesia",
}
# How a value reads in an answer, where its name alone would not ("with" -> "with stent").
_VALUE_WORDS = {
    ("session", "initial"): "first treatment",
    ("session", "subsequent"): "later or repeat treatment",
    ("stent", "with"): "with cystoscopy and stent",
    ("stent", "without"): "without cystoscopy and stent",
    ("scope", "cystoscope"): "no ureteroscope",
    ("scope", "ureteroscope"): "with a ureteroscope",
    ("anesthesia", "general"): "general or spinal anaesthesia",
    ("anesthesia", "local"): "local or no anaesthesia",
    ("count", "each_additional"): "each additional",
}


def _value(axis: str, value: str) -> str:
    return _VALUE_WORDS.get((axis, value), value)


def _box_words(box: Box, family: Family) -> str:
    parts = []
    for axis in family.splits_on:
        value = box.values.get(axis)
        if isinstance(value, SizeRange):
            parts.append(value.words())
        elif isinstance(value, list):
            parts.append(" or ".join(_value(axis, v) for v in value))
        elif value is not None:
            parts.append(_value(axis, value))
    return ", ".join(parts) or "any"


def family_line(family: Family) -> str:
    """'Its codes split by sex: 53230 female; 53235 male.'"""
    named = [_AXIS_WORDS.get(a, a) for a in family.splits_on]
    axes = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} and {named[-1]}"
    members = "; ".join(
        f"{m.code} {' or '.join(_box_words(b, family) for b in m.boxes)}" for m in family.members
    )
    return f"Its family ({family.title[0].lower()}{family.title[1:]}) splits by {axes}: {members}."


def lead(chosen: QualifierChoice | None) -> str:
    """The opening words of a lookup answer."""
    if chosen is None:
        return "The closest match in the knowledge base is"
    stated = ", ".join(_value(axis, value) for axis, value in chosen.stated)
    return f"For the details stated ({stated}), the code is"


def proposal(proposed: str, ranked: list[str], chosen: QualifierChoice | None) -> tuple[str, str]:
    """What the lookup says of the code the coder offered, as (before, after) the lookup text: the
    code that fits comes first either way. "Does not fit" only when a qualifier family the
    offered code belongs to decided it on the details stated; otherwise the ranking is named as a
    ranking."""
    if not ranked:
        return "", ""
    best = ranked[0]
    if best == proposed:
        return f"Yes: {proposed} is the best match in the knowledge base for what you describe.", ""
    if chosen is not None and chosen.code == best and chosen.family.member(proposed) is not None:
        return "", f"The code you offered, {proposed}, does not fit the details stated."
    return "", f"You offered {proposed}; the knowledge base ranks {best} first for what you describe."


def chosen_text(chosen: QualifierChoice) -> str:
    text = family_line(chosen.family)
    if chosen.replaced is not None:
        text += f" The stated details rule out {chosen.replaced}, which the wording alone matched best."
    if chosen.on_bound:
        text += " The size stated sits exactly on a tier bound: confirm the tier from the operative note."
    return text


def count_text(split: CountSplit, records: dict[str, Record], numbered: Numbered) -> str:
    first = summary(split.first, records, numbered)
    if split.total == 1:
        return f"For one of the {split.noun}, report {first} once; the add-on {split.add_on} is not used."
    extra = split.total - 1
    text = (
        f"For {split.total} {split.noun} in total, report {first} once, for the first, and add-on "
        f"{summary(split.add_on, records, numbered)} with {extra} units, one for each after the first "
        f"({split.first} x1 + {split.add_on} x{extra})."
    )
    limit = split.add_on_limit
    if limit is not None:
        text += f" The MUE for {split.add_on} is {limit.units} units per day"
        over = extra > limit.units
        text += f"; {extra} is over it, so check the count and the documentation." if over else "."
    return text


def sides_text(sides: SidesNote) -> str:
    if sides.row is None:
        return f"Both sides: the RVU file holds no bilateral indicator for {sides.code}."
    bi = sides.row.bilat_surg
    return (
        f"Done on both sides: {sides.code} has bilateral indicator {bi} "
        f"({BILATERAL_MEANING.get(bi, 'see the RVU file')})."
    )


def extra(f: Lookup) -> str:
    """What follows the lookup's best match: its family's split and the bilateral rule."""
    parts = []
    if f.chosen is not None and f.count is None:
        parts.append(chosen_text(f.chosen))
    if f.sides is not None:
        parts.append(sides_text(f.sides))
    return " ".join(parts)
