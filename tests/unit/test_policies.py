"""The general NCCI policy records in knowledge/policies: their shape, their reach, and their verdicts."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.embed import HashingEmbeddings
from assistant.index import memory_index
from assistant.ingest import load_knowledge
from assistant.records import Record, Service
from assistant.retrieve import tokenize
from assistant.service import Assistant, build_assistant

ROOT = Path(__file__).resolve().parents[2]
POLICY_DIR = ROOT / "knowledge" / "policies"
INVENTORY = ROOT.parent / "shared" / "reference" / "cms" / "urinary_code_inventory_50010_53899.csv"

# A code record with no service items of its own, so only policy records can settle a question on it.
BARE_RECORD = """---
code: "{code}"
title: Test stand-in record with no service items of its own
family: test family
section: urinary/bladder
sources: ["test fixture"]
code_set_year: 2025
---
This stand-in record states no included or separately reported services, so any verdict on it must
come from a general policy record that covers the code.
"""


def _policies() -> list[Record]:
    loaded = load_knowledge(POLICY_DIR)
    assert not loaded.errors, [str(e) for e in loaded.errors]
    return [f.record for f in loaded.files]


def _policy(policy_id: str) -> Record:
    return next(p for p in _policies() if p.policy_id == policy_id)


def _terms(items: list[Service]) -> set[frozenset[str]]:
    """Each alias or service name as the set of tokens the verdict matcher compares."""
    return {frozenset(tokenize(term)) for item in items for term in item.terms()}


def _bounds(record: Record) -> Iterator[tuple[str, str]]:
    for item in record.applies_to:
        low, _, high = item.partition("-")
        yield low, high or low


def _overlap(a: Record, b: Record) -> bool:
    return any(lo1 <= hi2 and lo2 <= hi1 for lo1, hi1 in _bounds(a) for lo2, hi2 in _bounds(b))


@pytest.fixture
def bare_assistant(sample_knowledge: Path, unit_settings: Settings) -> Assistant:
    """The unit assistant plus item-less records for 52214 and 52010 (both covered by policies)."""
    for code in ("52214", "52010"):
        target = sample_knowledge / "urinary" / "test" / f"{code}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(BARE_RECORD.format(code=code))
    embedder = HashingEmbeddings()
    return build_assistant(unit_settings, embedder=embedder, index=memory_index(unit_settings, embedder))


# -- shape ---------------------------------------------------------------------------------------


def test_every_policy_file_is_named_after_its_id_and_well_formed() -> None:
    files = sorted(POLICY_DIR.glob("*.md"))
    assert len(files) >= 10
    loaded = load_knowledge(POLICY_DIR)
    assert not loaded.errors, [str(e) for e in loaded.errors]
    for parsed in loaded.files:
        record = parsed.record
        assert record.type == "policy"
        assert Path(parsed.path).stem == record.policy_id
        assert record.family == "NCCI general policy"
        assert record.code_set_year == 2025
        assert any("NCCI Policy Manual" in s for s in record.sources), record.policy_id


def test_no_alias_is_both_included_and_separate_across_overlapping_policies() -> None:
    policies = _policies()
    for a, b in combinations(policies, 2):
        if not _overlap(a, b):
            continue
        assert not _terms(a.includes) & _terms(b.reported_separately), (a.policy_id, b.policy_id)
        assert not _terms(b.includes) & _terms(a.reported_separately), (a.policy_id, b.policy_id)
    for p in policies:
        assert not _terms(p.includes) & _terms(p.reported_separately), p.policy_id


def test_policy_aliases_never_contradict_a_covered_code_record() -> None:
    """A general rule must not say 'included' where a code's own record says 'separate', or back."""
    loaded = load_knowledge(ROOT / "knowledge")
    records = [f.record for f in loaded.files if f.record.type == "procedure"]
    for policy in _policies():
        for record in (r for r in records if r.code and policy.covers(r.code)):
            assert not _terms(policy.includes) & _terms(record.reported_separately), (
                policy.policy_id,
                record.code,
            )
            assert not _terms(policy.reported_separately) & _terms(record.includes), (
                policy.policy_id,
                record.code,
            )


