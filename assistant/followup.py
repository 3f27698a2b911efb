"""Follow-ups that change one detail of an earlier lookup: "and for a male patient?", "and done
laparoscopically?", "same procedure but pt is female", "and a 3.5 cm stone?".

Such a turn is looked up again with the earlier procedure, its conflicting detail swapped for
the new one. The qualifiers are data (QUALIFIERS): a new group is a table row, not a pattern.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.codes import CODE_IN_TEXT

if TYPE_CHECKING:
    from assistant.conversation import Turn

# Mutually exclusive details a procedure code turns on; each value's words as coders write them.
QUALIFIERS: dict[str, dict[str, tuple[str, ...]]] = {
    "sex": {
        "female": ("female", "woman", "women", "girl", "femal"),
        "male": ("male", "man", "men", "boy"),
    },
    "approach": {
        "open": ("open", "incision", "incisional"),
        "laparoscopic": (
            "laparoscopic",
            "laparoscopically",
            "lap",
            "lap.",
            "robotic",
            "robot",
            "laparoscopy",
        ),
        "endoscopic": (
            "endoscopic",
            "endoscopically",
            "scope",
            "ureteroscope",
            "ureteroscopic",
            "cystoscopic",
        ),
        "percutaneous": ("percutaneous", "percutaneously", "perc"),
    },
    "complexity": {
        "simple": ("simple", "uncomplicated", "small"),
        "complicated": ("complicated", "complex", "large", "staghorn"),
    },
    "laterality": {"unilateral": ("unilateral", "one side"), "bilateral": ("bilateral", "both sides")},
}
_SIZE = re.compile(r"\b\d+(?:\.\d+)?\s*(?:cm|mm|centimeters?|millimeters?)\b", re.I)
# The earlier turn asked for a code, or to confirm one ("cysto JJ stent = 52332 right?").
_CONFIRM = re.compile(
    r"\b(right|correct|ok|okay)\s*\??\s*$|=\s*\d{5}|\bcode\s*\??\s*$|\bcode is\b|\bis (it|that|this) \d{5}",
    re.I,
)
# The turn continues the earlier one rather than starting over.
_CONTINUE = re.compile(
    r"^\s*(and|or|but|so|same|what about|how about|what if|if|with|instead|now)\b|\binstead\b|"
    r"\bsame (patient|procedure|situation|case|thing|scenario|op)\b",
    re.I,
)
_WORD = re.compile(r"[\w.']+")


def _values_in(text: str) -> dict[str, str]:
    """The qualifier value each group names in `text` (the last one named wins)."""
    words = " " + " ".join(_WORD.findall(text.lower())) + " "
    found: dict[str, str] = {}
    for group, values in QUALIFIERS.items():
        for value, spellings in values.items():
            if any(f" {s} " in words for s in spellings):
                found[group] = value
    return found


def was_lookup(turn: Turn) -> bool:
    """The earlier turn asked which code fits a procedure (or asked to confirm one)."""
    parsed = turn.parsed
    return parsed.intent == "lookup" or (
        parsed.intent == "describe" and bool(parsed.own_codes) and bool(_CONFIRM.search(parsed.text))
    )


def changes_detail(text: str, last: Turn, asks_inclusion: bool) -> bool:
    """A codeless turn after a lookup that changes one of its details rather than asking whether
    something is included ("and with a biopsy too?" yes; "does it include a biopsy?" no)."""
    if CODE_IN_TEXT.search(text.upper()) or asks_inclusion or not was_lookup(last):
        return False
    short = len(_WORD.findall(text)) <= 6
    return bool(_CONTINUE.search(text)) or (short and (bool(_values_in(text)) or bool(_SIZE.search(text))))


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
