"""Questions without a verdict: what a code is, which code fits a procedure, a general rule."""

from __future__ import annotations

from assistant.decide.base import Context, Decision, Describe, GeneralRule, Lookup, RetiredRecord
from assistant.parse import ParsedQuestion


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
        return Decision(GeneralRule(ctx.records[ctx.hits[0].passage.code]), None, "policy")


class LookingUp:
    """Which code fits the procedure described: the best-ranked records."""

    name = "lookup"

    def applies(self, q: ParsedQuestion, ctx: Context) -> bool:
        return True

    def decide(self, q: ParsedQuestion, ctx: Context) -> Decision:
        ranked = ctx.rank()
        return Decision(Lookup(ranked), None, "search", subject=ranked[:1])
