"""Qualifier families: the schema and loader, the partition check, and reading stated values."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.qualifier_check import check, count_errors, coverage, indicator_errors, partition_errors
from assistant.qualifier_words import stated_count, stated_size, stated_values
from assistant.qualifiers import Family, QualifierSet, load_qualifiers, parse_family
from assistant.rulesdb import RulesDB
from tests.conftest import KNOWLEDGE

TIERS = """\
family: tumour-tiers
title: A test family split by size
splits_on: [size_cm]
members:
  - code: "52224"
    qualifiers: {size_cm: {below: 0.5}}
  - code: "52234"
    qualifiers: {size_cm: {from: 0.5, up_to: 2.0}}
  - code: "52235"
    qualifiers: {size_cm: {HIGH}}
sources: [test]
"""


def family(text: str, name: str = "tumour-tiers") -> Family:
    parsed = parse_family(text, f"qualifiers/{name}.yaml")
    assert isinstance(parsed, Family), parsed
    return parsed


@pytest.fixture(scope="module")
def shipped() -> QualifierSet:
    return load_qualifiers(KNOWLEDGE)


def test_tiers_that_touch_without_overlap_pass() -> None:
    assert partition_errors(family(TIERS.replace("HIGH", "over: 2.0"))) == []


@pytest.mark.parametrize(
    ("high", "problem"),
    [
        ("from: 2.0", "overlap: 52234 and 52235 both cover size_cm=2"),  # both include 2.0
        ("over: 2.5", "gap: no code for size_cm=2.25"),  # nothing between 2.0 and 2.5
        ("from: 1.5", "overlap: 52234 and 52235 both cover size_cm=1.5"),
    ],
)
def test_a_gap_or_an_overlap_between_tiers_is_an_error(high: str, problem: str) -> None:
    assert problem in partition_errors(family(TIERS.replace("HIGH", high)))


def test_a_missing_combination_is_a_gap() -> None:
    text = """\
family: sex-split
title: A test family split by sex
splits_on: [sex, anesthesia]
members:
  - code: "53600"
    qualifiers: {sex: male, anesthesia: local}
  - code: "53605"
    qualifiers: {sex: male, anesthesia: general}
  - code: "53660"
    qualifiers: {sex: female}
  - code: "53665"
    qualifiers: {sex: female, anesthesia: general}
sources: [test]
"""
    errors = partition_errors(family(text, "sex-split"))
    assert errors == ["overlap: 53660 and 53665 both cover sex=female, anesthesia=general"]
    text = text.replace('  - code: "53665"\n    qualifiers: {sex: female, anesthesia: general}\n', "")
    text = text.replace("{sex: female}", "{sex: female, anesthesia: local}")
    assert partition_errors(family(text, "sex-split")) == ["gap: no code for sex=female, anesthesia=general"]


COUNTED = """\
family: lift
title: A test family split by count
splits_on: [count]
counted: [implant]
members:
  - code: "FIRST"
    qualifiers: {count: first}
  - code: "EXTRA"
    qualifiers: {count: each_additional}
sources: [test]
"""


def test_a_first_code_needs_its_add_on_in_the_cms_table(shipped_rules: RulesDB) -> None:
    good = family(COUNTED.replace("FIRST", "52441").replace("EXTRA", "52442"), "lift")
    assert count_errors(good, shipped_rules, date.today()) == []
    wrong_primary = family(COUNTED.replace("FIRST", "52000").replace("EXTRA", "52442"), "lift")
    assert count_errors(wrong_primary, shipped_rules, date.today()) == [
        "missing add-on pair: the CMS add-on table does not list 52000 as a primary of 52442"
    ]
    not_add_on = family(COUNTED.replace("FIRST", "52441").replace("EXTRA", "52000"), "lift")
    assert "52000 is not an add-on code" in count_errors(not_add_on, shipped_rules, date.today())[0]


def test_a_first_code_without_an_each_additional_member_is_an_error() -> None:
    text = COUNTED.replace("FIRST", "52441").replace("EXTRA", "52442")
    text = text.replace("each_additional", "first")
    errors = count_errors(family(text, "lift"), None, date.today())
    assert "missing add-on pair: 52441 is the first, but no code is each additional" in errors


def test_the_bilateral_indicator_must_match_the_rvu_file(shipped_rules: RulesDB) -> None:
    text = """\
family: sides
title: A test family split by side
splits_on: [laterality]
members:
  - code: "53451"
    qualifiers: {laterality: bilateral}
    bilateral_indicator: "1"
  - code: "53452"
    qualifiers: {laterality: unilateral}
