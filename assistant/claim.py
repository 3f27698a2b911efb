"""A draft claim: its lines as a coder types them, and the typed report the claim check returns.

`parse_claim` reads `CODE[-MOD[-MOD]][xUNITS]` and the other spellings coders use ("52332 RT",
"52442 x3", "52442*3", "52442 3 units", several codes on one line); a bad token is reported with
its input line and the rest is still checked. `claim_checks.check_claim` fills a `ClaimReport`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from assistant.codes import CODE_SYNTAX, KNOWN_MODIFIERS, MODIFIER_SYNTAX, clean, is_code, is_modifier

Severity = Literal["deny", "needs_modifier", "warn", "info"]
FindingKind = Literal["ptp", "mue", "addon", "bilateral", "family", "policy", "unknown", "input"]
SEVERITY_ORDER: dict[str, int] = {"deny": 0, "needs_modifier": 1, "warn": 2, "info": 3}
MAX_LINES = 50  # a professional claim has at most 50 lines; more is a paste error


class ClaimLine(BaseModel):
    """One parsed service line."""

    n: int = Field(description="Line number on the claim, from 1")
    input: str = Field(description="What was typed for this line")
    source_line: int = Field(description="The input line it came from, from 1")
    code: str
    modifiers: list[str] = Field(default_factory=list)
    units: int = 1


class LineError(BaseModel):
    source_line: int
    input: str
    message: str


class Finding(BaseModel):
    kind: FindingKind
    severity: Severity
    codes: list[str]
    message: str
    citation: str = Field(description="Table, as-of date and row (file and line), or the record")
    lines: list[int] = Field(default_factory=list, description="Claim line numbers it concerns")
    as_of: str = Field(default="", description="The cited table's date; empty for a knowledge record")


class LineResult(BaseModel):
    """A line of the corrected claim."""

    input: str
    code: str
    modifiers: list[str]
    units: int
    billable: bool = Field(description="Payable as submitted")
    units_allowed: int
    suggested_modifiers: list[str] = Field(
        default_factory=list,
        description="Modifiers that would make it payable, when documentation supports them",
    )


class ClaimReport(BaseModel):
    lines: list[LineResult]
    findings: list[Finding]
    errors: list[LineError] = Field(default_factory=list)
    as_of: dict[str, str] = Field(default_factory=dict)
    claim_type: str = "practitioner"
    date_of_service: str = ""

    def payload(self) -> dict[str, object]:
        """The JSON scripts rely on (`codecite check --json`, the `/check` API)."""
        return self.model_dump(mode="json")

    @property
    def billable_codes(self) -> list[str]:
        return [line.code for line in self.lines if line.billable]


# One token of a claim line: a code with its modifiers and units, or a modifier or units alone.
_CODE_TOKEN = re.compile(
    rf"^(?P<code>{CODE_SYNTAX})(?P<mods>(?:-(?:{MODIFIER_SYNTAX}))*)(?:[X×*](?P<units>\d{{1,4}}))?$"
)
# "x3", "*3", "3U", "3UNITS"; a bare number is units only when a unit word follows ("3 units"),
# so a mistyped code ("5233") is never read as a unit count.
_UNITS_TOKEN = re.compile(r"^(?:[X×*](\d{1,4})|(\d{1,4})(?:UNITS?|U))$")
_BARE_NUMBER = re.compile(r"^\d{1,4}$")
_UNIT_WORD = re.compile(r"^(?:UNITS?|U|UOS)$")
_SPLIT = re.compile(r"[\s,;]+")


def _tokens(text: str) -> list[str]:
    # "x 3" and "* 3" become one token; "52332 - RT" becomes "52332-RT".
    text = re.sub(r"(?<=[\w])\s*-\s*(?=[0-9A-Z]{2}\b)", "-", text)
    text = re.sub(r"(?<![\w])([X×*])\s+(\d)", r"\1\2", text)
    return [t for t in _SPLIT.split(text) if t]


def parse_claim(lines: Sequence[str] | str) -> tuple[list[ClaimLine], list[LineError]]:
    """Claim lines from the input lines; errors name the input line and the bad token."""
    sources = lines.splitlines() if isinstance(lines, str) else list(lines)
    parsed: list[ClaimLine] = []
    errors: list[LineError] = []
    for source_n, raw in enumerate(sources, start=1):
        text = clean(raw).upper().strip()
        if not text:
            continue
        tokens = _tokens(text)
        i = 0
        while i < len(tokens):
            token = tokens[i]
            match = _CODE_TOKEN.match(token)
            if match is None:
                errors.append(LineError(source_line=source_n, input=raw.strip(), message=_why(token, parsed)))
                i += 1
                continue
            mods = [m for m in match.group("mods").split("-") if m]
            units = int(match.group("units")) if match.group("units") else None
            spelled = [token]
            i += 1
            # Modifiers and units typed after the code, separated by spaces.
            while i < len(tokens) and not is_code(tokens[i]):
                follow = tokens[i]
                unit_match = _UNITS_TOKEN.match(follow)
                next_is_unit_word = i + 1 < len(tokens) and bool(_UNIT_WORD.match(tokens[i + 1]))
                bare = _BARE_NUMBER.match(follow) if next_is_unit_word else None
                if unit_match or bare:
                    units = int(unit_match.group(1) or unit_match.group(2)) if unit_match else int(follow)
                    spelled.append(follow)
                    i += 1
                    if next_is_unit_word:
                        spelled.append(tokens[i])
                        i += 1
                elif is_modifier(follow.lstrip("-")) and follow.lstrip("-") in KNOWN_MODIFIERS | {"50"}:
                    mods.append(follow.lstrip("-"))
                    spelled.append(follow)
                    i += 1
                elif _UNIT_WORD.match(follow):
                    spelled.append(follow)
                    i += 1
                else:
                    break
            if units == 0:
                errors.append(
                    LineError(
                        source_line=source_n, input=raw.strip(), message=f"{match.group('code')}: 0 units"
                    )
                )
                continue
            parsed.append(
                ClaimLine(
                    n=len(parsed) + 1,
                    input=" ".join(spelled),
                    source_line=source_n,
                    code=match.group("code"),
                    modifiers=list(dict.fromkeys(mods)),
                    units=units or 1,
                )
            )
    if len(parsed) > MAX_LINES:
        errors.append(
            LineError(
                source_line=0,
                input="",
                message=f"{len(parsed)} lines; only the first {MAX_LINES} are checked",
            )
        )
        parsed = parsed[:MAX_LINES]
    return parsed, errors


def _why(token: str, parsed: list[ClaimLine]) -> str:
    if re.fullmatch(r"\d{3,4}|\d{6,}", token):
        return f"{token!r} is not a CPT/HCPCS code (five characters, e.g. 52332 or G0101)"
    if is_modifier(token.lstrip("-")):
        where = "before any code" if not parsed else "after the units"
        return f"{token!r} looks like a modifier but is not one we know, or it comes {where}"
    return f"{token!r} is not a code, a modifier or a unit count"


def parse_dos(value: str | None) -> date:
    """A date of service (YYYY-MM-DD or MM/DD/YYYY); today when not given."""
    if not value:
        return date.today()
    value = value.strip()
    try:
        if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", value):
            month, day, year = (int(p) for p in value.split("/"))
            return date(year, month, day)
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"date of service {value!r} is not YYYY-MM-DD or MM/DD/YYYY") from None
