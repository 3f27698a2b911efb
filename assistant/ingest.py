"""Parse knowledge files into validated records and split them into passages.

A broken file never stops the run: it becomes an `IngestError` naming the file, line and
field, and every other file is still ingested (the index build then keeps the last good version
of the record that file held). Two files defining one code are an error naming both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from assistant.bundling import Bundling, section_texts
from assistant.models import Passage
from assistant.records import Record

# Lines a scraped coding-site page carries that are not knowledge: copyright notices,
# sign-up walls and advertising. Dropped before anything is stored.
BOILERPLATE = re.compile(
    r"©|\bcopyright\b|all rights reserved|create a (free )?account|unlock this content|"
    r"sign up|log ?in to|subscribe|get instant|coding assistan|advertis|casepilot",
    re.IGNORECASE,
)
# libyaml's loader when PyYAML was built with it: ten times faster on the whole knowledge base.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)
MIN_PARAGRAPH_CHARS = 40


@dataclass(frozen=True)
class IngestError:
    file: str
    line: int
    field: str
    message: str
    key: str = ""  # the record key, when the file parsed far enough to name one (duplicates)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        what = f" field '{self.field}'" if self.field else ""
        return f"{where}:{what} {self.message}"


@dataclass
class ParsedFile:
    path: str
    record: Record
    body: str


@dataclass
class IngestResult:
    files: list[ParsedFile] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)

    @property
    def records(self) -> list[Record]:
        return [f.record for f in self.files]


def clean_body(text: str) -> str:
    """Drop boilerplate lines (copyright, sign-up, adverts) and tidy blank lines."""
    kept = [line for line in text.splitlines() if not BOILERPLATE.search(line)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def _field_line(front_matter: str, loc: tuple[int | str, ...]) -> int:
    """1-based line (within the file) of the top-level key a validation error points at."""
    if not loc:
        return 2
    key = re.escape(str(loc[0]))
    for number, line in enumerate(front_matter.splitlines(), start=2):
        if re.match(rf"^{key}\s*:", line):
            return number
    return 2


def parse_file(path: Path, root: Path) -> ParsedFile | list[IngestError]:
    rel = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [IngestError(rel, 0, "", f"cannot read file: {exc}")]
    match = FRONT_MATTER.match(text)
    if not match:
        return [IngestError(rel, 1, "", "no YAML front matter (the file must start with ---)")]
    front = match.group(1)
    try:
        data = yaml.load(front, Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        return [IngestError(rel, line, "", f"invalid YAML: {problem}")]
    if not isinstance(data, dict):
        return [IngestError(rel, 2, "", "front matter must be a mapping of fields")]
    try:
        record = Record.model_validate(data)
    except ValidationError as exc:
        return [
            IngestError(
                rel,
                _field_line(front, err["loc"]),
                ".".join(str(p) for p in err["loc"]),
                err["msg"],
            )
            for err in exc.errors()
        ]
    body = clean_body(text[match.end() :])
    if len(body) < MIN_PARAGRAPH_CHARS:
        line = front.count("\n") + 3
        return [IngestError(rel, line, "body", "body is empty or too short")]
    return ParsedFile(rel, record, body)


def load_knowledge(root: Path) -> IngestResult:
    """Parse every `*.md` under `root` (README files excluded); collect errors, keep going."""
    if not root.is_dir():
        raise FileNotFoundError(f"knowledge directory not found: {root}")
    result = IngestResult()
    seen: dict[str, str] = {}
    for path in sorted(root.rglob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        parsed = parse_file(path, root)
        if isinstance(parsed, list):
            result.errors.extend(parsed)
            continue
        key = parsed.record.key
        if key in seen:
            result.errors.append(
                IngestError(
                    parsed.path,
                    2,
                    "code",
                    f"duplicate record for {key}: both {seen[key]} and {parsed.path} define it "
                    "(remove or rename one)",
                    key,
                )
            )
            continue
        seen[key] = parsed.path
        result.files.append(parsed)
    return result


def _summary_text(record: Record) -> str:
    label = record.code or record.policy_id
    parts = [f"{label}: {record.title}.", f"Family: {record.family}."]
    if record.type == "retired":
        replaced = ", ".join(record.replaced_by) or "no direct replacement"
        parts.append(f"This code is retired (no longer active); current code: {replaced}.")
    if record.base_code:
        parts.append(f"Endoscopic base code: {record.base_code}.")
    if record.add_on:
        parts.append(f"Add-on code, reported with {', '.join(record.primary_codes)}.")
    if record.applies_to:
        parts.append(f"Applies to {', '.join(record.applies_to)}.")
    return " ".join(parts)


def _service_text(record: Record, item_service: str, codes: list[str], reason: str, kind: str) -> str:
    label = record.code or "these codes"
    code_part = f" ({', '.join(codes)})" if codes else ""
    lead = "Included in" if kind == "includes" else "Reported separately from"
    text = f"{lead} {label}: {item_service}{code_part}."
    return f"{text} {reason}".strip()


def split_passages(parsed: ParsedFile, bundled: Bundling | None = None) -> list[Passage]:
    """One passage per idea: a summary, each body paragraph, each service item; with `bundled`,
    the record's generated section from the PTP table too (assistant/bundling.py)."""
    record = parsed.record
    common = {
        "code": record.key,
        "title": record.title,
        "family": record.family,
        "file": parsed.path,
        "record_type": record.type,
        "code_set_year": record.code_set_year,
        "sources": record.sources,
    }
    passages = [Passage(id=f"{record.key}#summary-0", text=_summary_text(record), field="summary", **common)]
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", parsed.body)]
    body = [" ".join(p.split()) for p in paragraphs if len(p) >= MIN_PARAGRAPH_CHARS]
    passages += [
        Passage(id=f"{record.key}#body-{i}", text=p, field="body", **common) for i, p in enumerate(body)
    ]
    for kind, items in (("includes", record.includes), ("reported_separately", record.reported_separately)):
        passages += [
            Passage(
                id=f"{record.key}#{kind}-{i}",
                text=_service_text(record, it.service, it.codes, it.reason, kind),
                field=kind,
                **common,
            )
            for i, it in enumerate(items)
        ]
    if bundled is not None and record.code:
        counts: dict[str, int] = {}
        for kind, text in section_texts(record.code, bundled):
            n = counts[kind] = counts.get(kind, -1) + 1
            passages.append(Passage(id=f"{record.key}#{kind}-{n}", text=text, field=kind, **common))
    return passages
