"""The parts of a turn the question reader takes apart: the clause that asks (not the case notes
around it), the content words naming the service asked about, and that service in the coder's
own words."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.cues import FRAME, INCLUSION, SERVICE_ENDS
from assistant.text import tokenize


def question_clause(text: str) -> str:
    """The sentence that asks (with the inclusion word or the question mark), not the case notes."""
    parts = [p for p in re.split(r"(?<=[.?!;:,])\s+|\s+-\s+", text) if p.strip()]
    # The question itself beats case notes that merely use an inclusion word ("Op note: fluoro
    # was also billed together."): a clause ending in "?" first, the one with the cue among them.
    asked = [p for p in parts if p.rstrip().endswith("?")]
    cued = [p for p in asked if INCLUSION.search(p)] or asked or [p for p in parts if INCLUSION.search(p)]
    return cued[-1] if cued else text


def without_codes(text: str, codes: Sequence[str]) -> str:
    """The text with each code and the modifiers typed on it ("50432-LT") taken out."""
    for code in codes:
        text = re.sub(rf"{code}(?:\s*-\s*[A-Za-z0-9]{{2}}\b)*", " ", text)
    return text


def topic(text: str, codes: Sequence[str]) -> list[str]:
    """Content words naming the service asked about: from the asking clause, else the whole text."""
    for candidate in (question_clause(text), text):
        candidate = without_codes(candidate, codes)
        words = [t for t in tokenize(candidate) if t not in FRAME and not t.isdigit()]
        if words:
            return words
    return []


_SURFACE = re.compile(r"[A-Za-z][\w'&/-]*")


def service_phrase(text: str, codes: Sequence[str]) -> str:
    """The service asked about in the coder's own words: the asking clause (else the whole turn)
    from its first to its last content word ("flushing out the bladder"). Capitalised words
    inside it (names) are left out, so a not-stated answer never repeats a patient's name."""
    for candidate in (question_clause(text), text):
        candidate = without_codes(candidate, codes)
        connector = SERVICE_ENDS.search(candidate)
        if connector is not None and _content(candidate[: connector.start()]):
            candidate = candidate[: connector.start()]  # "is the hydro part of the botox code?"
        words = _content(candidate, keep_all=True)
        content = _content(candidate)
        if content:
            span = candidate[content[0].start() : content[-1].end()]
            keep = {m.group() for m in words}
            return " ".join(w for w in _SURFACE.findall(span) if w in keep)
    return ""


def _is_name(word: re.Match[str]) -> bool:
    """A capitalised word inside a sentence: a name, never repeated back."""
    surface = word.group()
    return surface[0].isupper() and surface[1:].islower() and word.start() > 0


def _content(text: str, keep_all: bool = False) -> list[re.Match[str]]:
    """The words of `text` (names left out), or only those naming something (not frame words)."""
    words = [m for m in _SURFACE.finditer(text) if not _is_name(m)]
    if keep_all:
        return words
    return [m for m in words if any(t not in FRAME and not t.isdigit() for t in tokenize(m.group()))]
