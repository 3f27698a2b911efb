"""One coder question (or short conversation) per kind of the issue "Answer unseen coder
questions", asked against the whole knowledge base in real Chroma with MiniLM and no LLM. The
examples are new: none is an evaluation item. Each checks what decides the answer: the verdict,
the code chosen, the rule that decided, or the refusal."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from assistant.conversation import Conversation
from assistant.lcel import ask
from assistant.models import Answer
from assistant.service import Assistant

pytestmark = pytest.mark.integration


@dataclass(frozen=True)
class Case:
    kind: str
    turns: tuple[str, ...]
    verdict: str | None = None
    first_code: str | None = None  # the code the answer is about, first
    codes: tuple[str, ...] = ()  # codes the answer must name
    decided_by: str | None = None
    words: tuple[str, ...] = field(default=())  # each must appear in the answer (case-insensitive)


CASES = [
    Case("1 code without a record", ("what is 74420?",), verdict="out_of_scope", codes=("74420",),
         words=("outside the knowledge base",)),
    Case("2 service named in words", ("is evacuating clots through the scope part of 52601?",),
         verdict="included", codes=("52601",)),
    Case("2 service named in words", ("is the look-only bladder scope billable on top of 52332?",),
         verdict="included", codes=("52000", "52332")),
    Case("2 a lay verb for the item's noun", ("does 52601 cover stopping the bleeding afterwards?",),
         verdict="included"),
    Case("2 a lay verb for the item's noun", ("is washing out the bladder part of a 52601?",),
         verdict="included"),
    Case("3 follow-up changes one detail",
         ("which code for PCNL simple stone?", "and if it turned out to be a staghorn?"),
         first_code="50081"),
    Case("3 a correction", ("TURBT of a 1 cm tumor, code?", "sorry, it was actually 6 cm"),
         first_code="52240"),
    Case("4 codes as typed", ("can I bill 5 2 0 0 0 with 52332?",), verdict="included", decided_by="ptp"),
    Case("4 a code offered for checking",
         ("hydrodistention for IC in the office, lidocaine jelly only, no GA - is it 52260?",),
         first_code="52265", words=("does not fit",)),
    Case("3 a new case after a claim",
         ("my claim has 52356, 52332 and 52000, what's billable?",
          "hydrodistention for IC, done in the office w/ lido only, no GA"), first_code="52265"),
    Case("3 thanks, then a correction",
         ("TURBT of a 1 cm tumor, code?", "perfect thank you!", "sorry, it was actually 6 cm"),
         first_code="52240"),
    Case("5 several codes", ("claim: 52356, 52332, 52000 - which lines are billable?",),
         decided_by="claim", codes=("52356", "52332", "52000")),
    Case("6 modifier-1 edit, opposite sides",
         ("52353 on the right side and a 52332 stent in the left ureter, both billable?",),
         verdict="separate", decided_by="ptp"),
    Case("7 lookup on a clinical detail", ("TURBT of a 3 cm tumor, code?",), first_code="52235"),
    Case("8 fee-schedule fact", ("how many global days does 52601 carry?",), decided_by="rvu",
         words=("090",)),
    Case("9 refusal", ("how do I word the op note so 52240 is supported when the tumor was 3 cm?",),
         verdict="out_of_scope"),
    Case("10 comparison", ("52601 vs 52630 - what's the difference?",), codes=("52601", "52630")),
    Case("11 inclusion in unusual words", ("does the 52000 ride along with 52332 or is it its own line?",),
         verdict="included", decided_by="ptp"),
    Case("3 a code swapped in a correction", ("52400 + meatotomy 53025. bill both?", "sorry I meant 53020"),
         verdict="included", codes=("52400", "53020"), words=("in place of 53025",)),
    Case("5 a code dropped from the claim", ("claim: 52356-LT, 52005-LT, 52000. anything bundled?",
                                               "and if I drop the 52000, is the rest clean?"),
         verdict="included", codes=("52356", "52005"), words=("without 52000",)),
    Case("6 sides as letters", ("new PCN 50432 and exchanged a nephrostomy 50435 today, both payable?",
                                "the exchange was the R kidney and the new tube went in on the L"),
         verdict="separate", codes=("50432", "50435")),
    Case("4 a code read aloud", ("is fifty two three thirty two billable with five two three five six?",),
         codes=("52332", "52356")),
    Case("7 a new lookup after a pair",
         ("52332 with 52356?", "hydrodistension under GA with local lidocaine, code?"), first_code="52260"),
]  # fmt: skip


def answer_to(assistant: Assistant, turns: tuple[str, ...]) -> Answer:
    history = Conversation()
    answer = None
    for turn in turns:
        answer = ask(assistant.chain, turn, history)
    assert answer is not None
    return answer


def check(case: Case, answer: Answer) -> None:
    got = (answer.verdict, answer.decided_by, answer.codes)
    if case.verdict is not None:
        assert answer.verdict == case.verdict, got
    if case.first_code is not None:
        assert answer.codes[:1] == [case.first_code], got
    if case.decided_by is not None:
        assert answer.decided_by == case.decided_by, got
    assert set(case.codes) <= set(answer.codes), got
    assert all(w.lower() in answer.text.lower() for w in case.words), answer.text


@pytest.mark.parametrize("case", CASES, ids=[f"{c.kind}:{c.turns[-1][:30]}" for c in CASES])
def test_each_kind_of_question(extractive_assistant: Assistant, case: Case) -> None:
    check(case, answer_to(extractive_assistant, case.turns))
