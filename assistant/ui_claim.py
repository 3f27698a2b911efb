"""The web UI's "Check a claim" tab and the `/check` API: a thin layer over `Assistant.check`."""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.claim import ClaimReport
from assistant.claim_render import claim_html, render_markdown
from assistant.service import Assistant


class ClaimHandlers:
    """Event handlers of the claim tab; `require` returns the assistant or raises a gr.Error."""

    def __init__(self, require: Callable[[], Assistant]) -> None:
        self._require = require

    def run_check(self, lines: str, dos: str, claim_type: str) -> list[Any]:
        """The claim tab: the corrected claim and its findings, kept for export."""
        assistant = self._require()
        hidden = gr.update(value=None, visible=False)  # an export of an earlier claim is not this one's
        if not (lines or "").strip():
            note = "Paste at least one claim line, e.g. 52356 52332-RT 52000."
            return [claim_html(None), None, note, hidden]
        try:
            report = assistant.check(lines, dos or None, claim_type)
        except ValueError as exc:  # a bad date of service or a table that is not loaded
            return [claim_html(None), None, str(exc), hidden]
        return [claim_html(report), report.payload(), "", hidden]

    @staticmethod
    def export_claim(payload: dict[str, Any] | None, fmt: str) -> Any:
        if not payload:
            gr.Warning("Nothing to export yet: check a claim first.")
            return gr.update(value=None, visible=False)
        report = ClaimReport.model_validate(payload)
        body = render_markdown(report) if fmt == "md" else json.dumps(report.payload(), indent=1)
        folder = Path(tempfile.mkdtemp(prefix="codecite-claim-"))
        path = folder / f"codecite-claim-check-{time.strftime('%Y%m%d-%H%M%S')}.{fmt}"
        path.write_text(body, encoding="utf-8")
        return gr.update(value=str(path), visible=True)

    def check_api(self, lines: str, dos: str = "", claim_type: str = "practitioner") -> dict[str, Any]:
        """The claim check as JSON: lines as one string (newlines, commas or spaces between codes)."""
        return self._require().check(lines, dos or None, claim_type).payload()


def claim_tab(h: ClaimHandlers, ready: bool, private: dict[str, Any]) -> None:
    """Paste a draft claim, get the corrected claim and every finding with its source."""
    report = gr.State(None)
    with gr.Row(equal_height=False):
        with gr.Column(scale=4):
            lines = gr.Textbox(
                label="Claim lines (one per line, or one line of codes)",
                placeholder="52356\n52332-RT\n52000\n76000 x1",
                lines=8,
                interactive=ready,
                elem_id="cc-claim-lines",
            )
            with gr.Row():
                dos = gr.Textbox(label="Date of service", placeholder="YYYY-MM-DD (default today)", scale=2)
                kind = gr.Radio(
                    [("Practitioner", "practitioner"), ("Outpatient hospital", "hospital")],
                    value="practitioner",
                    label="Claim type",
                    scale=3,
                    elem_id="cc-claim-type",
                )
            check = gr.Button("Check claim", variant="primary", interactive=ready, elem_id="cc-claim-check")
            note = gr.Markdown(elem_id="cc-claim-note")
            with gr.Row():
                export_md = gr.Button("Export Markdown", size="sm", elem_id="cc-claim-export-md")
                export_js = gr.Button("Export JSON", size="sm", elem_id="cc-claim-export-json")
            exported = gr.File(label="Claim check", visible=False, interactive=False, elem_id="cc-claim-file")
        with gr.Column(scale=6):
            result = gr.HTML(claim_html(None), elem_id="cc-claim-result")
    inputs = [lines, dos, kind]
    check.click(h.run_check, inputs, [result, report, note, exported], **private)
    lines.submit(h.run_check, inputs, [result, report, note, exported], **private)
    export_md.click(lambda p: h.export_claim(p, "md"), report, exported, **private)
    export_js.click(lambda p: h.export_claim(p, "json"), report, exported, **private)
