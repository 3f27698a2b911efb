"""Gradio web UI: a thin layer over the same `Assistant` the CLI uses.

Layout: the conversation on the left with the question box and one toolbar (Stop, Regenerate,
New conversation, one-click exports); on the right the selected answer's badge, the codes it names
(chips that open the code's record), its CMS rules and cited passages, and feedback (collapsed).
The chat is also served as the API endpoint `/ask` (question + history in, Answer JSON out).

Questions are queued per session (`Handlers.pending`): a question sent while another is answered
waits, is shown under the chat, and is answered in turn; the conversation lives in server-side
state (`turns`) and the chat is drawn from it, so a queued answer sees the answers before it.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Generator, Iterator
from typing import Any

import gradio as gr

from assistant.chain import History
from assistant.config import Settings
from assistant.index import IndexMissingError
from assistant.models import Answer
from assistant.service import Assistant, build_assistant
from assistant.ui_assets import header
from assistant.ui_claim import ClaimHandlers, claim_tab
from assistant.ui_export import ExportFolder, packet_meta
from assistant.ui_facts import code_facts_html, rule_facts_html
from assistant.ui_feedback import FeedbackHandlers, feedback_form, target_text
from assistant.ui_phi import phi_warning
from assistant.ui_queue import SessionQueues
from assistant.ui_render import (
    answer_head,
    inert,
    queue_html,
    record_html,
    sources_panel,
    working_message,
)
from assistant.ui_turns import Turns, chat_of, history

log = logging.getLogger(__name__)

EXAMPLES = [
    "Is ureteropyelography included in 50576?",
    "Which code for ureteroscopy with laser lithotripsy and a stent?",
    "Can I bill 52000 with 52332?",
    "What is 50570?",
]
MAX_CHIPS = 8
# selected, head, chips label, chips, tabs, sources, feedback target, two downloads
VIEW_OUTPUTS = 8 + MAX_CHIPS
# The chat and the API share one pool of answer workers. The embedded model takes one answer at
# a time on its own (llm.LlamaCppChat), so a table or extractive answer never queues behind it.
ANSWERS = "answers"
NO_RECORD = '<p class="cc-empty">Click a code chip to see its knowledge record.</p>'


class Handlers:
    """The UI's event handlers over one assistant (None when the index is missing)."""

    def __init__(self, assistant: Assistant | None, status: str, exports: ExportFolder | None = None) -> None:
        self.assistant = assistant
        self.status = status
        self.exports = exports or ExportFolder()
        self.feedback = FeedbackHandlers(assistant, lambda: str(self.manifest.get("content_hash", ""))[:10])
        self.sessions = SessionQueues()
        self._current = self.sessions.current  # session -> the question being answered

    # --- helpers -------------------------------------------------------------------------------
    def require(self) -> Assistant:
        if self.assistant is None:
            raise gr.Error(self.status)
        return self.assistant

    @property
    def manifest(self) -> dict[str, Any]:
        return dict(self.assistant.index.manifest) if self.assistant else {}

    @staticmethod
    def history(turns: Turns) -> History:
        return history(turns)

    def pending(self, request: gr.Request | None) -> deque[str]:
        key = (request.session_hash if request else None) or "-"
        return self.sessions.queue(key)

    def forget(self, request: gr.Request) -> None:
        """A closed tab: drop its queue."""
        self.sessions.forget(request.session_hash or "-")
        self.exports.forget(request.session_hash or "-")  # its packets may hold what was typed

    def contexts(self, answer: Answer) -> dict[str, str]:
        """Full text of each cited passage, so the panel can show the quote inside its context."""
        codes = sorted({c.code for c in answer.citations})
        if not codes or self.assistant is None:
            return {}
        return {p.id: p.text for p in self.assistant.index.store.by_codes(codes)}

    def rule_facts(self, answer: Answer) -> list[str]:
        db = self.assistant.rules if self.assistant else None
        return [rule_facts_html(rule, db) for rule in answer.rules]

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

    def downloads(self, turns: Turns, session: str | None) -> list[Any]:
        """Both exports, written ahead so that exporting is one click on a download button (kept
        as they are when the conversation did not change: `session` None)."""
        if session is None:
            return [gr.skip()] * 2
        if not turns:
            self.exports.forget(session)
            return [gr.update(value=None, interactive=False)] * 2
        return [gr.update(value=self.export(turns, fmt, session), interactive=True) for fmt in ("md", "json")]

    def _view(self, turns: Turns, k: int, session: str | None) -> list[Any]:
        """Outputs that follow the selected answer: VIEW_OUTPUTS less `selected`."""
        answer = Answer.model_validate(turns[k]["answer"]) if turns else None
        position = f"Answer {k + 1} of {len(turns)}" if len(turns) > 1 else ""
        panel = sources_panel(answer, self.contexts(answer), k, self.rule_facts(answer)) if answer else None
        return [
            answer_head(answer, position),
            *self.chips(answer),
            gr.Tabs(selected="sources"),
            panel or sources_panel(None, {}),
            target_text(turns, k),
            *self.downloads(turns, session),
        ]

    # --- events --------------------------------------------------------------------------------
    def enqueue(self, question: str, request: gr.Request) -> list[Any]:
        """Queue a question (never dropped) and clear the box; `respond` answers it in turn."""
        question = (question or "").strip()
        queue = self.pending(request)
        if question:
            queue.append(question)
        return ["", queue_html(list(queue)), phi_warning(question)]

    def respond(self, turns: Turns, request: gr.Request) -> Iterator[list[Any]]:
        """Answer the session's queued questions in order. Sessions are answered in parallel, a
        session's own questions one after another: a call made while one runs returns at once, and
        the running call answers that question next, with the answers before it in the history."""
        session = request.session_hash or "-"
        queue = self.pending(request)
        question = self.sessions.next(session, first=True)
        if question is None:
            yield [gr.skip()] * (3 + VIEW_OUTPUTS)
            return
        assistant = self.require()
        while question is not None:
            turns = yield from self._answer(assistant, question, turns, queue, session)
            question = self.sessions.next(session, first=False)

    def _answer(
        self, assistant: Assistant, question: str, turns: Turns, queue: deque[str], session: str
    ) -> Generator[list[Any], None, Turns]:
        """Stream one answer under a working badge, then show its sources; returns the new turns."""
        try:
            return (yield from self._stream(assistant, question, turns, queue, session))
        except GeneratorExit:  # closed unfinished (a cancelled answer): free the session
            self.sessions.release(session, question)
            raise
        except Exception as exc:  # the question never goes into the log: it may name a patient
            log.exception("answering failed (%s)", type(exc).__name__)
            self.sessions.release(session, question)
            raise gr.Error("CodeCite could not answer this question; see the server log.") from None

    def _stream(
        self, assistant: Assistant, question: str, turns: Turns, queue: deque[str], session: str
    ) -> Generator[list[Any], None, Turns]:
        skip_view = [gr.skip()] * (1 + VIEW_OUTPUTS)  # turns and the view wait for the final answer
        chat = [*chat_of(turns), {"role": "user", "content": inert(question)}]
        chat.append({"role": "assistant", "content": working_message("")})
        yield [chat, queue_html(list(queue)), *skip_view]
        text, answer, typed, head = "", None, None, None
        for chunk in assistant.stream(question, history(turns)):
            text += chunk.delta
            answer, typed = chunk.answer or answer, chunk.turn or typed
            if head is None and chunk.claim_effect is not None:
                # The verdict is known before any text: the badge shows it at once.
                head = Answer(text="", verdict=chunk.verdict, claim_effect=chunk.claim_effect)
            if chunk.delta or head is not None:
                chat[-1] = {"role": "assistant", "content": working_message(text, head)}
                yield [chat, gr.skip(), *skip_view]
        assert answer is not None  # the chain always ends with the checked answer
        turns = [*turns, {"question": question, "answer": answer.model_dump(mode="json"), "typed": typed}]
        k = len(turns) - 1
        yield [chat_of(turns), queue_html(list(queue)), turns, k, *self._view(turns, k, session)]
        return turns

    def stop(self, turns: Turns, request: gr.Request) -> list[Any]:
        """Stop the answer being written and drop the queue; the stopped question goes back in the box."""
        stopped = self.sessions.stop(request.session_hash or "-")
        return [stopped or gr.skip(), chat_of(turns), ""]  # a question being typed stays

    def regenerate(self, turns: Turns, request: gr.Request) -> list[Any]:
        """Answer the last question again: its answer leaves the conversation, the question is queued."""
        if not turns or self.sessions.busy(request.session_hash or "-"):
            return [gr.skip()] * (3 + VIEW_OUTPUTS)
        *kept, last = turns
        queue = self.pending(request)
        queue.appendleft(str(last["question"]))
        k = max(len(kept) - 1, 0)
        return [
            chat_of(kept),
            queue_html(list(queue)),
            kept,
            k,
            *self._view(kept, k, request.session_hash or "-"),
        ]

    def select(self, turns: Turns, evt: gr.SelectData) -> list[Any]:
        """Clicking a message shows that exchange's sources (and targets it for feedback)."""
        index = evt.index[0] if isinstance(evt.index, list | tuple) else int(evt.index)
        k = min(max(int(index) // 2, 0), max(len(turns) - 1, 0))
        return [k, *self._view(turns, k, None)]

    def example(self, evt: gr.SelectData, request: gr.Request) -> list[Any]:
        """An example question from the empty chat is asked at once."""
        value = evt.value
        return self.enqueue(str(value.get("text", "")) if isinstance(value, dict) else str(value), request)

    def show_record(self, code: str) -> list[Any]:
        """A chip's code record (or what the CMS tables know about it), shown in the Code record tab."""
        assistant = self.require()
        code = code.strip()
        record = assistant.index.records.get(code)
        passages = assistant.index.store.by_codes([code]) if record else []
        facts = "" if record else code_facts_html(code, assistant.rules)
        return [record_html(code, record, passages, facts), gr.Tabs(selected="record")]

    def new_conversation(self, request: gr.Request) -> list[Any]:
        self.sessions.stop(request.session_hash or "-")  # a cancelled answer ends no generator
        turns: Turns = []
        return [[], "", turns, 0, *self._view(turns, 0, request.session_hash or "-"), NO_RECORD]

    def export(self, turns: Turns, fmt: str, session: str = "-") -> str:
        """The conversation as an evidence packet file in the session's private folder; its path."""
        model = self.assistant.model_label if self.assistant else ""
        return str(self.exports.write(session, turns, fmt, packet_meta(model, self.manifest)))

    def ask_api(self, question: str, history: list[dict[str, str]]) -> dict[str, Any]:
        """The structured answer for `question` after `history` (earlier role/content messages)."""
        assistant = self.require()
        answer = assistant.ask(question, history or [])
        return answer.model_dump(mode="json")


def build_app(
    assistant: Assistant | None, status: str = "", exports: ExportFolder | None = None
) -> gr.Blocks:
    """The Blocks app; `assistant` is None when the index is missing (then `status` says why)."""
    h = Handlers(assistant, status, exports)
    ready = assistant is not None
    private: dict[str, Any] = {"api_visibility": "private"}
    with gr.Blocks(title="CodeCite", analytics_enabled=False, fill_width=True) as app:
        header(assistant, status)
        turns = gr.State([])
        selected = gr.State(0)
        with gr.Tabs(elem_id="cc-main"):
            with gr.Tab("Ask", id="ask", elem_id="cc-tab-ask"), gr.Row(equal_height=False):
                with gr.Column(scale=6, min_width=340):
                    chatbot = gr.Chatbot(
                        show_label=False,  # a floating label covered the badge of a scrolled message
                        autoscroll=False,  # the page script shows a new answer from its start instead
                        height="calc(100vh - 290px)",
                        min_height=300,
                        buttons=["copy", "copy_all"],
                        feedback_options=None,
                        placeholder="**Ask about a procedure code.** Answers come only from the knowledge "
                        "base, with a verdict and numbered sources.",
                        examples=[{"text": q} for q in EXAMPLES] if ready else None,
                        elem_id="cc-chat",
                    )
                    queued = gr.HTML("", elem_id="cc-queue")
                    phi = gr.HTML("", elem_id="cc-phi")  # the gentle patient-details warning
                    with gr.Row(elem_id="cc-ask-row"):
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
                    with gr.Row(elem_id="cc-toolbar"):
                        stop = gr.Button("Stop", size="sm", elem_id="cc-stop")
                        regen = gr.Button("Regenerate", size="sm", elem_id="cc-regen")
                        new = gr.Button("New conversation", size="sm", elem_id="cc-new")
                        export_md = gr.DownloadButton(
                            "Export Markdown", size="sm", interactive=False, elem_id="cc-export-md"
                        )
                        export_js = gr.DownloadButton(
                            "Export JSON", size="sm", interactive=False, elem_id="cc-export-json"
                        )
                with gr.Column(scale=5, min_width=340):
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
                    # Collapsible, so on a phone the feedback below is one tap away.
                    with (
                        gr.Accordion("Sources", open=True, elem_id="cc-sources-box"),
                        gr.Tabs(selected="sources") as tabs,
                    ):
                        with gr.Tab("Sources", id="sources", elem_id="cc-tab-sources"):
                            sources = gr.HTML(sources_panel(None, {}), elem_id="cc-sources")
                        with gr.Tab("Code record", id="record", elem_id="cc-tab-record"):
                            record = gr.HTML(NO_RECORD, elem_id="cc-record")
                    fb = feedback_form()
            with gr.Tab("Check a claim", id="claim", elem_id="cc-tab-claim"):
                claim_tab(ClaimHandlers(h.require), ready, private)

        view = [selected, head, chips_label, *chips, tabs, sources, fb.target, export_md, export_js]
        answer_outputs = [chatbot, queued, turns, *view]
        # Every question is queued, never dropped ("multiple"); a session's own questions are
        # answered in order (Handlers.pending), sessions in parallel up to the worker pool.
        workers = assistant.settings.ui.answer_workers if assistant else 1
        ask_event: dict[str, Any] = {
            "concurrency_limit": workers,
            "concurrency_id": ANSWERS,
            "trigger_mode": "multiple",
            "show_progress": "hidden",  # the working badge shows progress without covering the chat
            **private,
        }
        enqueue: dict[str, Any] = {"queue": False, "trigger_mode": "multiple", **private}
        answering = [
            box.submit(h.enqueue, box, [box, queued, phi], **enqueue).then(
                h.respond, turns, answer_outputs, **ask_event
            ),
            send.click(h.enqueue, box, [box, queued, phi], **enqueue).then(
                h.respond, turns, answer_outputs, **ask_event
            ),
            chatbot.example_select(h.example, None, [box, queued, phi], **enqueue).then(
                h.respond, turns, answer_outputs, **ask_event
            ),
            regen.click(h.regenerate, turns, answer_outputs, **enqueue).then(
                h.respond, turns, answer_outputs, **ask_event
            ),
        ]
        stop.click(h.stop, turns, [box, chatbot, queued], cancels=answering, **private)
        chatbot.select(h.select, [turns], view, **private)
        for chip in chips:
            chip.click(h.show_record, chip, [record, tabs], **private)
        reset_outputs = [chatbot, queued, turns, *view, record]
        new.click(h.new_conversation, None, reset_outputs, cancels=answering, **private)
        # The chat's own Clear (trash) button resets the conversation too, not just the display.
        chatbot.clear(h.new_conversation, None, reset_outputs, cancels=answering, **private)
        fb.up.click(h.feedback.upvote, [turns, selected], fb.note, **private)
        fb.down.click(h.feedback.downvote, turns, fb.details, **private)
        fb.send.click(
            h.feedback.send,
            [turns, selected, fb.label, fb.expected, fb.include],
            [fb.note, fb.label, fb.expected, fb.include, fb.details],
            **private,
        )
        app.unload(h.forget)
        gr.api(h.ask_api, api_name="ask", concurrency_limit=workers, concurrency_id=ANSWERS)
        gr.api(ClaimHandlers(h.require).check_api, api_name="check")
    return app


def open_assistant(settings: Settings) -> tuple[Assistant | None, str]:
    """The assistant, or None and a status line saying how to build the missing index."""
    try:
        return build_assistant(settings), ""
    except IndexMissingError as exc:
        return None, f"No knowledge index: {exc}. Build it with `codecite ingest`, then restart the app."


def launch(settings: Settings) -> None:
    """Serve the app until stopped (assistant.ui_server)."""
    from assistant.ui_server import serve

    serve(settings)
