"""Each NCCI policy record in knowledge/policies: it reaches a code its manual item covers, stops short
of a neighbour it must not cover, and cites that manual item in its sources.

The rows are fresh examples, not the ones in test_policies.py. Records are read straight from their
YAML front matter and validated with the project schema (assistant.records.Record).
"""

from __future__ import annotations

import pytest

from tests.policy_items import POLICY_DIR, load_policy, manual_items

pytestmark = pytest.mark.unit

# (policy_id, a code the item covers, a code it must not cover, the manual item it rests on)
CASES = [
    ("bilateral-contralateral-modifiers", "50740", "51550", "VII.I.12"),
    ("bladder-catheterization-in-surgical-package", "51040", "50300", "VII.C.1"),
    ("bladder-irrigation-for-access", "52282", "51705", "VII.C.12"),
    ("bladder-residual-study-nuclear-only", "51798", "51797", "VII.C.19"),
    ("catheter-supplies-in-bladder-catheter-codes", "51702", "51705", "VII.C.30"),
    ("cystoscopy-biopsy-one-unit", "52204", "52214", "VII.C.2"),
    ("cystoscopy-includes-bladder-foreign-body-removal", "52276", "52317", "VII.C.23"),
    ("emg-during-biofeedback", "51785", "51792", "VII.C.13"),
    ("endoscopy-with-open-procedure", "51565", "52000", "VII.C.7"),
    ("fluoroscopy-integral-to-endoscopy", "50953", "50605", "VII.C.24"),
    ("injection-codes-exclusive-of-radiologic-service", "50690", "50688", "IX.D.2"),
    ("litholapaxy-only-for-bladder-stones", "52352", "52317", "VII.C.29"),
    ("modifier-59-and-x-modifiers", "53445", "54000", "I.E"),
    ("mucocutaneous-border-lesions", "53265", "53250", "VII.C.3"),
    ("multiple-endoscopy-most-comprehensive-code", "50961", "50590", "VII.C.11"),
    ("nephrostomy-exchange-includes-nephrostogram", "50435", "50434", "VII.C.28"),
    ("one-method-per-procedure", "52648", "55801", "VII.C.6"),
    ("pelvic-exenteration-includes-organ-removal", "51597", "51596", "VII.C.27"),
    ("prostatectomy-includes-bladder-neck-reconstruction", "51800", "51820", "VII.C.21"),
    ("radiologic-guidance-in-code-definition", "50694", "50684", "VII.I.14"),
    ("renal-calculi-one-unit-per-side", "50081", "52351", "VII.H.3"),
    ("separate-procedure-designation", "50650", "50660", "VII.C.22"),
    ("surgical-endoscopy-includes-diagnostic", "50572", "53860", "VII.C.10"),
    ("temporary-ureteral-catheter-during-ureteral-endoscopy", "52344", "52310", "VII.C.20"),
    ("ureteral-stent-integral-to-anastomosis", "50760", "50605", "VII.C.26"),
    ("urethroplasty-includes-urethrorrhaphy", "53425", "53440", "VII.C.18"),
    ("transurethral-endoscopy-includes-minor-urethral-steps", "52640", "53020", "VII.C.15"),
    ("hernia-repair-in-code-definition", "51500", "51520", "VII.C.5"),
    ("irrigation-or-drainage-integral-to-procedure", "50220", "52000", "VII.C.4"),
    ("endoscopic-approach-defines-code", "50557", "52000", "VII.C.14"),
    ("ureteral-anastomoses-mutually-exclusive", "50815", "50830", "VII.C.17"),
    ("ureterectomy-bladder-cuff-same-ureter", "50780", "50945", "VII.C.22"),
    ("anatomic-modifiers", "50590", "51700", "I.E"),
    ("most-comprehensive-code", "51550", "54000", "I.A"),
]


@pytest.mark.parametrize(("policy_id", "covered", "not_covered", "item"), CASES, ids=[c[0] for c in CASES])
def test_policy_record_reach_and_source(policy_id: str, covered: str, not_covered: str, item: str) -> None:
    record = load_policy(policy_id)
    assert record.covers(covered), f"{policy_id} should cover {covered}"
    assert not record.covers(not_covered), f"{policy_id} should not cover {not_covered}"
    assert item in manual_items(record), (policy_id, item, sorted(manual_items(record)))
    assert record.family == "NCCI general policy"
    assert record.code_set_year == 2025


def test_every_policy_record_has_a_case() -> None:
    on_disk = {path.stem for path in POLICY_DIR.glob("*.md")}
    assert on_disk == {case[0] for case in CASES}


def test_no_alias_is_in_both_lists_of_one_record() -> None:
    for policy_id in sorted(path.stem for path in POLICY_DIR.glob("*.md")):
        record = load_policy(policy_id)
        included = {t.casefold() for s in record.includes for t in s.terms()}
        separate = {t.casefold() for s in record.reported_separately for t in s.terms()}
        assert not included & separate, policy_id


def test_manual_items_parser_reads_chapters_sections_and_item_lists() -> None:
    record = load_policy("bladder-catheterization-in-surgical-package")
    assert {"VII.C.1", "VII.C.16", "VII.C.30", "VII.I.6", "IX.D.7"} <= manual_items(record)
