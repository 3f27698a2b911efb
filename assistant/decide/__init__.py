"""The decision step: the first decider that applies to the parsed question decides it.

Order is precedence: declines and unknown codes first; then what the CMS tables decide (a
claim, a pair, units, fee-schedule facts); then record facts and policies; then descriptions
and lookups. A new kind of question is one more decider here; the chain does not change.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.decide.base import Context, Decider, Decision
from assistant.decide.inclusion import Inclusion, InclusionWithoutCode
from assistant.decide.lookup import Counting, Describing, LookingUp, Policy
from assistant.decide.scope import Decline, TablesOnly, Unknown, Weak
from assistant.decide.tables import Claim, Family, Pair, Units
from assistant.parse import ParsedQuestion

DECIDERS: tuple[Decider, ...] = (
    Decline(),
    Unknown(),
    Claim(),
    Pair(),
    Units(),
    Family(),
    TablesOnly(),
    Counting(),
    Inclusion(),
    Describing(),
    Weak(),
    InclusionWithoutCode(),
    Policy(),
    LookingUp(),
)


def decide(q: ParsedQuestion, ctx: Context, deciders: Sequence[Decider] = DECIDERS) -> Decision:
    for decider in deciders:
        if decider.applies(q, ctx):
            return decider.decide(q, ctx)
    raise LookupError("no decider applies")  # LookingUp always applies: a wiring error


__all__ = ["DECIDERS", "Context", "Decider", "Decision", "decide"]
