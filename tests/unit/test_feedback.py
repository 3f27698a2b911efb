"""Feedback store: metadata, label and comment only; never the question text."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.feedback import FEEDBACK_LABELS, FeedbackStore, candidate_for, entry_for
from assistant.models import Answer, Citation, RuleCitation


def make_answer() -> Answer:
    return Answer(
        question_codes=["50576"],
        intent="inclusion",
        verdict="separate",
        text="No, not included. 74425 is reported separately from 50576 [1].",
        codes=["74425", "50576"],
        citations=[
            Citation(n=1, passage_id="50576#reported_separately-0", code="50576", quote="Reported ...")
        ],
        rules=[
            RuleCitation(kind="ptp", label="CMS NCCI PTP 2024-07-01: 50576 / 50570", detail="d", as_of="x")
        ],
        flags=["dropped_explanation"],
        llm_used=True,
    )


def test_entry_holds_the_answer_metadata() -> None:
    entry = entry_for(
        make_answer(), "wrong_code", "  missing 74425  ", turn=2, model="m", index_version="abc"
    )
    assert entry.label == "wrong_code" and entry.comment == "missing 74425"
    assert entry.verdict == "separate" and entry.codes == ["74425", "50576"]
    assert entry.citations == ["50576#reported_separately-0"]
    assert entry.rules == ["CMS NCCI PTP 2024-07-01: 50576 / 50570"]
    assert entry.turn == 2 and entry.model == "m" and entry.index_version == "abc"


def test_model_is_none_when_the_llm_was_not_used() -> None:
    answer = make_answer().model_copy(update={"llm_used": False})
    assert entry_for(answer, "correct", model="m").model == "none"


def test_unknown_label_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown feedback label"):
        entry_for(make_answer(), "great")


def test_every_offered_label_is_accepted() -> None:
    for label in FEEDBACK_LABELS:
        assert entry_for(make_answer(), label).label == label


def test_store_appends_and_reads_back(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "data" / "feedback.jsonl")
    assert store.read() == []
    store.add(entry_for(make_answer(), "correct"))
    store.add(entry_for(make_answer(), "other", "see 50570"))
    entries = store.read()
    assert [e.label for e in entries] == ["correct", "other"]
    assert len(store.path.read_text().splitlines()) == 2


def test_store_never_holds_the_answer_text(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.jsonl")
    store.add(entry_for(make_answer(), "correct"))
    assert "not included" not in store.path.read_text()


def test_candidate_keeps_the_question_only_when_asked(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.jsonl")
    entry = entry_for(make_answer(), "wrong_verdict", turn=1)
    store.add_candidate(candidate_for(entry, " included in 50576 "))
    store.add_candidate(candidate_for(entry, "x", question="is 74425 included in 50576?"))
    without, with_question = store.read_candidates()
    assert without.turns == [] and without.expect["expected_answer"] == "included in 50576"
    assert without.got["verdict"] == "separate" and without.feedback.expected == "included in 50576"
    assert with_question.turns == ["is 74425 included in 50576?"]
    assert "74425 included" not in store.path.read_text()  # the feedback log itself never holds it
    assert len(store.read()) == 2
