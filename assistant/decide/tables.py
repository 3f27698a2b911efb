"""Questions the CMS tables decide: a whole claim, a pair of codes, units, fee-schedule facts.

Rule precedence for a pair: the PTP edit, with its modifier indicator read against the session
facts the question states (sides, lesions, sessions); no edit means NCCI does not bundle them.
"""

from __future__ import annotations

from datetime import date
from itertools import combinations

from assistant.claim_checks import check_claim
from assistant.claim_kb import RecordKnowledge
from assistant.decide.base import (
    ClaimFacts,
    Context,
    Decision,
    FamilyFacts,
    PairFacts,
    RetiredCodes,
    Several,
    UnitsFacts,
)
from assistant.models import ClaimEffect, DecidedBy, RuleCitation, Verdict
from assistant.parse import ParsedQuestion
from assistant.rules import claim_citations, mue_citation, no_edit_citation, ptp_citation, rvu_citation
from assistant.rulesdb import RulesDB


def _retired(ctx: Context) -> list[str]:
    assert ctx.rules is not None
    return [c for c in ctx.codes if ctx.rules.is_retired(c)]


def _retired_decision(codes: list[str]) -> Decision:
    return Decision(RetiredCodes(codes), "not_stated", "tables", subject=codes)


MAX_CLEAN_PAIRS = 15  # the pairs of a six-line claim


class Claim:
    """Three or more codes, or codes typed with modifiers or units: check them as one claim."""

    name = "claim"

    def applies(self, q: ParsedQuestion, ctx: Context) -> bool:
        return q.intent == "pair" and ctx.rules is not None and (len(ctx.codes) >= 3 or bool(q.claim_lines))

    def decide(self, q: ParsedQuestion, ctx: Context) -> Decision:
        assert ctx.rules is not None
        # Typed lines, then the codes in play that were not typed (a follow-up's from the history).
        typed = {m.code for m in q.typed}
        lines = [*q.claim_lines, *[c for c in ctx.codes if c not in typed]] if q.claim_lines else ctx.codes
        report = check_claim(lines, ctx.rules, RecordKnowledge(ctx.records))
        serious = [f for f in report.findings if f.severity != "info" or f.kind in ("ptp", "family")]
        blocking = [f for f in serious if f.kind in ("ptp", "family")]
        effect: ClaimEffect = "billable"
        if any(f.severity == "deny" for f in blocking):
            effect = "not_billable"
        elif any(f.severity == "needs_modifier" for f in blocking):
            effect = "needs_modifier"
        rules = claim_citations(serious)
        if not serious:
            # A clean claim rests on the rows it was checked against: no active edit pairs any
            # two of its codes (each pair cited, as a two-code question cites its one pair).
            codes = list(dict.fromkeys(line.code for line in report.lines))
            pairs = list(combinations(codes, 2))[:MAX_CLEAN_PAIRS]
            rules = [pair_verdict(pair_facts(a, b, q, ctx.rules))[2] for a, b in pairs]
        return Decision(
            ClaimFacts(report, ctx.codes),
            "separate" if effect == "billable" else "included",
            "claim",
            effect,
            rules=rules,
            subject=q.codes,
            undescribed=ctx.table_only,
        )


class Pair:
    """Two codes: the active PTP edit between them, or the absence of one."""

    name = "pair"

    def applies(self, q: ParsedQuestion, ctx: Context) -> bool:
        return q.intent == "pair" and ctx.rules is not None and len(ctx.codes) >= 2

    def decide(self, q: ParsedQuestion, ctx: Context) -> Decision:
        assert ctx.rules is not None
        if retired := _retired(ctx):
            return _retired_decision(retired)
        return pair_decision(ctx.codes[0], ctx.codes[1], q, ctx.rules, ctx.table_only)