@pytest.mark.skipif(not INVENTORY.exists(), reason="shared CMS reference data not present")
def test_applies_to_ranges_start_and_end_on_inventory_codes() -> None:
    with INVENTORY.open() as handle:
        rows = csv.reader(line for line in handle if not line.startswith("#"))
        codes = {row[0] for row in rows}
    for policy in _policies():
        for low, high in _bounds(policy):
            assert low in codes and high in codes, (policy.policy_id, low, high)


# -- reach ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy_id", "covered", "not_covered"),
    [
        (
            "surgical-endoscopy-includes-diagnostic",
            ["50555", "50576", "50953", "52204", "52353", "52601"],
            ["50551", "50570", "50951", "50970", "52000", "50220"],
        ),
        (
            "fluoroscopy-integral-to-endoscopy",
            ["50570", "50545", "52000", "52332", "52356", "52601", "53865"],
            ["50220", "50432", "51702", "50590"],
        ),
        (
            "bladder-catheterization-in-surgical-package",
            ["50220", "50576", "51570", "52000", "52353", "53445"],
            ["51700", "51701", "51702", "51703", "51999", "53899"],
        ),
        ("bladder-irrigation-for-access", ["52000", "52234", "52601"], ["51700", "51720", "50570"]),
        (
            "injection-codes-exclusive-of-radiologic-service",
            ["50551", "50576", "50684", "51600", "52005", "52010"],
            ["52000", "52332", "50432"],
        ),
        (
            "temporary-ureteral-catheter-during-ureteral-endoscopy",
            ["52320", "52334", "52353", "52355"],
            ["52332", "52356", "52005"],
        ),
        ("renal-calculi-one-unit-per-side", ["50080", "50590", "52353"], ["52317", "52318", "52000"]),
        ("cystoscopy-includes-bladder-foreign-body-removal", ["52005", "52356"], ["52000", "52310", "52315"]),
    ],
)
def test_policy_covers_the_expected_codes(policy_id: str, covered: list[str], not_covered: list[str]) -> None:
    policy = _policy(policy_id)
    assert [c for c in covered if not policy.covers(c)] == []
    assert [c for c in not_covered if policy.covers(c)] == []


# -- verdicts --------------------------------------------------------------------------------------


def test_fluoroscopy_with_50570_is_included_and_cited(unit_assistant: Assistant) -> None:
    answer = unit_assistant.ask("is fluoroscopy separately reportable with 50570?")
    assert answer.verdict == "included"
    assert answer.citations


@pytest.mark.parametrize(
    ("question", "verdict", "policy_id"),
    [
        ("is fluoroscopy separately reportable with 52214?", "included", "fluoroscopy-integral-to-endoscopy"),
        (
            "can I bill a foley catheter with 52214?",
            "included",
            "bladder-catheterization-in-surgical-package",
        ),
        ("is bladder irrigation included in 52214?", "included", "bladder-irrigation-for-access"),
        (
            "is the diagnostic endoscopy reported separately with 52214?",
            "included",
            "surgical-endoscopy-includes-diagnostic",
        ),
        (
            "is foreign body removal billable with 52214?",
            "included",
            "cystoscopy-includes-bladder-foreign-body-removal",
        ),
        (
            "is the radiological supervision and interpretation included in 52010?",
            "separate",
            "injection-codes-exclusive-of-radiologic-service",
        ),
    ],
)
def test_a_policy_settles_what_the_code_record_does_not_say(
    bare_assistant: Assistant, question: str, verdict: str, policy_id: str
) -> None:
    answer = bare_assistant.ask(question)
    assert answer.verdict == verdict
    assert f"policy:{policy_id}" in {c.code for c in answer.citations}


def test_a_service_no_policy_names_stays_not_stated(bare_assistant: Assistant) -> None:
    answer = bare_assistant.ask("is a prostate biopsy included in 52214?")
    assert answer.verdict == "not_stated"
