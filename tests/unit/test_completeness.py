"""The completeness report: modifier-0 edits a record leaves unmentioned, in both directions."""

from __future__ import annotations

from pathlib import Path

from assistant.completeness import completeness
from assistant.ingest import load_knowledge
from assistant.rulesdb import RulesDB


def test_unmentioned_edits_are_reported_both_ways(sample_knowledge: Path, shipped_rules: RulesDB) -> None:
    record = sample_knowledge / "urinary/cystoscopy/52332.md"
    text = record.read_text()
    record.write_text(text.replace("52000", "52001"))  # hide one of the record's mentions
    report = completeness(load_knowledge(sample_knowledge).files, shipped_rules)
    assert "52332 includes 52000 (modifier 0)" in report.unreported_bundled
    assert all(" is bundled into " in line for line in report.unreported_bundled_into)
