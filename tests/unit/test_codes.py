"""One definition of a code: syntax, and codes with modifiers and units as coders type them."""

from __future__ import annotations

import pytest

from assistant.codes import CodeMention, find_codes, is_code, is_modifier, mentions, scan


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("50576", True),
        ("0596T", True),
        ("0001F", True),
        ("0071U", True),
        ("0001A", True),
        ("G0101", True),
        ("J9030", True),
        ("A4310", True),
        ("5057", False),
        ("505766", False),
        ("5O576", False),
        ("50576-", False),
        ("W1234", False),
        ("0596X", False),
        ("", False),
    ],
)
def test_is_code(value: str, ok: bool) -> None:
    assert is_code(value) is ok


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("is ureteropyelography included in 50576?", ["50576"]),
        ("CPT 52000 with CPT# 52001", ["52000", "52001"]),
        ("cpt#52332 and 52332 again", ["52332"]),
        ("５２０００ full-width digits", ["52000"]),
        ("g0101 lower case hcpcs", ["G0101"]),
        ("price $50576 and 505766 and 5O576 and 50576.5", []),
        ("MRN55123 is no code", []),
        ("0596T and 52356", ["0596T", "52356"]),
    ],
)
def test_find_codes(text: str, codes: list[str]) -> None:
    assert find_codes(text) == codes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("52332-RT", [("52332", ("RT",), None)]),
        ("52005-XS with 52332", [("52005", ("XS",), None), ("52332", (), None)]),
        ("52332 RT and 52332 LT", [("52332", ("RT",), None), ("52332", ("LT",), None)]),
        ("51797 x2", [("51797", (), 2)]),
        ("52442*3", [("52442", (), 3)]),
        ("52000 (2 units)", [("52000", (), 2)]),
        ("cpt52000x3?", [("52000", (), 3)]),
        ("52332-50", [("52332", ("50",), None)]),
        ("52332-59-XU x 2", [("52332", ("59", "XU"), 2)]),
        ("52000 50 years old", [("52000", (), None)]),
    ],
)
def test_mentions_carry_modifiers_and_units(
    text: str, expected: list[tuple[str, tuple[str, ...], int | None]]
) -> None:
    found = mentions(text)
    assert [(m.code, m.modifiers, m.units) for m in found] == expected
    assert all(isinstance(m, CodeMention) for m in found)


@pytest.mark.parametrize(
    ("value", "ok"), [("RT", True), ("59", True), ("XS", True), ("F4", True), ("R", False)]
)
def test_is_modifier(value: str, ok: bool) -> None:
    assert is_modifier(value) is ok


def test_words_after_a_dash_are_not_modifiers() -> None:
    assert mentions("52204 - is the pathology exam (88305) included?")[0].modifiers == ()
    assert mentions("52332 -RT")[0].modifiers == ("RT",)


KNOWN = {"50570", "50572", "50574", "50576", "50580", "52000", "0596T"}


@pytest.mark.parametrize(
    ("text", "codes", "unknown"),
    [
        ("is ureteropyelography included in 50576?", ["50576"], []),
        ("CPT 52000 please", ["52000"], []),
        ("what about 50 576", ["50576"], []),
        ("codes 50570-50580", ["50570", "50572", "50574", "50576", "50580"], []),
        ("50570 to 50574", ["50570", "50572", "50574"], []),
        ("50574 through 50570", ["50570", "50572", "50574"], []),
        ("what is 99999?", [], ["99999"]),
        ("patient aged 50 123 days", [], []),
        ("0596t with 52000", ["0596T", "52000"], []),
        ("5 0 5 7 6 and CPT# 52000", ["50576", "52000"], []),
        ("J1234 with 52000", ["52000"], ["J1234"]),
        ("pt MRN 50570, zip: 50572, 52000?", ["52000"], []),
        ("acct # 50574 and DOB 01/02/1980, 50576", ["50576"], []),
        ("$50576.00 is a price, not a code", [], []),
        # As coders mistype them: label and units glued on, digits split by dashes, O for zero.
        ("cpt52000x3 for 3 sites?", ["52000"], []),
        ("5-0-5-7-6 global days?", ["50576"], []),
        ("1-5-0-5-7-6", [], []),
        ("52OOO and 5O576 same day", ["52000", "50576"], []),
        ("OOOOO and 9OOOO", [], []),
        ("MRN 5-2-0-0-0, MRN 52OOO", [], []),
    ],
)
def test_scan_splits_known_and_unknown_codes(text: str, codes: list[str], unknown: list[str]) -> None:
    found = scan(text, KNOWN)
    assert found.codes == codes
    assert found.unknown == unknown
