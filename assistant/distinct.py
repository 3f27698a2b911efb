"""The facts a turn states that make two services distinct (sides, lesions, sessions), so that
a modifier-1 edit may be bypassed with the modifier that says so (NCCI policy manual ch. I,
E.1-E.3). Cue phrases, not a classifier: the wording of these facts is narrow and exact."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.codes import CodeMention

# Facts that make two services distinct, so a modifier-1 edit may be bypassed (NCCI policy
# manual ch. I, E.1-E.3).
DISTINCT_FACTS: dict[str, tuple[str, ...]] = {
    "opposite_sides": (
        "contralateral",
        "one on each side",
        "left and right",
        "right and left",
        "left side and the right",
        "right side and the left",
    ),
    "separate_lesion": ("unrelated to the", "separate problem"),
    "separate_session": (
        "back to the or",
        "returned to the or",
        "back to the operating room",
        "returned to the operating room",
        "that evening",
        "that afternoon",
    ),
}


# The usual wording, with words between or none ("a separate lesion", "a separate flat lesion",
# "a different, later session"): a distinguishing word, up to two others, then what it
# distinguishes. The fixed phrases above are the wordings these do not take.
_BETWEEN = r"(?:[\w,-]+\s+){0,2}?"
DISTINCT_PATTERNS: dict[str, re.Pattern[str]] = {
    "opposite_sides": re.compile(rf"\b(opposite|other|contralateral|different)[\s,]+{_BETWEEN}side\b", re.I),
    "separate_lesion": re.compile(
        rf"\b(separate|different|another|distinct|unrelated|second)[\s,]+{_BETWEEN}"
        r"(lesions?|sites?|organs?|areas?|tumou?rs?|incisions?)\b",
        re.I,
    ),
    "separate_session": re.compile(
        rf"\b(separate|different|second|another|later)[\s,]+{_BETWEEN}(sessions?|encounters?|trips?|days?)\b",
        re.I,
    ),
}

# A side named in words ("right kidney", "LEFT ureteral stone"); "right" that confirms ("is
# that right?", "the right code") names no side.
# Nor does "right" as an adverb before a place or a time ("the tumor sat right over the orifice",
# "right after the stent"), or "left" as a verb ("they left a stent", "left in place").
_SIDE_WORD = re.compile(
    r"\bleft\b(?!\s+(?:a|an|the|in|it|them|indwelling|behind|alone|overnight|with|open|there|over)\b)|"
    r"\bright\b(?!\s*(?:[?.!]|$|code|now|away|answer|"
    r"(?:over|at|on|in|into|next|by|beside|after|before|there|here|up|through)\b))",
    re.I,
)


def distinct_facts(text: str, typed: Sequence[CodeMention], n_codes: int | None = None) -> tuple[str, ...]:
    """The facts the turn states that make two services distinct (sides, lesions, sessions);
    `n_codes`, the codes in play (a follow-up's come from the history), defaults to those typed."""
    lowered = f" {text.lower()} "
    found = [
        fact
        for fact, cues in DISTINCT_FACTS.items()
        if any(cue in lowered for cue in cues) or DISTINCT_PATTERNS[fact].search(text)
    ]
    sides = {m for mention in typed for m in mention.modifiers if m in ("LT", "RT")}
    named = {m.group(0).lower() for m in _SIDE_WORD.finditer(text)}
    # Two codes and both sides named ("PCNL right kidney (50080) and ... LEFT ureteral stone (52353)").
    in_play = len({m.code for m in typed}) if n_codes is None else n_codes
    both_named = named == {"left", "right"} and in_play >= 2
    if (len(sides) == 2 or both_named) and "opposite_sides" not in found:
        found.append("opposite_sides")
    return tuple(found)
