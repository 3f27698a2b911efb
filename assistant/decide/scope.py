"""Turns answered without a verdict on services: declines, codes known nowhere, codes only the
CMS tables know."""

from __future__ import annotations

from assistant.codes import is_level_ii
from assistant.decide.base import Context, Decision, Declined, NotCovered, NotFound, TableOnly
from assistant.parse import ParsedQuestion
from assistant.rules import table_facts


class Decline:
    """Clinical advice, payer rules, falsifying, injections and off-topic requests."""

    name = "decline"

    def applies(self, q: ParsedQuestion, ctx: Context) -> bool:
        return q.intent in ("injection", "other")

    def decide(self, q: ParsedQuestion, ctx: Context) -> Decision:
        # A supply turn names the drug or supply codes it declines, not the procedure beside them.
        supplies = [c for c in [*q.own_codes, *q.unknown_codes] if is_level_ii(c)]
        named = supplies if q.decline == "supply" else q.own_codes
        if q.decline == "courtesy":  # thanks: nothing was asked, so nothing is out of scope
            return Decision(Declined(q.decline), None, "none")
        return Decision(Declined(q.decline, named), "out_of_scope", "scope")


class Unknown:
    """A code in neither the knowledge base nor the CMS tables: say so, never a closest match."""

    name = "not_covered"

    def applies(self, q: ParsedQuestion, ctx: Context) -> bool:
        return bool(ctx.unknown)

    def decide(self, q: ParsedQuestion, ctx: Context) -> Decision:
        return Decision(NotCovered(ctx.unknown), "out_of_scope", "scope")


class TablesOnly:
    """Only codes we hold no record of: what the CMS tables say about each, no service verdict."""

    name = "table_only"

    def applies(self, q: ParsedQuestion, ctx: Context) -> bool:
        return bool(ctx.table_only) and not q.codes and ctx.rules is not None

    def decide(self, q: ParsedQuestion, ctx: Context) -> Decision:
        assert ctx.rules is not None
        facts = [(c, *table_facts(c, ctx.rules)) for c in ctx.table_only]
        return Decision(
            TableOnly([(c, text) for c, text, _ in facts]),
            "out_of_scope",
            "tables",
            rules=[r for _, _, cites in facts for r in cites],
        )


class Weak:
    """No code named and retrieval found nothing close: say so rather than guess."""

    name = "not_found"

    def applies(self, q: ParsedQuestion, ctx: Context) -> bool:
        return not q.codes and ctx.weak

    def decide(self, q: ParsedQuestion, ctx: Context) -> Decision:
        return Decision(NotFound(), "out_of_scope", "none")
