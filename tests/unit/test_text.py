"""The shared tokenizer: a lay verb meets the noun the records name a service by, in questions
and records alike, and a phrase with another reading is left alone."""

from __future__ import annotations

import pytest

from assistant.text import tokenize

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("said", "named"),
    [
        ("stopping the bleeding", "bleeding control"),
        ("washing out the bladder", "bladder irrigation"),
        ("flushed the bladder", "bladder irrigation"),
        ("taking the stent out", "stent removal"),
        ("pulled the old stent out", "removal of old stent"),
        ("put the stent in", "stent placement"),
        ("burned the bleeders", "fulguration of bleeders"),
        ("stretching the urethra", "dilation of the urethra"),
        ("breaking up the stone", "stone fragmentation"),
        ("sucking out the clots", "evacuation of clots"),
        ("stitched the bladder", "suture of the bladder"),
        ("numbing gel", "anesthesia gel"),
        ("dye injected", "contrast injected"),
    ],
)
def test_a_lay_phrase_tokenizes_as_the_records_noun(said: str, named: str) -> None:
    assert set(tokenize(named)) <= set(tokenize(said))


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("I put 52000 in", ["put", "52000"]),  # a code put on a claim is no placement
        ("stone removal", ["stone", "removal"]),  # the noun itself is unchanged
        ("moving the stone without taking it out", ["moving", "stone", "taking", "out"]),  # negated
    ],
)
def test_other_readings_are_left_alone(text: str, kept: list[str]) -> None:
    assert tokenize(text) == kept
