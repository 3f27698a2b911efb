"""Clinical-detail lookups and follow-ups that change one detail, through the real chain and
index (issue 11 kinds 3 and 7), decided by the qualifier families. New examples, not eval items."""

from __future__ import annotations

import pytest

from assistant.service import Assistant


def ask_turns(assistant: Assistant, turns: list[str]) -> tuple[list[str], str]:
    history: list[dict[str, str]] = []
    for question in turns:
        answer = assistant.ask(question, history)
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.text}]
    return answer.subject_codes, answer.text


@pytest.mark.parametrize(
    ("turns", "code"),
    [
        (["which code for TURBT of a 1.2 cm bladder tumour?"], "52234"),
        (["code for open retropubic urethropexy?", "and done laparoscopically?"], "51990"),
        (["percutaneous renal biopsy code?", "what if it was done open?"], "50205"),
        (["cysto internal urethrotomy for a woman, which code?", "and for a man?"], "52275"),
        (["what code for a repeat TURP for regrowth?"], "52630"),
    ],
)
def test_the_stated_detail_picks_the_code(
    extractive_assistant: Assistant, turns: list[str], code: str
) -> None:
    subject, text = ask_turns(extractive_assistant, turns)
    assert subject[:1] == [code]
    assert "Its family" in text


def test_a_count_after_a_lookup_reports_the_add_on_units(extractive_assistant: Assistant) -> None:
    turns = ["prostatic urethral lift code?", "they placed 5 implants in total, how do I report it?"]
    subject, text = ask_turns(extractive_assistant, turns)
    assert subject == ["52441", "52442"]
    assert "52441 x1 + 52442 x4" in text
