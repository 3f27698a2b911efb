"""The generated PTP section: rendered from the shipped table, deterministic, cited, never ranked."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.bundling import CHUNK, FIELDS, Bundling, bundling, section_texts
from assistant.cite import codes_in
from assistant.completeness import completeness
from assistant.ingest import load_knowledge, split_passages
from assistant.rulesdb import RulesDB
from assistant.service import Assistant
from tests.conftest import KNOWLEDGE

pytestmark = pytest.mark.unit


@pytest.fixture
def section(sample_knowledge: Path, shipped_rules: RulesDB) -> Bundling:
    return bundling(load_knowledge(sample_knowledge).records, shipped_rules)


def test_section_lists_modifier_0_edits_both_ways_with_the_table_date(section: Bundling) -> None:
    assert section.as_of == "2024-07-01"
    assert "52000" in section.bundles["52332"]  # 52332/52000, modifier 0
    assert "52332" in section.bundled_into["52000"]
    texts = dict(section_texts("52332", section))
    assert "2024-07-01" in texts["bundles"] and "52000" in codes_in(texts["bundles"])


def test_section_is_deterministic_and_split_into_short_passages(
    sample_knowledge: Path, shipped_rules: RulesDB
) -> None:
    files = load_knowledge(sample_knowledge).files
    first, again = (bundling([f.record for f in files], shipped_rules) for _ in range(2))
    for parsed in files:
        one, two = split_passages(parsed, first), split_passages(parsed, again)
        assert [(p.id, p.text) for p in one] == [(p.id, p.text) for p in two]
        assert [p for p in split_passages(parsed) if p.field in FIELDS] == []
        for p in one:
            if p.field in FIELDS:
                assert len([c for c in codes_in(p.text) if c != parsed.record.code]) <= CHUNK


def test_whole_knowledge_base_leaves_no_in_range_modifier_0_edit_unreported(shipped_rules: RulesDB) -> None:
    files = load_knowledge(KNOWLEDGE).files
    report = completeness(files, shipped_rules)
    assert report.unreported_bundled == [] and report.unreported_bundled_into == []
    assert report.in_range_bundled > 0 and report.in_range_bundled_into > 0


def test_generated_passages_are_stored_but_never_ranked(unit_assistant: Assistant) -> None:
    searcher = unit_assistant.searcher
    assert any(p.field in FIELDS for p in searcher.passages.values())
    for query, codes in (("can I bill 52000 with 52332", ["52000", "52332"]), ("bladder catheter", [])):
        hits = searcher.search(query, codes, k=20)
        assert hits and all(h.passage.field not in FIELDS for h in hits)
