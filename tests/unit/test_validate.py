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


def test_descriptor_boilerplate_is_flagged_for_rewording(rules: RulesDB, sample_knowledge: Path) -> None:
    path = sample_knowledge / "urinary/kidney/50576.md"
    text = path.read_text().replace(
        "Destroying tissue with current is one", "Destroying tissue, when performed, is one"
    )
    quoted = '\nCMS ch. VII sec. C item 25 says "include fluoroscopy when performed" in so many words.\n'
    path.write_text(text + "\nThe scope is passed with or without a sheath.\n" + quoted)
    path.with_name("50574.md").write_text(
        path.with_name("50574.md").read_text().replace("aliases: [", "aliases: [each additional stone, ", 1)
    )
    runs = validate(sample_knowledge, rules, None).descriptor_runs
    assert any("50576.md: includes[1]:" in r and "'when performed'" in r for r in runs)
    assert any("50576.md: body:" in r and "'with or without'" in r for r in runs)
    assert len([r for r in runs if "50576.md" in r]) == 2  # the quoted CMS sentence is allowed
    assert not any("50574.md" in r for r in runs)  # aliases are the coder's words, not our prose


def test_whole_knowledge_base_has_no_descriptor_boilerplate(rules: RulesDB) -> None:
    assert validate(KNOWLEDGE, rules, None).descriptor_runs == []
