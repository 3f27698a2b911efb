"""Codes read aloud by dictation software are read as the codes they spell, and only known codes."""

from __future__ import annotations

import pytest

from assistant.codes import mask_codes, scan
from assistant.spoken import digits

pytestmark = pytest.mark.unit

KNOWN = frozenset({"52356", "51102", "52332", "74420", "52000"})


@pytest.mark.parametrize(
    ("said", "code"),
    [
        ("fifty two three fifty six", "52356"),
        ("five one one oh two", "51102"),
        ("fifty one one zero two", "51102"),
        ("fifty-two three thirty-two", "52332"),
        ("fifty two thousand three hundred fifty six", "52356"),
        ("seventy four four two oh", "74420"),
        ("five two zero zero zero", "52000"),
    ],
)
def test_a_spoken_code_spells_its_digits(said: str, code: str) -> None:
    assert digits(said) == code
    assert scan(f"can I bill {said} today?", KNOWN).codes == [code]


def test_spoken_codes_sit_among_typed_ones_in_order() -> None:
    text = "dictated: fifty two three fifty six with 52332, and five one one oh two"
    assert scan(text, KNOWN).codes == ["52356", "52332", "51102"]
    assert mask_codes(text, KNOWN) == "DICTATED: CODE WITH CODE, AND CODE"


@pytest.mark.parametrize(
    "text",
    ["two or three stones", "stent left for two weeks", "fifty two year old male", "one two three four five"],
)
def test_numbers_that_spell_no_known_code_stay_words(text: str) -> None:
    assert scan(text, KNOWN).codes == [] and mask_codes(text, KNOWN) == text.upper()
