"""Feedback on the selected answer, collapsed behind one button: "Right" saves at once; "Wrong"
asks what was wrong and the expected answer, and saves a candidate regression item.

Metadata only: the question goes into the candidate only when the coder ticks "include my question".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.feedback import FEEDBACK_LABELS, FeedbackStore, candidate_for, entry_for
from assistant.models import Answer
from assistant.service import Assistant

WRONG_LABELS = {k: v for k, v in FEEDBACK_LABELS.items() if k != "correct"}
Turns = Sequence[Mapping[str, Any]]


def target_text(turns: Turns, k: int) -> str:
    return f"About answer {k + 1}." if turns else "Feedback appears once an answer is shown."


@dataclass
class FeedbackForm:
    target: gr.Markdown
    up: gr.Button
    down: gr.Button
    details: gr.Group
    label: gr.Radio
    expected: gr.Textbox
    include: gr.Checkbox
    send: gr.Button
    note: gr.Markdown


def feedback_form() -> FeedbackForm:
    with gr.Accordion("Feedback on this answer", open=False, elem_id="cc-feedback"):
        target = gr.Markdown(target_text([], 0), elem_id="cc-feedback-target")
        with gr.Row(elem_id="cc-fb-votes"):
            up = gr.Button("✓ Right", size="sm", elem_id="cc-fb-up")
            down = gr.Button("✗ Wrong", size="sm", elem_id="cc-fb-down")
        with gr.Group(visible=False, elem_id="cc-fb-details") as details:
            label = gr.Radio(
                [(v, k) for k, v in WRONG_LABELS.items()], label="What was wrong?", elem_id="cc-fb-label"
            )
            expected = gr.Textbox(
                label="Expected answer",
                placeholder="What should CodeCite have said? Please do not enter patient details.",
                lines=2,
                elem_id="cc-fb-expected",
            )
            include = gr.Checkbox(
                label="Include my question (it may hold patient details: leave unticked if so)",
                value=False,
                elem_id="cc-fb-include",
            )
            send = gr.Button("Save as a test case for the team", size="sm", elem_id="cc-fb-send")
        note = gr.Markdown(elem_id="cc-fb-note")
    return FeedbackForm(target, up, down, details, label, expected, include, send, note)


class FeedbackHandlers:
    def __init__(self, assistant: Assistant | None, version: Callable[[], str]) -> None:
        self.assistant = assistant
        self.store = FeedbackStore(assistant.settings.feedback_path) if assistant else None
        self._version = version

    def _entry(self, turns: Turns, k: int, label: str, comment: str = "") -> Any:
        assert self.assistant is not None
        answer = Answer.model_validate(turns[k]["answer"])
        return entry_for(answer, label, comment, k + 1, self.assistant.model_label, self._version())

    def upvote(self, turns: Turns, k: int) -> str:
        if not turns or self.store is None:
            return "Ask a question first: feedback is about an answer."
        self.store.add(self._entry(turns, k, "correct"))
        return f"✓ Saved: answer {k + 1} was right. Thank you."

    @staticmethod
    def downvote(turns: Turns) -> Any:
        return gr.update(visible=bool(turns))

    def send(self, turns: Turns, k: int, label: str | None, expected: str, include: bool) -> list[Any]:
        if not turns or self.store is None:
            return ["Ask a question first: feedback is about an answer.", *[gr.skip()] * 4]
        if not label:
            return ["Choose what was wrong with the answer first.", *[gr.skip()] * 4]
        question = str(turns[k]["question"]) if include else None
        candidate = candidate_for(self._entry(turns, k, label), expected or "", question)
        self.store.add_candidate(candidate)
        note = f"✓ Saved answer {k + 1} as a test case ({FEEDBACK_LABELS[label]}). Thank you."
        return [
            note,
            gr.update(value=None),
            gr.update(value=""),
            gr.update(value=False),
            gr.update(visible=False),
        ]
