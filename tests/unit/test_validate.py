"""The knowledge validator on the whole knowledge base and on broken samples."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.rulesdb import RulesDB
from assistant.validate import coverage, validate
from tests.conftest import KNOWLEDGE, ROOT

SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def rules(shipped_rules: RulesDB) -> RulesDB:
    return shipped_rules


def test_whole_knowledge_base_is_valid(rules: RulesDB) -> None:
    report = validate(KNOWLEDGE, rules, SEEDS)
    assert [str(e) for e in report.errors] == []
    assert report.records > 300


def test_every_inventory_code_has_a_record(rules: RulesDB) -> None:
    report = coverage(KNOWLEDGE, rules)
    assert report.inventory_missing == []
    assert report.records_without_sources == []


def test_seed_copy_check(rules: RulesDB, sample_knowledge: Path) -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"dev-only check: {SEEDS} not found")
    seed_line = next(
        line for line in next(SEEDS.glob("*.txt")).read_text().splitlines() if len(line.split()) > 20
    )
    path = sample_knowledge / "urinary/kidney/50570.md"
    path.write_text(path.read_text() + "\n" + " ".join(seed_line.split()[:9]) + "\n")
    report = validate(sample_knowledge, rules, SEEDS)
    assert any("seed page" in str(e) and "50570.md" in str(e) for e in report.errors)


def test_broken_sample_fails_with_file_and_field(rules: RulesDB, sample_knowledge: Path) -> None:
    path = sample_knowledge / "urinary/kidney/50576.md"
    path.write_text(path.read_text().replace('see_also: ["50570"', 'see_also: ["50599"'))
    (sample_knowledge / "urinary/kidney/50571.md").write_text(
        path.read_text().replace('"50576"', '"50571"', 1)
    )
    messages = [str(e) for e in validate(sample_knowledge, rules, None).errors]
    assert any("50576.md" in m and "see_also" in m and "50599" in m for m in messages)
    assert any("50571.md" in m and "not in the CMS code inventory" in m for m in messages)


def test_alias_in_both_lists_is_an_error(rules: RulesDB, sample_knowledge: Path) -> None:
    path = sample_knowledge / "urinary/kidney/50576.md"
    path.write_text(
        path.read_text().replace("aliases: [fluoroscopy,", "aliases: [ureteropyelography, fluoroscopy,")
    )
    messages = [str(e) for e in validate(sample_knowledge, rules, None).errors]
    assert any("'ureteropyelography' is in both" in m for m in messages)
