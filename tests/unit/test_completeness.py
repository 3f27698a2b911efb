"""The completeness report: modifier-0 edits a record leaves unmentioned, in both directions."""

from __future__ import annotations

from pathlib import Path

from assistant.bundling import Bundling
from assistant.completeness import completeness
from assistant.ingest import load_knowledge
from assistant.rulesdb import RulesDB


def test_unmentioned_edits_are_reported_both_ways(sample_knowledge: Path, shipped_rules: RulesDB) -> None:
    record = sample_knowledge / "urinary/cystoscopy/52332.md"
    text = record.read_text()
    record.write_text(text.replace("52000", "52001"))  # hide one of the record's mentions
    files = load_knowledge(sample_knowledge).files
    # Without the generated section: what the written records alone leave out.
    report = completeness(files, shipped_rules, generated=Bundling(""))
    assert "52332 includes 52000 (modifier 0)" in report.unreported_bundled
    assert report.unreported_bundled_into and all(
        " is bundled into " in x for x in report.unreported_bundled_into
    )
    # With it (what ingest indexes), every in-range edit is named, and the hidden one only there.
    full = completeness(files, shipped_rules)
    assert full.unreported_bundled == [] and full.unreported_bundled_into == []
    assert full.only_generated_bundled >= 1
