"""UI rendering (pure functions) and the UI's handlers over the fast unit assistant."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import gradio as gr
import pytest

from assistant.config import Settings
from assistant.feedback import FeedbackStore
from assistant.models import Answer, Citation, Passage, RuleCitation
from assistant.records import Record
from assistant.service import Assistant
from assistant.ui import MAX_CHIPS, VIEW_OUTPUTS, Handlers, build_app, launch_kwargs, open_assistant
from assistant.ui_render import (
    answer_head,
    answer_message,
    badge_html,
    export_json,
    export_markdown,
    highlight,
    record_html,
    settings_html,
    sources_panel,
)

Q = "Is ureteropyelography included in 50576?"


def citation(**kw: Any) -> Citation:
    base: dict[str, Any] = {
        "n": 1,
        "passage_id": "50576#body-3",
        "code": "50576",
        "title": "Renal endoscopy",
        "quote": "its supervision is reported separately.",
        "field": "body",
        "file": "urinary/kidney/50576.md",
        "sources": ["NCCI Policy Manual ch. VII"],
        "code_set_year": 2025,
    }
    return Citation(**{**base, **kw})


def answer(**kw: Any) -> Answer:
    base: dict[str, Any] = {
        "verdict": "separate",
        "text": "Reported separately [1].",
        "codes": ["74425", "50576"],
    }
    return Answer(**{**base, "citations": [citation()], **kw})


@pytest.mark.parametrize(
    ("verdict", "label"),
    [
        ("included", "Included"),
        ("separate", "Reported separately"),
        ("not_stated", "Not stated in sources"),
        ("out_of_scope", "Out of scope"),
        (None, "Descriptive answer"),
    ],
)
def test_badge_names_each_verdict(verdict: str | None, label: str) -> None:
    html = badge_html(verdict)
    assert f">{label}</span>" in html
    assert f"cc-{verdict or 'none'}" in html


def test_highlight_marks_the_quote_inside_its_passage() -> None:
    html = highlight("The code covers A. <b>B</b> is reported separately.", "is reported separately.")
    assert html == "The code covers A. &lt;b&gt;B&lt;/b&gt; <mark>is reported separately.</mark>"


def test_highlight_falls_back_to_the_quote() -> None:
    assert highlight("unrelated text", "a quote") == "<mark>a quote</mark>"


def test_answer_message_has_badge_markers_and_warning() -> None:
    html = answer_message(answer(low_confidence=True, text="x <script> [1]"))
    assert "Reported separately" in html and "&lt;script&gt;" in html
    assert '<span class="cc-ref">[1]</span>' in html
    assert "Low confidence" in html


def test_sources_panel_shows_rules_and_cited_passages() -> None:
    rule = RuleCitation(
        kind="ptp", label="CMS NCCI PTP: 50576 / 50570", detail="modifier 1", as_of="2024-07-01"
    )
    html = sources_panel(
        answer(rules=[rule]), {"50576#body-3": "Imaging: its supervision is reported separately."}
    )
    assert "CMS NCCI PTP: 50576 / 50570" in html and "as of 2024-07-01" in html
    assert "Imaging: <mark>its supervision is reported separately.</mark>" in html
    assert "code set 2025" in html and "NCCI Policy Manual ch. VII" in html
    assert 'data-code="50576"' in html


def test_head_without_answer_invites_a_question() -> None:
    assert "Ask a question" in answer_head(None)
    assert "Answer 2 of 3" in answer_head(answer(), "Answer 2 of 3")


def test_record_html_and_not_covered() -> None:
    record = Record(
        code="50576",
        title="Renal endoscopy with fulguration",
        family="renal endoscopy",
        includes=[{"service": "fluoroscopy during the endoscopy", "codes": ["76000"], "reason": "integral"}],
        sources=["NCCI ch. VII"],
        code_set_year=2025,
    )
    body = Passage(
        id="50576#body-0",
        text="The surgeon reaches the kidney.",
        code="50576",
        title="t",
        family="f",
        field="body",
        file="f.md",
    )
    html = record_html("50576", record, [body])
    assert "fluoroscopy during the endoscopy" in html and "(76000)" in html
    assert "The surgeon reaches the kidney." in html and "NCCI ch. VII" in html
    assert "not covered" in record_html("99999", None)


def test_settings_html_names_model_and_knowledge_base() -> None:
    manifest = {
        "records": 371,
        "passages": 4212,
        "code_set_years": [2025],
        "built_at": "T",
        "content_hash": "ab" * 8,
    }
    html = settings_html("llamacpp:model.gguf", manifest)
    for part in ("llamacpp:model.gguf", "371", "4212", "code set 2025", "built T", "version abababab"):
        assert part in html


def test_exports_carry_question_verdict_and_sources() -> None:
    turns = [{"question": Q, "answer": answer().model_dump(mode="json")}]
    meta = {"exported_at": "now", "model": "m", "knowledge_base": {"records": 3, "code_set_years": [2025]}}
    markdown = export_markdown(turns, meta)
    assert f"## 1. {Q}" in markdown and "**Verdict:** Reported separately" in markdown
    assert "**[1] 50576**" in markdown and "Source: NCCI Policy Manual ch. VII" in markdown
    packet = json.loads(export_json(turns, meta))
    assert packet["turns"][0]["answer"]["verdict"] == "separate" and packet["model"] == "m"


# --- handlers over the unit assistant (fake embedder and LLM) --------------------------------------


def run(handlers: Handlers, question: str, turns: list[dict[str, Any]], chat: list[Any]) -> list[Any]:
    outputs = list(handlers.respond(question, turns, chat))
    assert all(len(o) == 3 + VIEW_OUTPUTS for o in outputs)
    return outputs[-1]


def test_respond_streams_then_shows_the_answer_and_follow_up(unit_assistant: Assistant) -> None:
    h = Handlers(unit_assistant, "")
    first = next(iter(h.respond(Q, [], [])))
    assert first[0] == "" and first[1][0] == {"role": "user", "content": Q}  # box cleared, question shown
    _, chat, turns, selected, head, *rest = run(h, Q, [], [])
    assert turns[0]["question"] == Q and turns[0]["answer"]["verdict"] == "separate"
    assert selected == 0 and "Reported separately" in head and "Reported separately" in chat[-1]["content"]
    chips = rest[1 : 1 + MAX_CHIPS]
    assert chips[0]["value"] in ("74425", "50576") and chips[0]["visible"]
    _, chat, turns, selected, head, *_ = run(h, "does it include fulguration?", turns, chat)
    assert turns[1]["answer"]["verdict"] == "included" and selected == 1 and "Answer 2 of 2" in head
    assert h.history(turns)[0] == {"role": "user", "content": Q}


def test_feedback_export_and_record(unit_assistant: Assistant, unit_settings: Settings) -> None:
    h = Handlers(unit_assistant, "")
    _, _, turns, *_ = run(h, Q, [], [])
    note, *_ = h.send_feedback(turns, 0, "wrong_verdict", "check 74425")
    assert "Saved feedback on answer 1" in note
    (entry,) = FeedbackStore(unit_settings.feedback_path).read()
    assert entry.label == "wrong_verdict" and entry.verdict == "separate"
    assert Q not in unit_settings.feedback_path.read_text()
    assert "Choose" in h.send_feedback(turns, 0, None, "")[0]
    path = Path(h.export(turns, "md")["value"])
    assert Q in path.read_text()
    html, tabs = h.show_record("50576")
    assert 'data-code="50576"' in html and tabs.selected == "record"
    assert h.ask_api(Q, [])["verdict"] == "separate"


def test_missing_index_gives_a_status_line(tmp_path: Path, unit_settings: Settings) -> None:
    settings = unit_settings.model_copy(update={"data_dir": tmp_path / "empty"})
    assistant, status = open_assistant(settings)
    assert assistant is None and "codecite ingest" in status
    app = build_app(None, status)
    assert isinstance(app, gr.Blocks)
    with pytest.raises(gr.Error):
        Handlers(None, status).ask_api(Q, [])


def test_login_is_off_unless_both_user_and_password_are_set(unit_settings: Settings) -> None:
    assert launch_kwargs(unit_settings)["auth"] is None
    ui = unit_settings.ui.model_copy(update={"auth_user": "coder", "auth_password": "pw"})
    assert launch_kwargs(unit_settings.model_copy(update={"ui": ui}))["auth"] == ("coder", "pw")
    assert launch_kwargs(unit_settings)["server_name"] == "127.0.0.1"
