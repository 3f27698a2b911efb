"""A follow-up that revises the codes of the turn before it: one code swapped for another ("sorry
I meant 53020", "and if it had been billed as 50431 instead?") or one dropped ("if I drop the
52000, is the rest clean?"). The earlier question is then asked again with the revised codes,
so it gets the earlier turn's reading (a pair, a claim) rather than one about the new code alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assistant.codes import code_at, mask_codes, scan
from assistant.cues import ALSO
from assistant.text import tokenize

# A code offered in place of one before: a correction, or the same case billed another way.
_SWAP = re.compile(
    r"\b(i meant|meant to|sorry|correction|actually|instead|typo|wrong code|should (have )?be(en)?|"
    r"billed as|coded as|not CODE)\b",
    re.I,
)
# A code taken off the claim ("drop the 52000", "without 52000", "take 52000 off").
_DROP = re.compile(
    r"\b(drop(ped)?|remove[ds]?|delete[ds]?|without|minus|leave|leaving|take|taking|get rid of|pull|lose)\s+"
    r"(the\s+|off\s+|out\s+)?CODE\b",
    re.I,
)


def _closest(new: str, earlier: Sequence[str], text: str, titles: Mapping[str, str]) -> str:
    """The earlier code the new one replaces: the longest shared prefix, then the one whose
    title shares the most words with the turn ("... through her old tube" -> the nephrostogram
    code), then the nearest number."""
    words = set(tokenize(text))

    def shared(code: str) -> int:
        return next((i for i, (a, b) in enumerate(zip(code, new, strict=True)) if a != b), len(new))

    def key(code: str) -> tuple[int, int, int]:
        overlap = len(words & set(tokenize(titles.get(code, ""))))
        distance = abs(int(code) - int(new)) if code.isdigit() and new.isdigit() else 99999
        return (shared(code), overlap, -distance)

    return max(earlier, key=key)


@dataclass(frozen=True)
class Revision:
    """The earlier question with the revised codes, and what changed, said to the coder."""

    question: str
    note: str  # "With 53020 in place of 53025", "Without 52000"


def revised_question(
    text: str,
    earlier_text: str,
    earlier_codes: Sequence[str],
    known: frozenset[str] | set[str],
    titles: Mapping[str, str],
) -> Revision | None:
    """The earlier question with the codes this turn revises, or None when it revises none."""
    codes = scan(text, known).codes
    masked = mask_codes(text, known)
    if len(codes) == 2 and len(earlier_codes) >= 2:
        # "it was 52275 not 52276": the code named before is the one replaced.
        before = [c for c in codes if c in earlier_codes]
        after = [c for c in codes if c not in earlier_codes]
        if len(before) != 1 or len(after) != 1 or not _SWAP.search(masked) or ALSO.search(text):
            return None
        return _swapped(earlier_text, before[0], after[0])
    if len(codes) != 1 or len(earlier_codes) < 2:
        return None
    (code,) = codes
    if code in earlier_codes:
        if len(earlier_codes) < 3 or not _DROP.search(masked):
            return None  # the rest must still be a pair at least
        kept = code_at(code).sub(" ", earlier_text)
        return (
            Revision(kept, f"Without {code}")
            if len(scan(kept, known).codes) == len(earlier_codes) - 1
            else None
        )
    same_shape = [c for c in earlier_codes if len(c) == len(code)]
    if not _SWAP.search(masked) or ALSO.search(text) or not same_shape:
        return None  # "actually they also did 52204" adds a code
    return _swapped(earlier_text, _closest(code, same_shape, text, titles), code)


def _swapped(earlier_text: str, old: str, new: str) -> Revision | None:
    swapped = code_at(old).sub(new, earlier_text)
    return Revision(swapped, f"With {new} in place of {old}") if swapped != earlier_text else None
