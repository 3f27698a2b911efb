"""A gentle warning when a message looks like it holds patient details (PHI), from local patterns.

It only warns: the question is still answered, and nothing here is logged. Codes need none of
these details, and a number labelled as an identifier is never read as a code (codes.py).
"""

from __future__ import annotations

import re
from html import escape

# kind -> pattern; each names what a coder would recognise in their own message.
PATTERNS: dict[str, re.Pattern[str]] = {
    "a date": re.compile(r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d{2}|(?:19|20)\d{2}-\d{1,2}-\d{1,2})\b"),
    "a Social Security number": re.compile(r"\b\d{3}-\d{2}-\d{4}\b|\bSSN\b", re.IGNORECASE),
    "a phone number": re.compile(r"(?:\(\d{3}\)\s?|\b\d{3}[-. ])\d{3}[-. ]\d{4}\b"),
    "a record or member number": re.compile(
        r"\b(?:MRN|MR#|medical record(?: number| no\.?)?|acct|account(?: number| no\.?)?|member id|"
        r"patient id|pt id|policy (?:number|no\.?))\s*[:#]?\s*[A-Z0-9-]{3,}",
        re.IGNORECASE,
    ),
    "a date of birth": re.compile(r"\b(?:DOB|date of birth|born on)\b", re.IGNORECASE),
    "a name": re.compile(r"\b(?i:pt|patient|name|mr|mrs|ms)\.?\s*:?\s+[A-Z][a-z]+\b"),
}


def phi_kinds(text: str) -> list[str]:
    """What in `text` looks like a patient detail, in PATTERNS order (empty: nothing)."""
    return [kind for kind, pattern in PATTERNS.items() if pattern.search(text or "")]


def phi_warning(text: str) -> str:
    """The warning's HTML for a message, or "" when nothing in it looks like a patient detail."""
    kinds = phi_kinds(text)
    if not kinds:
        return ""
    named = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
    return (
        f'<div class="cc-warn cc-phi" role="status">Your message seems to hold patient details '
        f"({escape(named)}). CodeCite needs only the codes and the procedure: please leave "
        "names, dates and identifiers out. It is answered anyway; it is never logged, but it stays "
        "in this conversation and its exports.</div>"
    )
