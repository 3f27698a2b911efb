"""The words coders use for qualifier values, and reading the values a question states.

Each categorical axis lists its values and the words for each (matched as whole words or
phrases, lower-cased); a phrase inside a longer phrase of another value gives way to it ("no
stent" beats "stent"; "not the first" beats "first"). Sizes and counts are read as numbers.
The families that use these axes are data: `assistant.qualifiers`, `knowledge/qualifiers/`.
"""

from __future__ import annotations

import re

COUNT = "count"
AXES: dict[str, dict[str, tuple[str, ...]]] = {
    "sex": {
        "female": ("female", "woman", "women", "girl", "femal"),
        "male": ("male", "man", "men", "boy"),
    },
    "approach": {
        # Not "incision": laparoscopic ports and percutaneous tracts start with one too.
        "open": ("open", "open approach", "open surgery", "open procedure"),
        "laparoscopic": (
            "laparoscopic",
            "laparoscopically",
            "lap",
            "lap.",
            "robotic",
            "robot",
            "robot-assisted",
            "laparoscopy",
        ),
        "endoscopic": ("endoscopic", "endoscopically", "scope", "cystoscopic", "transurethral"),
        "percutaneous": ("percutaneous", "percutaneously", "perc", "through the skin"),
    },
    "complexity": {
        "simple": ("simple", "uncomplicated", "small", "routine", "not complicated", "basic"),
        "complicated": ("complicated", "complex", "large", "staghorn", "difficult", "electronic"),
    },
    "laterality": {
        "unilateral": ("unilateral", "one side", "single side", "unilaterally"),
        "bilateral": ("bilateral", "both sides", "bilaterally", "each side", "both kidneys", "both ureters"),
    },
    "stent": {
        "with": ("stent", "with stent", "with a stent", "and stent", "stented", "with cysto and stent"),
        "without": (
            "no stent",
            "without stent",
            "without a stent",
            "without cysto and stent",
            "without cystoscopy and stent",
            "stentless",
            "no cysto or stent",
        ),
    },
    "session": {
        "initial": ("first", "initial", "first time", "first treatment", "1st"),
        "subsequent": (
            "subsequent",
            "later",
            "repeat",
            "again",
            "second",
            "2nd",
            "third",
            "3rd",
            "not the first",
            "follow-up",
        ),
    },
    "anesthesia": {
        "general": (
            "general",
            "spinal",
            "general anesthesia",
            "general anaesthesia",
            "under ga",
            "with ga",
            "to ga",
            "converted to general",
        ),
        "local": (
            "local",
            "local anesthesia",
            "local anaesthesia",
            "topical",
            "only under local",
            # Not "lidocaine" or "awake": lidocaine jelly is routine under general anaesthesia too.
            "no ga",
            "without ga",
            "no general",
            "no general anesthesia",
            "no general anaesthesia",
            "without general",
            "without general anesthesia",
            "without general anaesthesia",
            "not general",
            "not under general",
            "not ga",
            "not under ga",
        ),
    },
    "scope": {
        "cystoscope": (
            "no ureteroscope",
            "without a ureteroscope",
            "without ureteroscope",
            "no ureteroscope used",
            "cystoscope only",
            "no urs",
        ),
        "ureteroscope": ("ureteroscope", "ureteroscopic", "ureteroscopy", "urs", "ureteroscopically"),
    },
    COUNT: {"first": (), "each_additional": ()},  # stated as a number of the family's `counted`
}

# A value that decides its axis wherever it is named: local anaesthetic given under a general
# ("under GA, local lidocaine to the port sites") leaves the case a general one.
DOMINANT = {"anesthesia": "general"}
_WORD = re.compile(r"[\w.'-]+")
_SIZE_IN_TEXT = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?)\s*(cm|mm|centimet(?:er|re)s?|millimet(?:er|re)s?)\b", re.I
)
_NUMBERS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
_NUMBER_WORDS = {w: n for n, w in enumerate(_NUMBERS)}


def _phrase_hits(words: str, axis: str) -> list[tuple[int, int, str]]:
    hits = []
    for value, spellings in AXES[axis].items():
        for s in spellings:
            for m in re.finditer(rf"(?<= ){re.escape(s)}(?= )", words):
                hits.append((m.start(), m.end(), value))
    return hits


def stated_values(text: str) -> dict[str, str]:
    """The categorical value each axis names in `text`: the last one named (or the axis's
    DOMINANT value, where named), a phrase inside a longer phrase of another value giving way
    to it ("no general anaesthesia" is local)."""
    # Sentence punctuation and a possessive "'s" are not part of the word ("is female.", "a man's").
    tokens = [re.sub(r"'s$", "", w).rstrip(".'-") for w in _WORD.findall(text.lower())]
    words = " " + " ".join(t for t in tokens if t) + " "
    found: dict[str, str] = {}
    for axis in AXES:
        hits = _phrase_hits(words, axis)
        kept = [
            h
            for h in hits
            if not any(o[0] <= h[0] and h[1] <= o[1] and o != h and o[2] != h[2] for o in hits)
        ]
        if kept:
            found[axis] = max(kept, key=lambda h: (h[1], h[1] - h[0]))[2]
            if any(h[2] == DOMINANT.get(axis) for h in kept):
                found[axis] = DOMINANT[axis]
    return found


_LARGEST = re.compile(r"\b(largest|biggest|dominant|main)\b[^.;,\d]{0,24}$", re.I)


def stated_size(text: str) -> float | None:
    """The size the text codes by, in cm: the one it calls the largest, else the largest stated
    (tiers go by the largest tumour or stone, not by a total)."""
    sizes = []
    for match in _SIZE_IN_TEXT.finditer(text):
        cm = float(match.group(1)) / (10 if match.group(2).lower().startswith("m") else 1)
        if _LARGEST.search(text[max(0, match.start() - 40) : match.start()]):
            return cm
        sizes.append(cm)
    return max(sizes) if sizes else None


def stated_count(text: str, counted: list[str]) -> int | None:
    """A total the text states of what the family counts: "4 implants", "four implants total",
    "a total of 4", "x4"."""
    lowered = text.lower()
    nouns = "|".join(re.escape(n.lower()) for n in counted) or r"(?!)"
    number = r"(\d{1,2}|" + "|".join(_NUMBER_WORDS) + ")"
    for pattern in (
        rf"\b{number}\s+(?:\w+\s+){{0,2}}?(?:{nouns})\b",
        rf"\btotal of\s+{number}\b",
        rf"\b{number}\s+(?:in\s+)?total\b",
    ):
        match = re.search(pattern, lowered)
        if match:
            raw = match.group(1)
            return int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
    return None
