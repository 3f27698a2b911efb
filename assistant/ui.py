"""Gradio web UI: a thin layer over the same `Assistant` the CLI uses."""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.config import Settings
from assistant.index import IndexMissingError
from assistant.models import VERDICT_LABELS, Answer
from assistant.service import Assistant, build_assistant

EXAMPLES = [
    "Is ureteropyelography included in 50576?",
    "Which code for ureteroscopy with laser lithotripsy and a stent?",
    "Can I bill 52000 with 52332?",
    "What is 50570?",
]


def sources_markdown(answer: Answer) -> str:
    parts = [f"**Verdict:** {VERDICT_LABELS.get(answer.verdict or '', 'none (descriptive answer)')}"]
    for rule in answer.rules:
        parts.append(f"- **{rule.label}**: {rule.detail}")
    for c in answer.citations:
        parts.append(
            f"- **[{c.n}] {c.code}** {c.title} *({c.field}, code set {c.code_set_year})*\n\n  > {c.quote}"
        )
    return "\n".join(parts)


def build_app(assistant: Assistant | None, status: str) -> gr.Blocks:
    with gr.Blocks(title="CodeCite") as app:
        gr.Markdown(f"# CodeCite\n{status}")
        chatbot = gr.Chatbot(label="Conversation")
        box = gr.Textbox(label="Question", placeholder="Is ureteropyelography included in 50576?")
        sources = gr.Markdown()

        def respond(question: str, history: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]], str]:
            if assistant is None:
                return "", history, status
            answer = assistant.ask(question, history)
            history = [
                *history,
                {"role": "user", "content": question},
                {"role": "assistant", "content": answer.text},
            ]
            return "", history, sources_markdown(answer)

        box.submit(respond, [box, chatbot], [box, chatbot, sources])
        gr.Examples(EXAMPLES, inputs=box)
    return app


def launch(settings: Settings) -> None:
    try:
        assistant: Assistant | None = build_assistant(settings)
        status = f"Model: {assistant.model_label} · {assistant.index.manifest.get('records')} records"
    except IndexMissingError as exc:
        assistant, status = None, f"**No index.** {exc}"
    app = build_app(assistant, status)
    print(f"CodeCite UI: http://{settings.ui.host}:{settings.ui.port}", flush=True)
    app.launch(server_name=settings.ui.host, server_port=settings.ui.port, show_api=False)
