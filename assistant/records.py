"""The knowledge record schema: what one Markdown file in knowledge/ holds.

A record is YAML front matter (validated here) plus a body of short paragraphs
in our own words. Procedure records describe one code; policy records state a
general rule that applies to ranges of codes; retired records redirect a coder
from a deleted code to its current one.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from assistant.codes import is_code

RANGE_RE = re.compile(r"^(\d{5})(?:-(\d{5}))?$")


def _check_code(value: str) -> str:
    if not is_code(value):
        raise ValueError(f"not a CPT/HCPCS code: {value!r} (expected five characters such as 50576)")
    return value


class Service(BaseModel):
    """One service named in `includes` or `reported_separately`."""

    model_config = ConfigDict(extra="forbid")

    service: str = Field(min_length=3, max_length=160, description="The service, in plain words.")
    codes: list[str] = Field(default_factory=list, description="Codes that report this service.")
    aliases: list[str] = Field(
        default_factory=list, description="Other words a coder uses for it (matched in questions)."
    )
    reason: str = Field(default="", max_length=400, description="Why, in our own words.")

    @field_validator("codes", mode="before")
    @classmethod
    def _codes_as_strings(cls, value: object) -> object:
        return [str(v) for v in value] if isinstance(value, list) else value

    @field_validator("codes")
    @classmethod
    def _codes_valid(cls, value: list[str]) -> list[str]:
        return [_check_code(v) for v in value]

    def terms(self) -> list[str]:
        return [self.service, *self.aliases]


class Record(BaseModel):
    """Front matter of one knowledge file."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["procedure", "policy", "retired"] = "procedure"
    code: str | None = Field(default=None, description="The code (procedure and retired records).")
    policy_id: str | None = Field(default=None, description="Slug id (policy records).")
    title: str = Field(min_length=5, max_length=140, description="Our own short title.")
    family: str = Field(min_length=3, max_length=120)
    section: str = Field(default="", max_length=60, description="Body system, e.g. urinary/kidney.")
    base_code: str | None = None
    add_on: bool = False
    primary_codes: list[str] = Field(default_factory=list, description="For add-on codes.")
    replaced_by: list[str] = Field(default_factory=list, description="For retired codes.")
    applies_to: list[str] = Field(
        default_factory=list, description="Policy records: codes or ranges such as 50551-50580."
    )
    includes: list[Service] = Field(default_factory=list)
    reported_separately: list[Service] = Field(default_factory=list)
    see_also: list[str] = Field(default_factory=list)
    sources: list[str] = Field(min_length=1)
    code_set_year: int = Field(ge=2000, le=2100)

    @field_validator("code", "base_code", mode="before")
    @classmethod
    def _as_string(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value

    @field_validator("see_also", "primary_codes", "replaced_by", "applies_to", mode="before")
    @classmethod
    def _list_as_strings(cls, value: object) -> object:
        return [str(v) for v in value] if isinstance(value, list) else value

    @field_validator("code", "base_code")
    @classmethod
    def _code_valid(cls, value: str | None) -> str | None:
        return None if value is None else _check_code(value)

    @field_validator("see_also", "primary_codes", "replaced_by")
    @classmethod
    def _codes_valid(cls, value: list[str]) -> list[str]:
        return [_check_code(v) for v in value]

    @field_validator("applies_to")
    @classmethod
    def _ranges_valid(cls, value: list[str]) -> list[str]:
        for item in value:
            match = RANGE_RE.match(item)
            if not match or (match.group(2) and match.group(2) < match.group(1)):
                raise ValueError(f"not a code or range: {item!r} (expected 50551 or 50551-50580)")
        return value

    @model_validator(mode="after")
    def _kind_fields(self) -> Record:
        if self.type == "policy":
            if not self.policy_id or not self.applies_to:
                raise ValueError("a policy record needs policy_id and applies_to")
        elif not self.code:
            raise ValueError(f"a {self.type} record needs a code")
        if self.type == "retired" and (self.includes or self.reported_separately):
            raise ValueError("a retired record states no includes/reported_separately facts")
        if self.add_on and not self.primary_codes:
            raise ValueError("an add-on code needs primary_codes")
        return self

    @property
    def key(self) -> str:
        """The record's unique key: its code, or the policy id."""
        return self.code or f"policy:{self.policy_id}"

    def covers(self, code: str) -> bool:
        """True when a policy record applies to `code` (numeric codes only)."""
        if not code.isdigit():
            return False
        for item in self.applies_to:
            low, _, high = item.partition("-")
            if low <= code <= (high or low):
                return True
        return False
