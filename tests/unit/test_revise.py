"""A follow-up that swaps or drops one of the earlier turn's codes asks the earlier question again."""

from __future__ import annotations

import pytest

from assistant.revise import Revision, revised_question

pytestmark = pytest.mark.unit

KNOWN = frozenset({"52400", "53020", "53025", "52356", "52005", "52000", "50430", "50431", "50432", "52204"})
TITLES = {"50430": "Antegrade nephrostogram through a new access", "50432": "Nephrostomy catheter placement"}


@pytest.mark.parametrize(
    ("text", "earlier", "codes", "revised", "note"),
    [
        (
            "sorry I meant 53020",
            "52400 + 53025. bill both?",
            ["52400", "53025"],
            "52400 + 53020. bill both?",
            "With 53020 in place of 53025",
        ),
        (
            "and if the nephrostogram was through her old tube instead, billed as 50431?",
            "claim: 50432-LT, 50430-LT",
            ["50432", "50430"],
            "claim: 50432-LT, 50431-LT",
            "With 50431 in place of 50430",
        ),
        (
            "ok and if I drop the 52000, is the rest clean?",
            "claim: 52356-LT, 52005-LT, 52000. bundled?",
            ["52356", "52005", "52000"],
            "claim: 52356-LT, 52005-LT,  . bundled?",
            "Without 52000",
        ),
        (
            "correction - it was 50431-LT (through the old tube), not 50430. rest is the same",
            "claim: 50432-LT, 50430-LT, 52000",
            ["50432", "50430", "52000"],
            "claim: 50432-LT, 50431-LT, 52000",
            "With 50431 in place of 50430",
        ),
    ],
)
def test_a_swapped_or_dropped_code_revises_the_earlier_question(
    text: str, earlier: str, codes: list[str], revised: str, note: str
) -> None:
    assert revised_question(text, earlier, codes, KNOWN, TITLES) == Revision(revised, note)


@pytest.mark.parametrize(
    ("text", "earlier", "codes"),
    [
        ("actually they also did 52204", "52356 with 52000?", ["52356", "52000"]),  # an added code
        ("what is 52204?", "52356 with 52000?", ["52356", "52000"]),  # a new question
        ("drop the 52000?", "52356 with 52000?", ["52356", "52000"]),  # one code would be left
        ("sorry I meant 53020", "what is 53025?", ["53025"]),  # no pair or claim to revise
        ("sorry, 52204 and 52005 too", "52356 with 52000?", ["52356", "52000"]),  # neither named before
    ],
)
def test_other_turns_revise_nothing(text: str, earlier: str, codes: list[str]) -> None:
    assert revised_question(text, earlier, codes, KNOWN, TITLES) is None
