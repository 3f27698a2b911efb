"""Questions without a verdict: what a code is, which code fits a procedure, a general rule.

A lookup is searched first; then, when the best match belongs to a qualifier family
(`knowledge/qualifiers/`), the details the question states (sex, approach, size, count...) pick
the member that fits, rather than the words alone. A stated count of what a first-plus-each-
additional family counts is answered as the first code once plus the add-on's units.
"""

from __future__ import annotations

from datetime import date

from assistant.decide.base import (
    Context,
    CountSplit,
    Decision,
    Describe,
    GeneralRule,
    Lookup,
    QualifierChoice,
    RetiredRecord,
    SidesNote,
)
from assistant.models import RuleCitation
from assistant.parse import ParsedQuestion
from assistant.qualifier_words import COUNT, stated_count, stated_size, stated_values
from assistant.qualifiers import SIZE, Family, QualifierSet, SizeRange
from assistant.rules import mue_citation, rvu_citation
from assistant.rulesdb import RulesDB


class Describing:
    """What one or more named codes are (a comparison names two)."""

    name = "describe"

    def applies(self, q: ParsedQuestion, ctx: Context) -> bool:
        return bool(q.codes)

    def decide(self, q: ParsedQuestion, ctx: Context) -> Decision:
        chosen = [ctx.records[c] for c in q.codes]
        if len(chosen) == 1 and chosen[0].type == "retired":
            return Decision(RetiredRecord(chosen[0]), None, "record", subject=q.codes)
        return Decision(Describe(chosen, q.topic), None, "record", subject=q.codes)


class Policy:
    """A question about coding in general, answered by the policy record it matches best."""

    name = "general_rule"

    def applies(self, q: ParsedQuestion, ctx: Context) -> bool:
        return bool(ctx.hits) and ctx.hits[0].passage.record_type == "policy"

    def decide(self, q: ParsedQuestion, ctx: Context) -> Decision:
        # The policy its passages support best: the fused scores of its two best hits, as a lookup
        # ranks records, so one passage of a neighbouring rule on top does not outvote the rule
        # that fills the list ("which anatomic modifiers ...?").
        found: dict[str, list[float]] = {}
        for hit in ctx.hits:
            if hit.passage.record_type == "policy":
                found.setdefault(hit.passage.code, []).append(hit.score)
        best = max(found, key=lambda key: sum(sorted(found[key], reverse=True)[:2]))
        return Decision(GeneralRule(ctx.records[best]), None, "policy")


class Counting:
    """A count stated for a code of a first-plus-each-additional family ("they placed 4 implants
    total, how do I report it?" after 52441): the first code once, the add-on for the rest."""

    name = "count"

    def applies(self, q: ParsedQuestion, ctx: Context) -> bool:
        # "is the cystoscopy included in 52441 with 4 implants?" still asks about inclusion.
        return (
            ctx.qualifiers is not None
            and not q.asks_included
            and any(count_split(c, q.text, ctx) for c in q.codes)
        )

    def decide(self, q: ParsedQuestion, ctx: Context) -> Decision:
        split = next(s for c in q.codes if (s := count_split(c, q.text, ctx)) is not None)
        ranked = [split.first, split.add_on]
        return Decision(
            Lookup(ranked, count=split), None, "tables", rules=_count_rules(split, ctx.rules), subject=ranked
        )


class LookingUp:
    """Which code fits the procedure described: the best-ranked records, then the member of the
    best match's qualifier family that fits the details stated."""

    name = "lookup"

    def applies(self, q: ParsedQuestion, ctx: Context) -> bool:
        return True

    def decide(self, q: ParsedQuestion, ctx: Context) -> Decision:
        ranked = ctx.rank()
        text = q.search_query or q.text
        # The search may land on a neighbour outside the family whose split the turn states ("TURBT,
        # large tumor 6cm" ranks a ureter tumour code first): the families of the top three that
        # split on a stated detail are chosen among too. A follow-up states only what it changes;
        # on a first question, a detail the top match's own title states is no reason to look
        # further ("ureteroscopy ... and a stent" ranks 52356, a ureteroscopy code, first).
        changed = stated_values(q.text)
        if stated_size(q.text) is not None:
            changed[SIZE] = "stated"
        if not q.from_history and ranked and ranked[0] in ctx.records:
            agreed = stated_values(ctx.records[ranked[0]].title)
            changed = {axis: v for axis, v in changed.items() if agreed.get(axis) != v}
        candidates = ranked
        if q.earlier and ctx.qualifiers is not None and (not ctx.records or q.earlier[0] in ctx.records):
            # A follow-up changes a detail of the code answered before ("... no ureteroscope -
            # 52320?", "and if he had used the ureteroscope?"): that code's own family is
            # chosen in first when it splits on the detail changed.
            prior = q.earlier[0]
            if any(set(changed) & set(f.splits_on) for f in ctx.qualifiers.of(prior)):
                candidates = [prior, *[c for c in ranked if c != prior]]
        chosen = (
            choose(candidates, text, ctx.qualifiers, changed)
            if candidates and ctx.qualifiers is not None
            else None
        )
        if chosen is not None and ctx.records and chosen.code not in ctx.records:
            chosen = None  # a family member the index holds no record of (a stale index) is not named
        if chosen is not None and (chosen.replaced is not None or chosen.code != ranked[0]):
            ranked = [chosen.code, *[c for c in ranked if c != chosen.code]]
        split = count_split(ranked[0], text, ctx) if ranked else None
        sides = _sides(ranked[0], text, ctx) if ranked and split is None else None
        rules = _count_rules(split, ctx.rules) if split else []
        if sides is not None and sides.row is not None:
            rules.append(rvu_citation(sides.row))
        subject = [split.first, split.add_on] if split else ranked[:1]
        found = Lookup(ranked, chosen=chosen, count=split, sides=sides, proposed=q.proposed)
        return Decision(found, None, "search", rules=rules, subject=subject)


