"""Follow-ups that change one detail of an earlier lookup: "and for a male patient?", "and done
laparoscopically?", "same procedure but pt is female", "and a 3.5 cm stone?".

Such a turn is looked up again with the earlier procedure, its conflicting detail taken out of
the query; the lookup then picks, within the best match's qualifier family
(`knowledge/qualifiers/`), the code whose values fit the details now stated. The words for each
value are data shared with those families (`assistant.qualifier_words.AXES`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from assistant.codes import CODE_IN_TEXT, mask_codes
from assistant.cues import ASKS_INCLUDED, COMPARE, DESCRIBE, FAMILY, INCLUSION, UNITS
from assistant.qualifier_words import AXES, COUNT, stated_values
from assistant.rvu_fields import asks_fee_schedule

if TYPE_CHECKING:
    from assistant.conversation import Turn

# Mutually exclusive details a procedure code turns on, and the words for each value: the same
# vocabulary the qualifier families are read with (assistant.qualifier_words), so a detail a
# family splits on is also a detail a follow-up can change.
QUALIFIERS: dict[str, dict[str, tuple[str, ...]]] = {axis: v for axis, v in AXES.items() if axis != COUNT}
# A count of things placed or treated ("and 4 implants?", "they placed 4 total").
_COUNT = re.compile(
    r"\b(\d{1,2}|two|three|four|five|six|seven|eight|nine|ten)\s+(?:\w+\s+)?(?:total\b|[a-z]{3,}s\b)", re.I
)
_SIZE = re.compile(r"\b\d+(?:\.\d+)?\s*(?:cm|mm|centimeters?|millimeters?)\b", re.I)
# The earlier turn asked for a code, or to confirm one ("cysto JJ stent = 52332 right?").
# "cysto + basket extraction of a ureteral stone - 52320?" offers a code to confirm too.
_CONFIRM = re.compile(
    r"\b(right|correct|ok|okay)\s*\??\s*$|=\s*\d{5}|\bcode\s*\??\s*$|\bcode is\b|\bis (it|that|this) \d{5}|"
    r"\s[-–:]\s*\d{5}\s*\?\s*$",
    re.I,
)
# The turn continues the earlier one rather than starting over, or corrects it ("ok the stone
# was actually 3 cm", "sorry, correction - ...").
_CONTINUE = re.compile(
    r"^\s*(?:(?:ok(?:ay)?|so|hmm+|right|sorry|wait)\b[\s,.!-]*)?"
    r"(and|or|but|so|same|what about|how about|what if|if|with|instead|now)\b|\binstead\b|"
    r"\bsame (patient|procedure|situation|case|thing|scenario|op)\b|"
    r"\b(actually|correct(?:ed|ion)|my mistake|i meant|scratch that|update[ds]?|turn(?:s|ed) out)\b|"
    r"^\s*wait\b",
    re.I,
)
_WORD = re.compile(r"[\w.']+")


def last_asked(turns: Sequence[Turn]) -> Turn | None:
    """The latest turn that asked something: a thanks turn is no context, so a follow-up after
    it looks back past it."""
    return next((t for t in reversed(turns) if t.parsed.decline != "courtesy"), None)


def continues(text: str) -> bool:
    """The turn goes on from the earlier one or corrects it ("and ...", "oh wait, actually ...")."""
    return bool(_CONTINUE.search(text))


def _values_in(text: str) -> dict[str, str]:
    """The qualifier value each group names in `text` (the last one named wins)."""
    return stated_values(text)


# A code offered for the procedure described, closing the asking clause ("... no GA - is it
# 52260?", "so is that still 52 260?", "cysto JJ stent = 52332 right?"); read with each code
# written as CODE (`codes.mask_codes`).
_PROPOSES = re.compile(
    r"(\b(is|would|will|should|could)\s+(it|that|this)\s+(still\s+|just\s+|then\s+|really\s+)?(be\s+)?"
    r"(coded\s+(as\s+)?|billed\s+as\s+|code\s+|cpt\s+)?|\bstill\s+|\bcode is\s+|=\s*|\s[-–:]\s*)"
    r"CODE\s*,?\s*(right|correct)?\s*\??\s*$|"
    r"\sCODE\s*,?\s*(right|correct)\s*\??\s*$",
    re.I,
)
_CONFIRMS = re.compile(r"\b(right|correct)\s*\??\s*$|\?\s*$", re.I)


def proposed_code(text: str, clause: str, codes: list[str], known: set[str] | frozenset[str]) -> str | None:
    """The one code a turn offers for a procedure it (or the lookup before it) describes: the
    turn ends on it; None when its asking clause asks something else of the code ("is it 52000
    included in the TURBT?", "global days for 52601?")."""
    asks_else = (INCLUSION, ASKS_INCLUDED, DESCRIBE, COMPARE, UNITS, FAMILY)
    if len(codes) != 1 or any(p.search(clause) for p in asks_else) or asks_fee_schedule(clause):
        return None
    masked = mask_codes(text, known)
    return codes[0] if _PROPOSES.search(masked) and _CONFIRMS.search(masked) else None


def was_lookup(turn: Turn) -> bool:
    """The earlier turn asked which code fits a procedure (or asked to confirm one)."""
    parsed = turn.parsed
    if parsed.intent == "describe" and not parsed.codes:
        return True  # "what is the right code for ...?" names no code: it was answered as a lookup
    return parsed.intent == "lookup" or (
        parsed.intent == "describe" and bool(parsed.own_codes) and bool(_CONFIRM.search(parsed.text))
    )


def states_detail(text: str, last: Turn) -> bool:
    """After a lookup, the turn states a value a code turns on (a size, a count, a qualifier
    word): "and if the stone is over 2 cm or staghorn?" refines the lookup, though read alone
    it sounds like a clinical question."""
    if not was_lookup(last) or CODE_IN_TEXT.search(text.upper()):
        return False
    return bool(_values_in(text)) or bool(_SIZE.search(text)) or bool(_COUNT.search(text))


def changes_detail(text: str, last: Turn, asks_inclusion: bool, asks_for_code: bool) -> bool:
    """A codeless turn after a lookup that changes one of its details rather than asking whether
    something is included ("and with a biopsy too?" yes; "does it include a biopsy?" no). A
    longer turn that states a detail refines the lookup unless it asks for a code on its own
    ("TURBT of a 3 cm tumor, code?" starts over; "They had to convert: the partial was finished
    open." refines)."""
    if CODE_IN_TEXT.search(text.upper()) or asks_inclusion or not was_lookup(last):
        return False
    short = len(_WORD.findall(text)) <= 6
    stated = bool(_values_in(text)) or bool(_SIZE.search(text)) or bool(_COUNT.search(text))
    return bool(_CONTINUE.search(text)) or (stated and (short or not asks_for_code))


def carried_procedure(last: Turn, text: str) -> str:
    """The earlier procedure without its codes and without the details the new turn replaces."""
    stem = CODE_IN_TEXT.sub(" ", last.parsed.procedure.upper()).lower()
    stem = _CONFIRM.sub(" ", stem)
    changed = _values_in(text)
    for group, value in changed.items():
        for other, spellings in QUALIFIERS[group].items():
            if other != value:
                for spelling in spellings:
                    stem = re.sub(rf"(?<![\w.']){re.escape(spelling)}(?![\w'])", " ", stem)
    if _SIZE.search(text):
        stem = _SIZE.sub(" ", stem)
    return " ".join(stem.split())