sources: [test]
"""
    assert indicator_errors(family(text, "sides"), shipped_rules) == [
        "53451: bilateral_indicator 1 but the RVU file says 0",
        "53452: a family that splits on laterality gives each bilateral_indicator",
    ]


def test_load_errors_name_the_file_line_and_field() -> None:
    text = TIERS.replace("HIGH", "over: 2.0").replace("{size_cm: {below: 0.5}}", "{sex: male}")
    errors = parse_family(text, "qualifiers/tumour-tiers.yaml")
    assert isinstance(errors, list) and errors
    assert (errors[0].file, errors[0].line, errors[0].field) == (
        "qualifiers/tumour-tiers.yaml",
        6,
        "members.0.qualifiers.sex",
    )
    assert errors[0].message == "52224: 'sex' is not in this family's splits_on"
    errors = parse_family(
        TIERS.replace("HIGH", "over: 2.0").replace('"52234"', '"5223"'), "qualifiers/tumour-tiers.yaml"
    )
    assert isinstance(errors, list)
    assert (errors[0].line, errors[0].field) == (7, "members.1.code")


def test_an_unknown_value_and_a_misnamed_file_are_errors() -> None:
    errors = parse_family(
        TIERS.replace("HIGH", "over: 2.0").replace("below", "beneath"), "qualifiers/tumour-tiers.yaml"
    )
    assert isinstance(errors, list) and len(errors) == 1
    assert (errors[0].line, errors[0].field) == (6, "members.0.qualifiers")
    assert errors[0].message == "Value error, size_cm: Extra inputs are not permitted (beneath)"
    errors = parse_family(TIERS.replace("HIGH", "over: 2.0"), "qualifiers/other-name.yaml")
    assert isinstance(errors, list) and errors[0].field == "family" and errors[0].line == 1


def test_the_shipped_families_partition_their_codes(shipped: QualifierSet, shipped_rules: RulesDB) -> None:
    known = {p.stem for p in (KNOWLEDGE / "urinary").rglob("*.md")}
    assert [str(e) for e in check(shipped, shipped_rules, known)] == []
    assert len(shipped.families) >= 30
    axes = {a for f in shipped.families for a in f.splits_on}
    assert {"size_cm", "complexity", "count", "approach", "laterality", "sex", "stent", "session"} <= axes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("excision of urethral diverticulum in a femal pt", {"sex": "female"}),
        ("and done laparoscopically?", {"approach": "laparoscopic"}),
        ("3rd treatment (not the first)", {"session": "subsequent"}),
        ("balloon dilation thru cysto, no ureteroscope", {"scope": "cystoscope"}),
        ("and if done lap with cysto and stent?", {"approach": "laparoscopic", "stent": "with"}),
        ("lap reimplant without cysto and stent", {"approach": "laparoscopic", "stent": "without"}),
        ("what if it was only under local", {"anesthesia": "local"}),
        ("what if it's bilateral?", {"laterality": "bilateral"}),
    ],
)
def test_stated_values(text: str, expected: dict[str, str]) -> None:
    assert stated_values(text) == expected


def test_stated_size_and_count() -> None:
    assert stated_size("TURBT, single 3.2 cm tumor") == 3.2
    assert stated_size("a 15 mm stone") == 1.5
    assert stated_size("largest 4.5 cm, total burden about 6 cm") == 4.5
    assert stated_size("no size here") is None
    assert stated_count("They ended up placing 4 implants total.", ["implant", "implants"]) == 4
    assert stated_count("and four implants?", ["implant", "implants"]) == 4
    assert stated_count("a total of 3", ["implant"]) == 3
    assert stated_count("the first implant code", ["implant"]) is None


def test_loader_reads_every_file_in_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "qualifiers"
    folder.mkdir()
    (folder / "tumour-tiers.yaml").write_text(TIERS.replace("HIGH", "over: 2.0"))
    (folder / "broken.yaml").write_text("family: [unclosed\n")
    loaded = load_qualifiers(tmp_path)
    assert [f.family for f in loaded.families] == ["tumour-tiers"]
    assert loaded.errors[0].file == "qualifiers/broken.yaml"
    assert loaded.of("52234")[0].family == "tumour-tiers"


def test_coverage_by_record_family(shipped: QualifierSet) -> None:
    families = {"52441": "prostatic lift", "52442": "prostatic lift", "52000": "diagnostic cystoscopy"}
    report = coverage(shipped, families)
    assert report.by_record_family == {"prostatic lift": (2, 2)}
    assert report.families == len(shipped.families) and report.by_axis["count"] == 1