def _point(family: Family, text: str) -> dict[str, str | float]:
    """The values `text` states on the axes the family splits on (count aside)."""
    stated: dict[str, str | float] = {
        a: v for a, v in stated_values(text).items() if a in family.splits_on and a != COUNT
    }
    size = stated_size(text)
    if size is not None and SIZE in family.splits_on:
        stated[SIZE] = size
    return stated


def _fits(family: Family, code: str, point: dict[str, str | float]) -> bool:
    member = family.member(code)
    return member is not None and any(
        all(box.allows(axis, value) for axis, value in point.items()) for box in member.boxes
    )


def _on_bound(family: Family, size: float) -> bool:
    return any(
        size in (r.low, r.high)
        for m in family.members
        for box in m.boxes
        if isinstance(r := box.values.get(SIZE), SizeRange)
    )


def _families(ranked: list[str], qualifiers: QualifierSet, changed: dict[str, str]) -> list[Family]:
    """The best match's families, then those of the next two matches that split on a detail the
    turn states."""
    out = list(qualifiers.of(ranked[0]))
    if changed:
        for code in ranked[1:3]:
            out += [f for f in qualifiers.of(code) if f not in out and set(changed) & set(f.splits_on)]
    return out


def choose(
    ranked: list[str], text: str, qualifiers: QualifierSet, changed: dict[str, str] | None = None
) -> QualifierChoice | None:
    """The member of the best match's family that fits the stated details: the best match itself
    when it fits, else the best-ranked member that does (else the family's first that does);
    among several that fit, those that also fit the family's defaults come first."""
    top = ranked[0]
    for family in _families(ranked, qualifiers, changed or {}):
        point = _point(family, text)
        if not point:
            continue
        members = [m.code for m in family.members]
        order = [c for c in ranked if c in members] + [c for c in members if c not in ranked]
        fitting = [c for c in order if _fits(family, c, point)]
        if not fitting:
            continue
        assumed = {**{a: v for a, v in family.defaults.items() if a not in point}, **point}
        fitting.sort(key=lambda c: not _fits(family, c, assumed))  # stable: rank order otherwise
        stated = tuple((a, f"{v:g} cm" if isinstance(v, float) else str(v)) for a, v in point.items())
        size = point.get(SIZE)
        bound = isinstance(size, float) and _on_bound(family, size)
        by_default = [c for c in fitting if _fits(family, c, assumed)]
        if top in fitting and (top in by_default or not by_default):
            return QualifierChoice(family, top, stated, None, bound)
        return QualifierChoice(family, fitting[0], stated, top, bound)
    return None


def count_split(code: str, text: str, ctx: Context) -> CountSplit | None:
    """A stated count for `code`'s first-plus-each-additional family, else None."""
    if ctx.qualifiers is None:
        return None
    for family in ctx.qualifiers.of(code):
        if COUNT not in family.splits_on:
            continue
        total = stated_count(text, family.counted)
        first = next((m.code for m in family.members if m.value_of(COUNT) == "first"), None)
        extra = next((m.code for m in family.members if m.value_of(COUNT) == "each_additional"), None)
        if total is None or total < 1 or first is None or extra is None:
            continue
        limit = ctx.rules.mue(extra) if ctx.rules is not None else None
        return CountSplit(first, extra, total, limit, family.counted[-1])
    return None


def _count_rules(split: CountSplit | None, rules: RulesDB | None) -> list[RuleCitation]:
    if split is None or rules is None:
        return []
    out = []
    for edit in rules.add_on_edits(split.add_on, date.today()):
        if edit.primary == split.first:
            out.append(
                RuleCitation(
                    kind="aoc",
                    label=f"CMS NCCI add-on code table {edit.source.as_of}: {split.add_on} "
                    f"with primary {split.first}",
                    detail=f"add-on type {edit.aoc_type}; {edit.source.file} line {edit.line}",
                    as_of=edit.source.as_of,
                )
            )
    if split.add_on_limit is not None:
        out.append(mue_citation(split.add_on_limit))
    return out


def _sides(code: str, text: str, ctx: Context) -> SidesNote | None:
    """Both sides stated for a code whose family (if any) does not split by side."""
    if stated_values(text).get("laterality") != "bilateral":
        return None
    families = ctx.qualifiers.of(code) if ctx.qualifiers is not None else []
    if any("laterality" in f.splits_on for f in families):
        return None
    return SidesNote(code, ctx.rules.rvu(code) if ctx.rules is not None else None)
