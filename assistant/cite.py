"""Number passages, compose extractive cited answers, and check any generated text.

The checker is the last word on every answer: each [n] must point at a given passage, each
code named must exist in the knowledge base (others are removed and the answer flagged), and
text that contradicts the verdict is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from assistant.codes import find_codes
from assistant.models import Citation, Passage, Verdict

_MARKER = re.compile(r"\[(\d+)\]")
_SAYS_INCLUDED = re.compile(r"\b(is|are) (included|bundled)\b|\bnot (reported |billed )?separately\b", re.I)
_SAYS_SEPARATE = re.compile(
    r"\b(is|are) not (included|bundled)\b|\b(reported|billed|coded) separately\b|\bnot part of\b", re.I
)


class Numbered:
    """Passages numbered [1..n] for one answer; a passage gets a number when first cited."""

    def __init__(self, lookup: Mapping[str, Passage]) -> None:
        self._lookup = lookup  # every passage of the index, by id
        self.passages: list[Passage] = []

    def add(self, passage: Passage) -> int:
        for n, p in enumerate(self.passages, start=1):
            if p.id == passage.id:
                return n
        self.passages.append(passage)
        return len(self.passages)

    def get(self, passage_id: str) -> Passage | None:
        return self._lookup.get(passage_id)

    def add_id(self, passage_id: str) -> int:
        return self.add(self._lookup[passage_id])

    def prompt_block(self, max_chars: int = 360) -> str:
        return "\n".join(f"[{n}] ({p.code}) {p.text[:max_chars]}" for n, p in enumerate(self.passages, 1))


def codes_in(text: str) -> list[str]:
    """Every code the text names, by the one definition of a code (HCPCS level II included)."""
    return find_codes(text)


def markers_in(text: str) -> list[int]:
    return [int(m) for m in _MARKER.findall(text)]


def citations_for(text: str, numbered: Numbered) -> list[Citation]:
    """A citation per distinct valid [n] in the text, quoting the passage it points at."""
    cites: list[Citation] = []
    for n in dict.fromkeys(markers_in(text)):
        if 1 <= n <= len(numbered.passages):
            p = numbered.passages[n - 1]
            cites.append(
                Citation(
                    n=n,
                    passage_id=p.id,
                    code=p.code,
                    title=p.title,
                    quote=p.text,
                    field=p.field,
                    file=p.file,
                    sources=p.sources,
                    code_set_year=p.code_set_year,
                )
            )
    return cites


def strip_bad_markers(text: str, n_passages: int) -> tuple[str, bool]:
    """Remove [n] markers that point at no passage; report whether any were removed."""
    bad = [n for n in markers_in(text) if not 1 <= n <= n_passages]
    if not bad:
        return text, False
    cleaned = _MARKER.sub(lambda m: m.group(0) if 1 <= int(m.group(1)) <= n_passages else "", text)
    return re.sub(r" +([.,;])", r"\1", cleaned), True


def remove_codes(text: str, allowed: Iterable[str]) -> tuple[str, list[str]]:
    """Remove codes that are not allowed (not in the knowledge base); return the removed ones."""
    allowed_set = set(allowed)
    removed = [c for c in codes_in(text) if c not in allowed_set]
    for code in removed:
        text = re.sub(rf"(?<![\w.]){code}(?!\w|\.\d)", "[code removed]", text)
    return text, removed


def contradicts(text: str, verdict: Verdict | None) -> bool:
    if verdict == "included":
        return bool(_SAYS_SEPARATE.search(text))
    if verdict == "separate":
        return bool(_SAYS_INCLUDED.search(text)) and not _SAYS_SEPARATE.search(text)
    return False


@dataclass
class CheckedText:
    text: str
    accepted: bool
    flags: list[str]


def grounded(text: str, passages: Sequence[str], min_shared: int = 3) -> bool:
    """True when the text cites a passage and shares enough content words with what it cites."""
    marks = [n for n in markers_in(text) if 1 <= n <= len(passages)]
    if not marks:
        return False
    words = {w for w in re.findall(r"[a-z]{4,}", text.lower())}
    cited = {w for n in marks for w in re.findall(r"[a-z]{4,}", passages[n - 1].lower())}
    return len(words & cited) >= min_shared


_META = re.compile(r"\bthe passage is\b|\bone sentence\b|\bpassage:|\[\d+\] \(\w+\)|\banswer is:", re.I)
COPY_RUN = 8


def copies(text: str, sources: Sequence[str]) -> bool:
    """True when the text repeats a source verbatim (an 8-word run) or echoes the prompt's layout."""
    if _META.search(text):
        return True
    words = re.findall(r"[a-z0-9]+", text.lower())
    runs = {tuple(words[i : i + COPY_RUN]) for i in range(len(words) - COPY_RUN + 1)}
    for source in sources:
        src = re.findall(r"[a-z0-9]+", source.lower())
        if any(tuple(src[i : i + COPY_RUN]) in runs for i in range(len(src) - COPY_RUN + 1)):
            return True
    return False


def check_generated(
    text: str,
    verdict: Verdict | None,
    passages: Sequence[str],
    known_codes: Iterable[str],
    allowed_extra: Sequence[str],
    already_said: Sequence[str] = (),
) -> CheckedText:
    """Guard generated text: markers valid, grounded in what it cites, codes known, no contradiction."""
    flags: list[str] = []
    text = " ".join(text.split())
    if not text:
        return CheckedText("", False, ["empty_generation"])
    text, bad_markers = strip_bad_markers(text, len(passages))
    if bad_markers:
        flags.append("removed_invalid_citation")
    text, removed = remove_codes(text, {*known_codes, *allowed_extra})
    if removed:
        flags.append("removed_codes:" + ",".join(removed))
    if contradicts(text, verdict):
        return CheckedText("", False, [*flags, "dropped_contradiction"])
    if not grounded(text, passages):
        return CheckedText("", False, [*flags, "dropped_ungrounded"])
    if copies(text, [*passages, *already_said]):
        return CheckedText("", False, [*flags, "dropped_copy"])  # adds nothing the reader lacks
    return CheckedText(text, True, flags)
