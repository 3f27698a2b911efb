"""Codes read aloud: dictation software writes "fifty two three fifty six" or "five one one oh
two" where a coder would type 52356 or 51102. Only the digits are recovered here; `codes` keeps
a spoken code only when it is a known code, so "two or three stones" never becomes one."""

from __future__ import annotations

import re
from collections.abc import Iterator

_ONES = ["ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE"]
_UNITS = {"ZERO": 0, "OH": 0, "O": 0} | {word: n for n, word in enumerate(_ONES, start=1)}
_TEEN_WORDS = ["TEN", "ELEVEN", "TWELVE", "THIRTEEN", "FOURTEEN", "FIFTEEN", "SIXTEEN", "SEVENTEEN"]
_TEENS = {word: n for n, word in enumerate([*_TEEN_WORDS, "EIGHTEEN", "NINETEEN"], start=10)}
_TEN_WORDS = ["TWENTY", "THIRTY", "FORTY", "FIFTY", "SIXTY", "SEVENTY", "EIGHTY", "NINETY"]
_TENS = {word: 10 * n for n, word in enumerate(_TEN_WORDS, start=2)}
_WORDS = [*_UNITS, *_TEENS, *_TENS, "HUNDRED", "THOUSAND"]
_WORD = r"(?:" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r")"
# Two or more number words in a row, joined by spaces, hyphens or commas ("fifty-two, three").
RUN = re.compile(rf"(?<![\w.$]){_WORD}(?:[\s,-]+{_WORD})+(?![\w])")


def _below_hundred(words: list[str], i: int) -> tuple[int, int] | None:
    """A number under 100 starting at words[i], and the index after it."""
    word = words[i] if i < len(words) else ""
    if word in _TENS:
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if _UNITS.get(nxt, 0) > 0:
            return _TENS[word] + _UNITS[nxt], i + 2
        return _TENS[word], i + 1
    if word in _TEENS:
        return _TEENS[word], i + 1
    if word in _UNITS:
        return _UNITS[word], i + 1
    return None


def _chunks(words: list[str]) -> Iterator[str]:
    """The digit groups a run of number words says, in order ("fifty two", "three", "fifty
    six" -> "52", "3", "56"); raises ValueError when the run is not a number ("hundred")."""
    i = 0
    while i < len(words):
        if words[i] in _UNITS and i + 1 < len(words) and words[i + 1] == "HUNDRED":
            rest = _below_hundred(words, i + 2)
            yield f"{_UNITS[words[i]]}{rest[0]:02d}" if rest else f"{_UNITS[words[i]]}00"
            i = rest[1] if rest else i + 2
            continue
        part = _below_hundred(words, i)
        if part is None:
            raise ValueError(words[i])
        value, i = part
        if i < len(words) and words[i] == "THOUSAND":
            yield f"{value}{''.join(_chunks(words[i + 1 :])).rjust(3, '0')}"
            return
        yield str(value)


def digits(run: str) -> str | None:
    """The digits a run of number words spells ("five one one oh two" -> "51102"), None when it
    is no number."""
    try:
        return "".join(_chunks(re.split(r"[\s,-]+", run.strip().upper())))
    except ValueError:
        return None
