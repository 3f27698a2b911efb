"""NCCI manual items as the policy records cite them, and the coder questions written for them
(tests/data/policy_questions.yaml), shared by the unit and integration tests."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.records import Record

ROOT = Path(__file__).resolve().parent.parent
POLICY_DIR = ROOT / "knowledge" / "policies"
QUESTIONS = ROOT / "tests" / "data" / "policy_questions.yaml"
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.DOTALL)

# "ch. VII, sec. C items 1, 16, 30; sec. I item 6; ch. IX, sec. D item 7" -> VII.C.1, VII.C.16, ...
TOKEN = re.compile(r"ch\.\s*([IVXL]+)|sec\.\s*([A-Z])\b|items?\s+(\d+(?:\s*(?:,|and)\s*\d+)*)")


@dataclass(frozen=True)
class PolicyQuestion:
    item: str  # "VII.C.5", or "I.E" for a ch. I rule
    policy: str  # the policy_id that should answer the question
    question: str
    topic: str = ""  # the ch. I rule, for ch. I rows

    @property
    def id(self) -> str:
        return f"{self.item}{'-' + self.topic if self.topic else ''}:{self.policy}"


def load_policy_questions() -> list[PolicyQuestion]:
    rows = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    return [PolicyQuestion(**row) for row in rows]


def load_policy(policy_id: str) -> Record:
    """A policy record read straight from its file's front matter, validated by the schema."""
    text = (POLICY_DIR / f"{policy_id}.md").read_text(encoding="utf-8")
    match = FRONT_MATTER.match(text)
    assert match, f"{policy_id}: no YAML front matter"
    record = Record.model_validate(yaml.safe_load(match.group(1)))
    assert record.type == "policy" and record.policy_id == policy_id
    assert match.group(2).strip(), f"{policy_id}: empty body"
    return record


def manual_items(record: Record) -> set[str]:
    """The NCCI manual places a record's sources cite, as 'VII.C.20', 'VII.H.3' or 'I.E' / 'I'."""
    found: set[str] = set()
    for source in record.sources:
        if "NCCI Policy Manual" not in source:
            continue
        chapter = section = None
        for m in TOKEN.finditer(source):
            if m.group(1):
                chapter, section = m.group(1), None
                found.add(chapter)
            elif m.group(2) and chapter:
                section = m.group(2)
                found.add(f"{chapter}.{section}")
            elif m.group(3) and chapter and section:
                found.update(f"{chapter}.{section}.{n}" for n in re.findall(r"\d+", m.group(3)))
    return found
