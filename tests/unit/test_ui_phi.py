"""The gentle patient-details warning: local patterns, never the details themselves (issue 15)."""

from __future__ import annotations

import gradio as gr
import pytest

from assistant.service import Assistant
from assistant.ui import Handlers
from assistant.ui_phi import phi_kinds, phi_warning

PHI = "pt Quinlanovich DOB 01/02/1980 MRN 55123 - can I bill 52000 with 52332?"


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        (PHI, ["a date", "a record or member number", "a date of birth", "a name"]),
        ("SSN 123-45-6789, is 52000 bundled?", ["a Social Security number"]),
        ("call (555) 123-4567 about 52356", ["a phone number"]),
        ("Patient Smith had 52356 on 2024-03-01", ["a date", "a name"]),
        ("acct # A-99812: 52000 with 52332?", ["a record or member number"]),
    ],
)
def test_patient_details_are_recognised(text: str, kinds: list[str]) -> None:
    assert phi_kinds(text) == kinds


@pytest.mark.parametrize(
    "text",
    [
        "Can I bill 52000 with 52332?",
        "Is ureteropyelography included in 50576?",
        "codes 50570-50580: which include a biopsy?",
        "52356 52332 52000 76000: which lines are billable?",
        "how many units of 52204, 3 units on 1/2?",
        "and for a male patient?",
        "Which code do you recommend for cystoscopy with stent?",
    ],
)
def test_ordinary_coding_questions_get_no_warning(text: str) -> None:
    assert phi_kinds(text) == [] and phi_warning(text) == ""


def test_the_box_warns_without_repeating_the_details(unit_assistant: Assistant) -> None:
    h = Handlers(unit_assistant, "")
    box, _, warning = h.enqueue(PHI, gr.Request(session_hash="s"))
    assert box == "" and "patient details" in warning and "date of birth" in warning
    assert not any(detail in warning for detail in ("Quinlanovich", "01/02/1980", "55123"))
    assert list(h.pending(gr.Request(session_hash="s"))) == [PHI]  # still answered
