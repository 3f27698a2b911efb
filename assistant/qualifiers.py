"""Structured qualifiers: where the codes of a family differ only by a clinical detail (a size
tier, the approach, the patient's sex, first vs each additional...), which code fits which value.

One YAML file per qualifier family under `knowledge/qualifiers/` lists its members and the
values each covers (the schema and why it lives there: docs/knowledge-format.md). This module
holds the axes and the words coders use for their values, the typed schema, the loader (errors
name the file, line and field), and reading the values a question states. The partition check
is in `assistant.qualifier_check`; choosing a code by them in `assistant.decide.lookup`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assistant.codes import is_code
from assistant.ingest import IngestError
from assistant.qualifier_words import AXES, COUNT

QUALIFIER_DIR = "qualifiers"
SIZE = "size_cm"

AXIS_NAMES = (*AXES, SIZE)
Axis = Literal[
    "sex",
    "approach",
    "complexity",
    "laterality",
    "stent",
    "session",
    "anesthesia",
    "scope",
    "count",
    "size_cm",
]
BILATERAL_INDICATORS = ("0", "1", "2", "3", "9")


class SizeRange(BaseModel):
    """A size tier in cm: `from` / `over` (low, inclusive / exclusive), `up_to` / `below` (high)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: float | None = Field(default=None, alias="from", ge=0)
    over: float | None = Field(default=None, ge=0)
    up_to: float | None = Field(default=None, gt=0)
    below: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _bounds(self) -> SizeRange:
        if self.from_ is not None and self.over is not None:
            raise ValueError("give one low bound: `from` (inclusive) or `over` (exclusive)")
        if self.up_to is not None and self.below is not None:
            raise ValueError("give one high bound: `up_to` (inclusive) or `below` (exclusive)")
        low, high = self.low, self.high
        if high is not None and low is not None and high <= low:
            raise ValueError(f"the high bound ({high}) must be above the low bound ({low})")
        return self

    @property
    def low(self) -> float | None:
        return self.from_ if self.from_ is not None else self.over

    @property
    def high(self) -> float | None:
        return self.up_to if self.up_to is not None else self.below

    def contains(self, cm: float) -> bool:
        if self.from_ is not None and cm < self.from_:
            return False
        if self.over is not None and cm <= self.over:
            return False
        if self.up_to is not None and cm > self.up_to:
            return False
        return not (self.below is not None and cm >= self.below)

    def words(self) -> str:
        parts = []
        if self.from_ is not None:
            parts.append(f"from {self.from_:g} cm")
        if self.over is not None:
            parts.append(f"over {self.over:g} cm")
        if self.up_to is not None:
            parts.append(f"up to {self.up_to:g} cm")
        if self.below is not None:
            parts.append(f"under {self.below:g} cm")
        return " and ".join(parts) or "any size"


Value = str | list[str] | SizeRange


def _ranges(values: object) -> object:
    """A size written as a mapping becomes a SizeRange here, so a bad one is one clear error."""
    if not isinstance(values, Mapping):
        return values
    out: dict[object, object] = {}
    for axis, value in values.items():
        if isinstance(value, Mapping):
            try:
                value = SizeRange.model_validate(value)
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"])
                raise ValueError(f"{axis}: {first['msg']}" + (f" ({where})" if where else "")) from None
        out[axis] = value
    return out


class Box(BaseModel):
    """One combination of values a member covers; an axis left out means any of its values."""

    model_config = ConfigDict(extra="forbid")

    values: dict[str, Value]

    def allows(self, axis: str, value: str | float) -> bool:
        given = self.values.get(axis)
        if given is None:
            return True
        if isinstance(given, SizeRange):
            return isinstance(value, float) and given.contains(value)
        return value in ([given] if isinstance(given, str) else given)