def pair_facts(a: str, b: str, q: ParsedQuestion, db: RulesDB) -> PairFacts:
    today = date.today()
    active = db.edit_on(a, b, today)
    deleted = None if active else db.last_deleted(a, b, today)
    return PairFacts(a, b, active, deleted, db.as_of("ptp", "practitioner"), q.asks_included, q.distinct)


def pair_verdict(facts: PairFacts) -> tuple[Verdict, ClaimEffect, RuleCitation]:
    """What the PTP table says about two codes: no edit, NCCI does not bundle them; a modifier-1
    edit with facts stated that make the services distinct, reportable with the modifier that
    fits; otherwise bundled."""
    active = facts.active
    if active is None:
        deleted = facts.deleted
        cite = (
            ptp_citation(deleted)
            if deleted is not None
            else no_edit_citation(facts.first, facts.second, facts.as_of)
        )
        return "separate", "billable", cite
    effect: ClaimEffect = "needs_modifier" if active.modifier == "1" else "not_billable"
    return ("separate" if facts.bypassed else "included"), effect, ptp_citation(active)


def pair_decision(a: str, b: str, q: ParsedQuestion, db: RulesDB, undescribed: list[str]) -> Decision:
    facts = pair_facts(a, b, q, db)
    verdict, effect, cite = pair_verdict(facts)
    return Decision(facts, verdict, "ptp", effect, [cite], q.codes, undescribed)


MAX_TABLE_CODES = 6  # a table question about more codes answers the first six


class _FirstCodeFact:
    """A table fact about the code in play, or about each of the codes a units or fee-schedule
    question names (a retired code says so instead)."""

    name = ""
    intents: tuple[str, ...] = ()

    def applies(self, q: ParsedQuestion, ctx: Context) -> bool:
        return q.intent in self.intents and ctx.rules is not None and bool(ctx.codes)

    def decide(self, q: ParsedQuestion, ctx: Context) -> Decision:
        assert ctx.rules is not None
        if retired := _retired(ctx):
            return _retired_decision(retired)
        codes = ctx.codes[:MAX_TABLE_CODES] if q.intent in ("units", "family") else ctx.codes[:1]
        found = [self.fact(code, ctx.rules, q) for code in codes]
        detail: UnitsFacts | FamilyFacts | Several = found[0][0]
        if len(found) > 1:
            detail = Several([fact for fact, _, _ in found])
        cites = [cite for _, _, cited in found for cite in cited]
        return Decision(detail, None, found[0][1], rules=cites, subject=q.codes, undescribed=ctx.table_only)

    def fact(
        self, code: str, db: RulesDB, q: ParsedQuestion
    ) -> tuple[UnitsFacts | FamilyFacts, DecidedBy, list[RuleCitation]]:
        raise NotImplementedError


class Units(_FirstCodeFact):
    """How many units a day: the MUE."""

    name = "units"
    intents = ("units",)

    def fact(
        self, code: str, db: RulesDB, q: ParsedQuestion
    ) -> tuple[UnitsFacts | FamilyFacts, DecidedBy, list[RuleCitation]]:
        limit = db.mue(code)
        cites = [] if limit is None else [mue_citation(limit)]
        typed = next((m.units for m in q.typed if m.code == code and m.units), None)
        return UnitsFacts(code, limit, db.as_of("mue", "practitioner"), typed), "mue", cites


class Family(_FirstCodeFact):
    """Fee-schedule facts: global period, multiple-procedure rule, endoscopic base code (a pair
    question with one code in play lands here too)."""

    name = "family"
    intents = ("family", "pair")

    def fact(
        self, code: str, db: RulesDB, q: ParsedQuestion
    ) -> tuple[UnitsFacts | FamilyFacts, DecidedBy, list[RuleCitation]]:
        row = db.rvu(code)
        cites = [] if row is None else [rvu_citation(row)]
        primaries = [e.primary for e in db.add_on_edits(code, date.today()) if e.primary != "CCCCC"]
        return FamilyFacts(code, row, db.as_of("rvu"), primaries, q.fields), "rvu", cites
