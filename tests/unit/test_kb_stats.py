"""`codecite stats` figures: facts by kind, policies by manual section, open findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest import load_knowledge
from assistant.kb_stats import figures, manual_sections
from assistant.rulesdb import RulesDB

pytestmark = pytest.mark.unit


def test_manual_sections_follow_the_chapter_they_belong_to() -> None:
    line = "NCCI Policy Manual (Medicaid 2025) ch. VII, sec. C items 6, 7; sec. I item 15; ch. I sec. E"
    assert manual_sections(line) == ["ch. VII sec. C", "ch. VII sec. I", "ch. I sec. E"]
    assert manual_sections("NCCI manual ch. I (general policy); ch. IX sec. D item 8") == [
        "ch. I",
        "ch. IX sec. D",
    ]
    assert manual_sections("CMS PFS RVU file 2025 Oct") == []


def test_figures_count_facts_policies_and_findings(sample_knowledge: Path, shipped_rules: RulesDB) -> None:
    files = load_knowledge(sample_knowledge).files
    figs = figures(files, shipped_rules, mismatches=0)
    assert figs.facts_by_kind["includes items"] == sum(len(f.record.includes) for f in files)
    assert figs.facts_by_kind["includes codes with a modifier-0 edit"] > 0
    policies = {p for ids in figs.policies_by_section.values() for p in ids}
    assert policies == {f.record.policy_id for f in files if f.record.type == "policy"}
    assert "ch. VII sec. C" in figs.policies_by_section
    assert figs.open_findings["in-range modifier-0 edits unreported, record's code in column 1"] == 0
    assert figs.open_findings["descriptor-boilerplate runs"] == 0
