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
    "separate_lesion": (
        "unrelated to the",
        "separate problem",
        "had nothing to do with the",
        "has nothing to do with the",
        "not related to the",
    ),
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
# Up to four words describing the thing ("a separate 2 cm primary bladder stone"), none of them
# one that relates it to another ("separate from the stone removal" is about billing).
_DESCRIBED = r"(?:(?!(?:from|of|to|or|and|than|code|line)\b)[\w,-]+\s+){0,4}?"
DISTINCT_PATTERNS: dict[str, re.Pattern[str]] = {
    "opposite_sides": re.compile(rf"\b(opposite|other|contralateral|different)[\s,]+{_BETWEEN}side\b", re.I),
    "separate_lesion": re.compile(
        rf"\b(separate|different|another|distinct|unrelated|second)[\s,]+{_DESCRIBED}"
        r"(lesions?|sites?|organs?|areas?|tumou?rs?|incisions?|injur(y|ies)|stones?|strictures?)\b",
        re.I,
    ),
    "separate_session": re.compile(
        rf"\b(separate|different|second|another|later)[\s,]+{_BETWEEN}(sessions?|encounters?|trips?|days?)\b",
        re.I,
    ),
}

# Two times of day ("a tube change this morning ... to the ED tonight"): two encounters.
_TIME_OF_DAY = re.compile(r"\b(morning|afternoon|evening|tonight|overnight|night)\b", re.I)
_SAME_TIME = {"tonight": "night", "overnight": "night"}


def _times_of_day(text: str) -> set[str]:
    return {_SAME_TIME.get(w, w) for w in (m.group(1).lower() for m in _TIME_OF_DAY.finditer(text))}


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


# A side as a letter or short form ("the R kidney", "on the L", "lt ureter"); capitals only for
# the single letters, never after a number ("1 L of saline") or before a slash ("R/O stone").
_SIDE_LETTER = re.compile(r"(?<![\w./])(?<!\d )(R|L)(?![\w'/])|\b(?i:(rt|lt))\b(?!/)")
_LETTER_SIDE = {"r": "right", "rt": "right", "l": "left", "lt": "left"}


def sides_named(text: str) -> set[str]:
    """The sides a text names in words or letters ("right", "R", "lt")."""
    sides = {m.group(0).lower() for m in _SIDE_WORD.finditer(text)}
    sides |= {_LETTER_SIDE[m.group(0).lower()] for m in _SIDE_LETTER.finditer(text)}
    return sides


def distinct_facts(
    text: str, typed: Sequence[CodeMention], n_codes: int | None = None, earlier: str = ""
) -> tuple[str, ...]:
    """The facts the turn states that make two services distinct (sides, lesions, sessions);
    `n_codes`, the codes in play (a follow-up's come from the history), defaults to those typed;
    `earlier`, the turn a follow-up continues, whose side the new code may be opposite to ("R
    ureteral reimplant 50780 ..." then "and on the L they did 50760")."""
    lowered = f" {text.lower()} "
    found = [
        fact
        for fact, cues in DISTINCT_FACTS.items()
        if any(cue in lowered for cue in cues) or DISTINCT_PATTERNS[fact].search(text)
    ]
    if len(_times_of_day(text)) >= 2 and "separate_session" not in found:
        found.append("separate_session")
    sides = {m for mention in typed for m in mention.modifiers if m in ("LT", "RT")}
    named = sides_named(text)
    # Two codes and both sides named ("PCNL right kidney (50080) and ... LEFT ureteral stone (52353)").
    in_play = len({m.code for m in typed}) if n_codes is None else n_codes
    both_named = named == {"left", "right"} and in_play >= 2
    before = sides_named(earlier) if earlier else set()
    crossed = len(named) == 1 and len(before) == 1 and named != before and in_play >= 2
    if (len(sides) == 2 or both_named or crossed) and "opposite_sides" not in found:
        found.append("opposite_sides")
    return tuple(found)
