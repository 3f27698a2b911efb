"""Gradio web UI: a thin layer over the same `Assistant` the CLI uses.

Layout: the conversation on the left; on the right the selected answer's verdict, CMS rules and
cited passages, the codes it names (chips that open the code's record) and a feedback form.
The chat is also served as the API endpoint `/ask` (question + history in, Answer JSON out).
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.claim_render import CLAIM_CSS
from assistant.config import Settings
from assistant.feedback import FEEDBACK_LABELS, FeedbackStore, entry_for
from assistant.index import IndexMissingError
from assistant.models import Answer
from assistant.service import Assistant, build_assistant
from assistant.ui_claim import ClaimHandlers, claim_tab
from assistant.ui_render import (
    CSS,
    answer_head,
    answer_message,
    export_json,
    export_markdown,
    record_html,
    settings_html,
    sources_panel,
    status_html,
)

log = logging.getLogger(__name__)

EXAMPLES = [
    "Is ureteropyelography included in 50576?",
    "Which code for ureteroscopy with laser lithotripsy and a stent?",
    "Can I bill 52000 with 52332?",
    "What is 50570?",
]
MAX_CHIPS = 8
VIEW_OUTPUTS = 6 + MAX_CHIPS  # selected, head, chips label, chips, tabs, sources, feedback target
LLM_QUEUE = "llm"  # one embedded model: the chat and the API take turns on it
Turns = list[dict[str, Any]]  # [{"question": str, "answer": Answer as JSON}], one per exchange
Chat = list[dict[str, Any]]
NO_RECORD = '<p class="cc-empty">Click a code chip to see its knowledge record.</p>'
THEME = gr.themes.Soft(
    primary_hue="blue",
    neutral_hue="slate",
    # System fonts: the default theme fetches Google Fonts, and this app runs offline.
    font=["ui-sans-serif", "system-ui", "Segoe UI", "Roboto", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "monospace"],
)


class Handlers:
    """The UI's event handlers over one assistant (None when the index is missing)."""

    def __init__(self, assistant: Assistant | None, status: str) -> None:
        self.assistant = assistant
        self.status = status
        self.feedback = FeedbackStore(assistant.settings.feedback_path) if assistant else None

    # --- helpers -------------------------------------------------------------------------------
    def require(self) -> Assistant:
        if self.assistant is None:
            raise gr.Error(self.status)
        return self.assistant

    @property
    def manifest(self) -> dict[str, Any]:
        return dict(self.assistant.index.manifest) if self.assistant else {}

    @staticmethod
    def history(turns: Turns) -> list[dict[str, str]]:
        """Earlier exchanges as role/content messages, as the chain expects for follow-ups."""
        out: list[dict[str, str]] = []
        for turn in turns:
            out += [
                {"role": "user", "content": turn["question"]},
                {"role": "assistant", "content": turn["answer"]["text"]},
            ]
        return out

    def contexts(self, answer: Answer) -> dict[str, str]:
        """Full text of each cited passage, so the panel can show the quote inside its context."""
        codes = sorted({c.code for c in answer.citations})
        if not codes or self.assistant is None:
            return {}
        return {p.id: p.text for p in self.assistant.index.store.by_codes(codes)}

    @staticmethod
    def chips(answer: Answer | None) -> list[Any]:
        """The codes the answer names (then those it cites) as chips, and their label."""
        codes: list[str] = []
        if answer is not None:
            named = [*answer.codes, *(c.code for c in answer.citations)]
            codes = [c for c in dict.fromkeys(named) if not c.startswith("policy:")][:MAX_CHIPS]
        buttons = [
            gr.update(value=codes[i], visible=True) if i < len(codes) else gr.update(visible=False)
            for i in range(MAX_CHIPS)
        ]
        return [gr.update(visible=bool(codes)), *buttons]

    @staticmethod
    def target(turns: Turns, k: int) -> str:
        return f"Feedback on answer {k + 1}" if turns else "Feedback appears once an answer is shown."

    def _view(self, turns: Turns, k: int) -> list[Any]:
        """Outputs that follow the selected answer: VIEW_OUTPUTS less `selected`."""
        answer = Answer.model_validate(turns[k]["answer"]) if turns else None
        position = f"Answer {k + 1} of {len(turns)}" if len(turns) > 1 else ""
        return [
            answer_head(answer, position),
            *self.chips(answer),
            gr.Tabs(selected="sources"),
            sources_panel(answer, self.contexts(answer) if answer else {}),
            self.target(turns, k),
        ]

    # --- events --------------------------------------------------------------------------------
    def respond(self, question: str, turns: Turns, chat: Chat) -> Iterator[list[Any]]:
        """Stream one answer into the chat, then show its sources; the input box is cleared."""
        question = (question or "").strip()
        if not question:
            yield [gr.skip()] * (3 + VIEW_OUTPUTS)
            return
        assistant = self.require()
        chat = [*chat, {"role": "user", "content": question}, {"role": "assistant", "content": "…"}]
        skip = [gr.skip()] * (1 + VIEW_OUTPUTS)  # turns and the view wait for the final answer
        yield ["", chat, *skip]
        text, answer = "", None
        try:
            for chunk in assistant.stream(question, self.history(turns)):
                text += chunk.delta
                answer = chunk.answer or answer
                if chunk.delta:
                    chat[-1] = {"role": "assistant", "content": text + " ▌"}
                    yield [gr.skip(), chat, *skip]
        except Exception as exc:  # the question never goes into the log: it may name a patient
            log.exception("answering failed (%s)", type(exc).__name__)
            raise gr.Error("CodeCite could not answer this question; see the server log.") from None
        assert answer is not None  # the chain always ends with the checked answer
        chat[-1] = {"role": "assistant", "content": answer_message(answer)}
        turns = [*turns, {"question": question, "answer": answer.model_dump(mode="json")}]
        k = len(turns) - 1
        yield [gr.skip(), chat, turns, k, *self._view(turns, k)]

    def select(self, turns: Turns, evt: gr.SelectData) -> list[Any]:
        """Clicking a message shows that exchange's sources (and targets it for feedback)."""
        index = evt.index[0] if isinstance(evt.index, list | tuple) else int(evt.index)
        k = min(max(int(index) // 2, 0), max(len(turns) - 1, 0))
        return [k, *self._view(turns, k)]

    @staticmethod
    def example(evt: gr.SelectData) -> str:
        """An example question from the empty chat goes into the box, then is asked."""
        value = evt.value
        return str(value.get("text", "")) if isinstance(value, dict) else str(value)

    def show_record(self, code: str) -> list[Any]:
        """A chip's code record, shown in the Code record tab."""
        assistant = self.require()
        code = code.strip()
        record = assistant.index.records.get(code)
        passages = assistant.index.store.by_codes([code]) if record else []
        return [record_html(code, record, passages), gr.Tabs(selected="record")]

    def new_conversation(self) -> list[Any]:
        turns: Turns = []
        return [[], turns, 0, *self._view(turns, 0), gr.update(value=None, visible=False), NO_RECORD]

    def export(self, turns: Turns, fmt: str) -> Any:
        if not turns:
            gr.Warning("Nothing to export yet: ask a question first.")
            return gr.update(value=None, visible=False)
        manifest = self.manifest
        meta = {
            "exported_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "model": self.assistant.model_label if self.assistant else "",
            "knowledge_base": {
                k: manifest.get(k)
                for k in ("records", "passages", "code_set_years", "built_at", "content_hash")
            },
        }
        body = export_markdown(turns, meta) if fmt == "md" else export_json(turns, meta)
        folder = Path(tempfile.mkdtemp(prefix="codecite-export-"))
        path = folder / f"codecite-evidence-{time.strftime('%Y%m%d-%H%M%S')}.{fmt}"
        path.write_text(body, encoding="utf-8")
        return gr.update(value=str(path), visible=True)

    def send_feedback(self, turns: Turns, k: int, label: str | None, comment: str) -> list[Any]:
        if not turns or self.feedback is None or self.assistant is None:
            return ["Ask a question first: feedback is about an answer.", gr.skip(), gr.skip()]
        if not label:
            return ["Choose what was right or wrong with the answer first.", gr.skip(), gr.skip()]
        answer = Answer.model_validate(turns[k]["answer"])
        version = str(self.manifest.get("content_hash", ""))[:10]
        entry = entry_for(answer, label, comment or "", k + 1, self.assistant.model_label, version)
        self.feedback.add(entry)
        note = f"✓ Saved feedback on answer {k + 1}: {FEEDBACK_LABELS[label]}. Thank you."
        return [note, gr.update(value=None), gr.update(value="")]

    def ask_api(self, question: str, history: list[dict[str, str]]) -> dict[str, Any]:
        """The structured answer for `question` after `history` (earlier role/content messages)."""
        assistant = self.require()
        answer = assistant.ask(question, history or [])
        return answer.model_dump(mode="json")


def _header(assistant: Assistant | None, status: str) -> None:
    with gr.Row(elem_id="cc-header"):
        gr.Markdown("## CodeCite · cited answers for procedure coding")
    if assistant is not None:
        gr.HTML(settings_html(assistant.model_label, assistant.index.manifest), elem_id="cc-settings")
    if status:
        gr.HTML(status_html(status), elem_id="cc-status")


def _feedback_form() -> tuple[gr.Markdown, gr.Radio, gr.Textbox, gr.Button, gr.Markdown]:
    with gr.Accordion("Feedback on this answer", open=True, elem_id="cc-feedback"):
        target = gr.Markdown(Handlers.target([], 0), elem_id="cc-feedback-target")
        label = gr.Radio(
            [(v, k) for k, v in FEEDBACK_LABELS.items()],
            label="Was this answer right?",
            elem_id="cc-fb-label",
        )
        comment = gr.Textbox(
            label="Comment (optional)",
            placeholder="What was wrong? Please do not enter patient details.",
            lines=2,
            elem_id="cc-fb-comment",
        )
        send = gr.Button("Send feedback", size="sm", elem_id="cc-fb-send")
        note = gr.Markdown(elem_id="cc-fb-note")
    return target, label, comment, send, note


def build_app(assistant: Assistant | None, status: str = "") -> gr.Blocks:
    """The Blocks app; `assistant` is None when the index is missing (then `status` says why)."""
    h = Handlers(assistant, status)
    ready = assistant is not None
    private: dict[str, Any] = {"api_visibility": "private"}
    with gr.Blocks(title="CodeCite", analytics_enabled=False) as app:
        _header(assistant, status)
        turns = gr.State([])
        selected = gr.State(0)
        with gr.Tabs(elem_id="cc-main"):
            with gr.Tab("Ask", id="ask", elem_id="cc-tab-ask"), gr.Row(equal_height=False):
                with gr.Column(scale=6):
                    chatbot = gr.Chatbot(
                        label="Conversation",
                        height=560,
                        buttons=["copy", "copy_all"],
                        feedback_options=None,
                        placeholder="**Ask about a procedure code.** Answers come only from the knowledge "
                        "base, with a verdict and numbered sources.",
                        examples=[{"text": q} for q in EXAMPLES] if ready else None,
                        elem_id="cc-chat",
                    )
                    with gr.Row():
                        box = gr.Textbox(
                            show_label=False,
                            placeholder="Is ureteropyelography included in 50576?" if ready else status,
                            interactive=ready,
                            scale=8,
                            elem_id="cc-question",
                            autofocus=True,
                        )
                        send = gr.Button(
                            "Ask", variant="primary", scale=1, interactive=ready, elem_id="cc-ask"
                        )
                    with gr.Row():
                        new = gr.Button("New conversation", size="sm", elem_id="cc-new")
                        export_md = gr.Button("Export Markdown", size="sm", elem_id="cc-export-md")
                        export_js = gr.Button("Export JSON", size="sm", elem_id="cc-export-json")
                    exported = gr.File(
                        label="Evidence packet", visible=False, interactive=False, elem_id="cc-file"
                    )
                with gr.Column(scale=5):
                    head = gr.HTML(answer_head(None), elem_id="cc-head")
                    with gr.Row(elem_id="cc-chips"):
                        chips_label = gr.HTML(
                            "Codes in this answer: click one for its record",
                            visible=False,
                            elem_id="cc-chips-label",
                        )
                        chips = [
                            gr.Button(visible=False, size="sm", elem_classes="cc-chip")
                            for _ in range(MAX_CHIPS)
                        ]
                    with gr.Tabs(selected="sources") as tabs:
                        with gr.Tab("Sources", id="sources", elem_id="cc-tab-sources"):
                            sources = gr.HTML(sources_panel(None, {}), elem_id="cc-sources")
                        with gr.Tab("Code record", id="record", elem_id="cc-tab-record"):
                            record = gr.HTML(NO_RECORD, elem_id="cc-record")
                    target, fb_label, fb_comment, fb_send, fb_note = _feedback_form()
            with gr.Tab("Check a claim", id="claim", elem_id="cc-tab-claim"):
                claim_tab(ClaimHandlers(h.require), ready, private)

        view = [selected, head, chips_label, *chips, tabs, sources, target]
        answer_outputs = [box, chatbot, turns, *view]
        ask_event: dict[str, Any] = {"concurrency_limit": 1, "concurrency_id": LLM_QUEUE, **private}
        box.submit(h.respond, [box, turns, chatbot], answer_outputs, **ask_event)
        send.click(h.respond, [box, turns, chatbot], answer_outputs, **ask_event)
        chatbot.example_select(h.example, None, box, **private).then(
            h.respond, [box, turns, chatbot], answer_outputs, **ask_event
        )
        chatbot.select(h.select, [turns], view, **private)
        for chip in chips:
            chip.click(h.show_record, chip, [record, tabs], **private)
        new.click(h.new_conversation, None, [chatbot, turns, *view, exported, record], **private)
        # The chat's own Clear (trash) button resets the conversation too, not just the display.
        chatbot.clear(h.new_conversation, None, [chatbot, turns, *view, exported, record], **private)
        export_md.click(lambda t: h.export(t, "md"), turns, exported, **private)
        export_js.click(lambda t: h.export(t, "json"), turns, exported, **private)
        fb_send.click(
            h.send_feedback,
            [turns, selected, fb_label, fb_comment],
            [fb_note, fb_label, fb_comment],
            **private,
        )
        gr.api(h.ask_api, api_name="ask", concurrency_limit=1, concurrency_id=LLM_QUEUE)
        gr.api(ClaimHandlers(h.require).check_api, api_name="check")
    return app


def open_assistant(settings: Settings) -> tuple[Assistant | None, str]:
    """The assistant, or None and a status line saying how to build the missing index."""
    try:
        return build_assistant(settings), ""
    except IndexMissingError as exc:
        return None, f"No knowledge index: {exc}. Build it with `codecite ingest`, then restart the app."


def launch_kwargs(settings: Settings) -> dict[str, Any]:
    """Arguments for `Blocks.launch`, shared by `launch` and the browser tests."""
    auth = (settings.ui.auth_user, settings.ui.auth_password)
    return {
        "server_name": settings.ui.host,
        "server_port": settings.ui.port,
        "auth": auth if all(auth) else None,
        "theme": THEME,
        "css": CSS + CLAIM_CSS,
        "ssr_mode": False,
        "footer_links": ["api"],
    }


def launch(settings: Settings) -> None:
    assistant, status = open_assistant(settings)
    app = build_app(assistant, status)
    print(f"CodeCite UI: http://{settings.ui.host}:{settings.ui.port}", flush=True)
    app.queue().launch(**launch_kwargs(settings))
