"""UI rendering (pure functions) and the UI's handlers over the fast unit assistant."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import gradio as gr
import pytest

from assistant.config import Settings
from assistant.conversation import Conversation
from assistant.feedback import FeedbackStore
from assistant.models import Answer, Citation, Passage, RuleCitation
from assistant.records import Record
from assistant.service import Assistant
from assistant.ui import MAX_CHIPS, VIEW_OUTPUTS, Handlers, build_app, chat_of, open_assistant
from assistant.ui_assets import launch_kwargs
from assistant.ui_export import export_json, export_markdown
from assistant.ui_render import (
    answer_head,
    answer_message,
    badge_html,
    badge_row,
    highlight,
    inert,
    mark_refs,
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
    ("effect", "verdict", "label"),
    [
        ("not_billable", "included", "Not billable separately"),
        ("billable", "separate", "Billable separately"),
        ("needs_modifier", "included", "Needs a modifier"),
        ("unknown", "not_stated", "Not stated in sources"),
        ("unknown", "out_of_scope", "Out of scope"),
        ("unknown", None, "Descriptive answer"),
    ],
)
def test_badge_names_the_claim_effect(effect: str, verdict: str | None, label: str) -> None:
    html = badge_html(answer(claim_effect=effect, verdict=verdict))
    assert f">{label}</span>" in html
    assert f"cc-effect-{effect}" in html and f'data-effect="{effect}"' in html


def test_highlight_marks_the_quote_inside_its_passage() -> None:
    html = highlight("The code covers A. <b>B</b> is reported separately.", "is reported separately.")
    assert html == "The code covers A. &lt;b&gt;B&lt;/b&gt; <mark>is reported separately.</mark>"


def test_highlight_falls_back_to_the_quote() -> None:
    assert highlight("unrelated text", "a quote") == "<mark>a quote</mark>"


def test_answer_message_has_badge_markers_and_warning() -> None:
    html = answer_message(answer(low_confidence=True, text="x <script> [1]", claim_effect="billable"), 2)
    assert "Billable separately" in html and "&lt;script&gt;" in html
    assert '<a class="cc-ref" href="#cc-src-2-1" title="Show source 1">[1]</a>' in html
    # the badge comes first and the warning last, so the text does not move when the answer ends
    assert html.index("cc-badge") < html.index("x &lt;script&gt;") < html.index("Low confidence")


def test_a_thanks_reply_names_no_deciding_rule() -> None:
    thanks = answer(verdict=None, text="You're welcome.", codes=[], citations=[], decided_by="none")
    assert "Decided by" not in answer_message(thanks, 1)
    assert "Reply" in answer_message(thanks, 1) and "Descriptive answer" not in answer_message(thanks, 1)
    assert "Decided by" not in badge_row(thanks)  # the side panel's head
    assert "Decided by" in answer_message(answer(verdict="not_stated", decided_by="none"), 1)


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
    head = answer_head(answer(claim_effect="needs_modifier", decided_by="ptp"), "Answer 2 of 3")
    assert "Answer 2 of 3" in head and "Needs a modifier" in head
    assert "Decided by: the NCCI procedure-to-procedure (PTP) edit table" in head


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
    missing = record_html("74425", None, facts="<dl>global</dl>")
    assert "no knowledge record" in missing and "<dl>global</dl>" in missing
    assert "not covered" not in missing


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
    assert f"## 1. {Q}" in markdown and "**Verdict:** Not stated in sources" in markdown
    assert "*Decided by: no rule: the sources do not settle it*" in markdown
    assert "**[1] 50576**" in markdown and "Source: NCCI Policy Manual ch. VII" in markdown
    packet = json.loads(export_json(turns, meta))
    assert packet["turns"][0]["answer"]["verdict"] == "separate" and packet["model"] == "m"


# --- handlers over the unit assistant (fake embedder and LLM) --------------------------------------


@pytest.fixture
def request_() -> gr.Request:
    """One browser session, as Gradio hands it to a handler."""
    return gr.Request(session_hash="session-1")


def run(h: Handlers, question: str, turns: list[dict[str, Any]], req: gr.Request) -> list[Any]:
    """Send `question` as the box does (queue it), then answer it; the last outputs."""
    h.enqueue(question, req)
    outputs = list(h.respond(turns, req))
    assert all(len(o) == 3 + VIEW_OUTPUTS for o in outputs)
    return outputs[-1]


def test_respond_streams_under_a_working_badge_then_shows_the_answer(
    unit_assistant: Assistant, request_: gr.Request
) -> None:
    h = Handlers(unit_assistant, "")
    assert h.enqueue(f"  {Q} ", request_)[0] == ""  # the box is cleared
    first = next(iter(h.respond([], request_)))
    assert first[0][0] == {"role": "user", "content": Q}
    assert 'data-effect="working"' in first[0][1]["content"]  # the badge is there before the text
    h.pending(request_).clear()
    chat, _, turns, selected, head, *rest = run(h, Q, [], request_)
    assert turns[0]["question"] == Q and turns[0]["answer"]["verdict"] == "separate"
    assert selected == 0 and "cc-badge" in head and "Decided by:" in head
    assert chat == chat_of(turns) and 'href="#cc-src-0-1"' in chat[-1]["content"]
    chips = rest[1 : 1 + MAX_CHIPS]
    assert chips[0]["value"] in ("74425", "50576") and chips[0]["visible"]
    md, js = rest[-2:]
    assert md["interactive"] and Q in Path(md["value"]).read_text()  # export is one click
    assert json.loads(Path(js["value"]).read_text())["turns"][0]["question"] == Q
    chat, _, turns, selected, head, *_ = run(h, "does it include fulguration?", turns, request_)
    assert turns[1]["answer"]["verdict"] == "included" and selected == 1 and "Answer 2 of 2" in head
    conversation = h.history(turns)  # typed: follow-ups read the parsed turns, not answer text
    assert isinstance(conversation, Conversation) and conversation.turns[0].question == Q
    assert conversation.turns[1].parsed.codes == ["50576"] and conversation.turns[1].parsed.from_history


def test_a_question_sent_while_answering_is_queued_and_answered_after(
    unit_assistant: Assistant, request_: gr.Request
) -> None:
    h = Handlers(unit_assistant, "")
    h.enqueue(Q, request_)
    _, queued, warning = h.enqueue("does it include fulguration?", request_)
    assert warning == ""  # nothing in it looks like a patient detail
    assert "Queued (2)" in queued and "fulguration" in queued
    outputs = iter(h.respond([], request_))
    assert "Queued (1)" in next(outputs)[1]  # shown while the first is answered
    # A second call for the same session while the first runs answers nothing itself...
    assert list(h.respond([], request_)) == [[gr.skip()] * (3 + VIEW_OUTPUTS)]
    rest = list(outputs)
    firsts = [o[2] for o in rest if isinstance(o[2], list)]
    assert [t["question"] for t in firsts[0]] == [Q]  # the first answer is shown on its own first
    # ...the running one answers the queued question next, reading the first answer as history.
    last = rest[-1]
    assert [t["question"] for t in last[2]] == [Q, "does it include fulguration?"]
    assert last[2][1]["answer"]["verdict"] == "included" and last[1] == ""
    assert not h._current and not h.pending(request_)  # the session is free again
    assert list(h.respond(last[2], request_))[-1][0] is not None  # an empty queue answers nothing


def test_regenerate_stop_and_new_conversation(unit_assistant: Assistant, request_: gr.Request) -> None:
    h = Handlers(unit_assistant, "")
    _, _, turns, *_ = run(h, Q, [], request_)
    chat, queued, kept, *_ = h.regenerate(turns, request_)
    assert kept == [] and chat == [] and Q in queued
    again = list(h.respond(kept, request_))[-1]
    assert [t["question"] for t in again[2]] == [Q]
    h.enqueue("what is 50570?", request_)
    h._current[request_.session_hash or "-"] = Q  # an answer being written
    box, chat, queued = h.stop(again[2], request_)
    assert box == Q and queued == "" and not h.pending(request_) and chat == chat_of(again[2])
    assert isinstance(h.stop(again[2], request_)[0], type(gr.skip()))  # nothing running: box kept
    chat, queued, turns, selected, *rest = h.new_conversation(request_)
    assert chat == [] and turns == [] and selected == 0 and "Click a code chip" in rest[-1]
    assert rest[-3]["interactive"] is False  # nothing to export


def test_chip_of_a_code_without_record_says_what_the_tables_know(unit_assistant: Assistant) -> None:
    h = Handlers(unit_assistant, "")
    html, tabs = h.show_record("74425")
    assert "no knowledge record" in html and "Global period" in html and tabs.selected == "record"
    assert "not covered" not in html and "GLOB" not in html


def test_rule_cards_use_human_labels(unit_assistant: Assistant) -> None:
    h = Handlers(unit_assistant, "")
    rvu = RuleCitation(
        kind="rvu", label="CMS PFS RVU 2025-10: 52332", detail="status A, global 000", as_of="x"
    )
    mue = RuleCitation(
        kind="mue", label="CMS NCCI MUE 2024-07-01: 52000, 1 unit(s), MAI 3", detail="d", as_of="x"
    )
    ptp = RuleCitation(kind="ptp", label="CMS NCCI PTP 2024-07-01: 52332 / 52000", detail="raw", as_of="x")
    facts = h.rule_facts(answer(rules=[rvu, mue, ptp]))
    for label in ("Global period", "Multiple-procedure rule", "Bilateral indicator", "Endoscopic base code"):
        assert label in facts[0]
    assert "Units per day (MUE)" in facts[1] and facts[2] == ""
    panel = sources_panel(answer(rules=[rvu, mue, ptp]), {}, 0, facts)
    assert "GLOB_DAYS" not in panel and "Physician fee schedule indicators" in panel and "raw" in panel


def test_feedback_up_and_down_votes(
    unit_assistant: Assistant, unit_settings: Settings, request_: gr.Request
) -> None:
    h = Handlers(unit_assistant, "")
    _, _, turns, *_ = run(h, Q, [], request_)
    assert "answer 1 was right" in h.feedback.upvote(turns, 0)
    assert h.feedback.downvote(turns)["visible"] is True
    assert "Choose" in h.feedback.send(turns, 0, None, "", False)[0]
    note, *_ = h.feedback.send(turns, 0, "wrong_verdict", "Included in 50576", False)
    assert "test case" in note
    store = FeedbackStore(unit_settings.feedback_path)
    assert [e.label for e in store.read()] == ["correct", "wrong_verdict"]
    (candidate,) = store.read_candidates()
    assert candidate.turns == [] and candidate.expect["expected_answer"] == "Included in 50576"
    assert candidate.got["verdict"] == "separate"
    assert Q not in unit_settings.feedback_path.read_text()
    assert Q not in store.candidates_path.read_text()  # not unless the coder opts in
    h.feedback.send(turns, 0, "other", "", True)
    assert store.read_candidates()[-1].turns == [Q]


def test_export_and_record(unit_assistant: Assistant, request_: gr.Request) -> None:
    h = Handlers(unit_assistant, "")
    _, _, turns, *_ = run(h, Q, [], request_)
    assert Q in Path(h.export(turns, "md")).read_text()
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
    assert launch_kwargs(settings)["head"].strip().startswith("<script>")


def test_source_cards_carry_the_id_their_marker_links_to() -> None:
    html = sources_panel(answer(), {}, 3)
    assert 'id="cc-src-3-1"' in html and 'data-turn="3"' in html and 'tabindex="-1"' in html
    assert 'href="#cc-src-3-1"' in answer_message(answer(), 3)


def test_long_source_lists_fold_behind_more() -> None:
    pairs = "CMS NCCI PTP practitioner edits 2024-07-01: " + ", ".join(
        f"52332/5{i:04d} (0)" for i in range(30)
    )
    sources = [pairs, "NCCI Policy Manual ch. VII", "CMS PFS RVU file", "CMS NCCI MUE", "AOC"]
    html = sources_panel(answer(citations=[citation(sources=sources)]), {})
    assert "<details><summary>CMS NCCI PTP practitioner edits 2024-07-01:" in html and "50029 (0)" in html
    assert "<summary>2 more sources</summary>" in html and "AOC" in html
    assert "more sources" not in sources_panel(answer(), {})


def test_the_badge_shows_the_verdict_while_the_text_still_streams(
    unit_assistant: Assistant, request_: gr.Request
) -> None:
    h = Handlers(unit_assistant, "")
    h.enqueue("can I bill 52000 with 52332?", request_)
    outputs = list(h.respond([], request_))
    streaming = [o[0][-1]["content"] for o in outputs[1:-1] if isinstance(o[0], list)]
    assert any('data-effect="not_billable"' in c and "▌" in c for c in streaming)
    assert outputs[-1][2][0]["answer"]["claim_effect"] == "not_billable"


def test_question_and_model_markup_is_inert_in_the_chat() -> None:
    hostile = 'see [1] ![t](http://x/p.png) [l](http://y) <img src=x onerror="alert(1)">'
    shown = mark_refs(hostile, 0)
    assert 'href="#cc-src-0-1"' in shown  # markers still link their source
    assert "\\!\\[t\\](http://x/p.png)" in shown and "\\[l\\](http://y)" in shown
    assert "<img" not in shown and "&lt;img" in shown
    assert inert("**52000** [2]") == "**52000** \\[2\\]"