class Member(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str
    qualifiers: dict[str, Value] = Field(default_factory=dict)
    any_of: list[dict[str, Value]] = Field(default_factory=list)
    bilateral_indicator: str | None = None  # the RVU file's BILAT SURG, checked against the table

    @field_validator("code", "bilateral_indicator", mode="before")
    @classmethod
    def _as_string(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value

    @field_validator("qualifiers", mode="before")
    @classmethod
    def _sizes(cls, value: object) -> object:
        return _ranges(value)

    @field_validator("any_of", mode="before")
    @classmethod
    def _sizes_each(cls, value: object) -> object:
        return [_ranges(v) for v in value] if isinstance(value, list) else value

    @field_validator("code")
    @classmethod
    def _code_valid(cls, value: str) -> str:
        if not is_code(value):
            raise ValueError(f"not a CPT/HCPCS code: {value!r}")
        return value

    @field_validator("bilateral_indicator")
    @classmethod
    def _indicator_valid(cls, value: str | None) -> str | None:
        if value is not None and value not in BILATERAL_INDICATORS:
            raise ValueError(f"bilateral indicator {value!r} is not one of {', '.join(BILATERAL_INDICATORS)}")
        return value

    @model_validator(mode="after")
    def _one_form(self) -> Member:
        if self.qualifiers and self.any_of:
            raise ValueError("give `qualifiers` or `any_of`, not both")
        return self

    @property
    def boxes(self) -> list[Box]:
        return [Box(values=v) for v in (self.any_of or [self.qualifiers])]

    def allows(self, axis: str, value: str | float) -> bool:
        return any(box.allows(axis, value) for box in self.boxes)

    def value_of(self, axis: str) -> Value | None:
        """The member's value on `axis` when all its boxes agree (for wording an answer)."""
        seen = [box.values.get(axis) for box in self.boxes]
        return seen[0] if seen and all(v == seen[0] for v in seen) else None


class Family(BaseModel):
    """One qualifier family: codes that differ only by the details in `splits_on`."""

    model_config = ConfigDict(extra="forbid")

    family: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{2,80}$")
    title: str = Field(min_length=5, max_length=160, description="Our own words.")
    splits_on: list[Axis] = Field(min_length=1)
    values: dict[str, list[str]] = Field(
        default_factory=dict, description="Restricts an axis to the values this family has codes for."
    )
    counted: list[str] = Field(default_factory=list, description="What a count counts: implant, implants")
    defaults: dict[str, str] = Field(
        default_factory=dict,
        description="The value to assume when a question does not state an axis (a tie-break only).",
    )
    members: list[Member] = Field(min_length=2)
    note: str = Field(default="", max_length=400)
    sources: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Family:
        for axis, allowed in self.values.items():
            if axis not in self.splits_on or axis == SIZE:
                raise ValueError(f"`values` names {axis!r}, which is not a categorical axis in splits_on")
            for value in allowed:
                if value not in AXES[axis]:
                    raise ValueError(f"{value!r} is not a value of {axis} ({', '.join(AXES[axis])})")
        for axis, value in self.defaults.items():
            if axis not in self.splits_on or axis == SIZE or value not in self.domain(axis):
                raise ValueError(f"default {axis}: {value!r} is not a value this family splits on")
        if COUNT in self.splits_on and not self.counted:
            raise ValueError("a family that splits on count names what it counts (`counted`)")
        codes = [m.code for m in self.members]
        if len(set(codes)) != len(codes):
            raise ValueError("a code is listed twice")
        return self

    def domain(self, axis: str) -> list[str]:
        return list(self.values.get(axis) or AXES[axis])

    def member(self, code: str) -> Member | None:
        return next((m for m in self.members if m.code == code), None)


def _value_problem(axis: str, value: Value, splits_on: list[Axis], code: str) -> str:
    if axis not in splits_on:
        return f"{code}: {axis!r} is not in this family's splits_on"
    if axis == SIZE:
        return "" if isinstance(value, SizeRange) else f"{code}: size_cm is a range such as {{from: 0.5}}"
    if isinstance(value, SizeRange):
        return f"{code}: {axis} takes a value, not a size range"
    wrong = [v for v in ([value] if isinstance(value, str) else value) if v not in AXES[axis]]
    return f"{code}: {wrong[0]!r} is not a value of {axis} ({', '.join(AXES[axis])})" if wrong else ""


def value_errors(family: Family) -> list[tuple[tuple[int | str, ...], str]]:
    """(path, problem) for each member value outside the family's axes or an axis's values."""
    out: list[tuple[tuple[int | str, ...], str]] = []
    for i, member in enumerate(family.members):
        forms: list[tuple[tuple[int | str, ...], dict[str, Value]]] = [
            (("any_of", j), v) for j, v in enumerate(member.any_of)
        ] or [(("qualifiers",), member.qualifiers)]
        for path, values in forms:
            for axis, value in values.items():
                problem = _value_problem(axis, value, family.splits_on, member.code)
                if problem:
                    out.append((("members", i, *path, axis), problem))
    return out


@dataclass
class QualifierSet:
    """Every qualifier family, and the load errors (file, line, field)."""

    families: list[Family] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # family slug -> file (relative)

    def of(self, code: str) -> list[Family]:
        return [f for f in self.families if f.member(code) is not None]

    @property
    def codes(self) -> set[str]:
        return {m.code for f in self.families for m in f.members}


def _line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int:
    """1-based line of the YAML node a validation error's path points at (its parent if the key
    is missing)."""
    line = node.start_mark.line + 1 if node is not None else 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            nxt = node.value[part]
        else:
            nxt = None
        if nxt is None:
            break
        node, line = nxt, nxt.start_mark.line + 1
    return line


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser when libyaml is there


def parse_family(text: str, rel: str) -> Family | list[IngestError]:
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [IngestError(rel, mark.line + 1 if mark else 1, "", f"invalid YAML: {exc}")]
    if not isinstance(data, Mapping):
        return [IngestError(rel, 1, "", "a qualifier family file is a mapping of fields")]

    def error(loc: tuple[int | str, ...], message: str) -> IngestError:
        # The node tree (for line numbers) is built only when there is an error to place.
        return IngestError(
            rel, _line_of(yaml.compose(text, Loader=_LOADER), loc), ".".join(map(str, loc)), message
        )

    try:
        family = Family.model_validate(data)
    except ValidationError as exc:
        return [error(tuple(err["loc"]), err["msg"]) for err in exc.errors()]
    if problems := value_errors(family):
        return [error(loc, message) for loc, message in problems]
    stem = Path(rel).stem
    if family.family != stem:
        return [error(("family",), f"must match the file name ({stem!r})")]
    return family


def load_qualifiers(knowledge_dir: Path) -> QualifierSet:
    """Every `knowledge/qualifiers/*.yaml`; a broken file becomes errors, never stops the load."""
    out = QualifierSet()
    folder = knowledge_dir / QUALIFIER_DIR
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        rel = str(path.relative_to(knowledge_dir))
        parsed = parse_family(path.read_text(encoding="utf-8"), rel)
        if isinstance(parsed, list):
            out.errors += parsed
        else:
            out.families.append(parsed)
            out.files[parsed.family] = rel
    return out
