"""The shared tokenizer: a lay verb meets the noun the records name a service by, in questions
and records alike, and a phrase with another reading is left alone."""

from __future__ import annotations

import pytest

from assistant.text import expand_shorthand, tokenize

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
        ("ex lap", "exploratory laparotomy"),
        ("ex-lap", "exploratory laparotomy"),
    ],
)
def test_a_lay_phrase_tokenizes_as_the_records_noun(said: str, named: str) -> None:
    assert set(tokenize(named)) <= set(tokenize(said))


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("I put 52000 in", ["put", "52000"]),  # a code put on a claim is no placement
        ("stone removal", ["ston", "remov"]),  # no lay verb: only stemmed
        ("moving the stone without taking it out", ["moving", "ston", "taking", "out"]),  # negated
    ],
)
def test_other_readings_are_left_alone(text: str, kept: list[str]) -> None:
    assert tokenize(text) == kept


@pytest.mark.parametrize(
    ("written", "recorded"),
    [
        ("removing the stent", "stent removal"),
        ("placing a stent", "stent placement"),
        ("cystoscopic", "cystoscopy"),
        ("laparoscopic", "laparoscopy"),
        ("stones", "stone"),
        ("biopsies", "biopsy"),
        ("included", "include"),
        ("fulgurate", "fulguration"),
        ("bilaterally", "bilateral"),
        ("supply", "supplies"),
        ("ureteral", "ureter"),
    ],
)
def test_word_forms_a_coder_writes_meet_the_records_form(written: str, recorded: str) -> None:
    assert set(tokenize(written)) == set(tokenize(recorded))


@pytest.mark.parametrize(
    ("word", "stemmed"), [("renal", "renal"), ("tube", "tube"), ("tubes", "tube"), ("only", "only")]
)
def test_a_stem_keeps_four_letters(word: str, stemmed: str) -> None:
    """Short words keep their shape, so "renal" does not become "ren" and meet other words."""
    assert tokenize(word) == [stemmed]


def test_ex_lap_is_open_while_lap_alone_is_laparoscopic() -> None:
    expanded = expand_shorthand("ex lap, then lap nephrectomy")
    assert expanded == "exploratory laparotomy, then laparoscopic nephrectomy"
