"""Exports stay private and do not outlive their session or the server (issue 15)."""

from __future__ import annotations

import stat
from pathlib import Path

import gradio as gr

from assistant.config import Settings
from assistant.service import Assistant
from assistant.ui import Handlers
from assistant.ui_assets import launch_kwargs, server_note
from assistant.ui_export import ExportFolder

Q = "pt Jane Quinlanovich MRN 55123: is ureteropyelography included in 50576?"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_packets_go_to_a_private_folder_one_per_session_and_format(tmp_path: Path) -> None:
    exports = ExportFolder(tmp_path / "exports")
    turns = [{"question": Q, "answer": {"text": "Yes [1]."}}]
    first = exports.write("session-1", turns, "md", {})
    again = exports.write("session-1", turns, "md", {})
    other = exports.write("../../etc", turns, "json", {})  # a client-chosen id stays one segment
    assert mode(exports.root) == 0o700 and mode(again.parent) == 0o700
    assert again.parent.parent == exports.root and other.parent.parent == exports.root
    assert sorted(p.name for p in again.parent.iterdir()) == [again.name]  # the earlier one is gone
    assert first == again or not first.exists()
    exports.forget("session-1")
    assert not again.parent.exists() and other.exists()
    exports.close()
    assert not exports.root.exists()


def test_the_ui_writes_exports_into_its_folder_and_a_closed_tab_removes_them(
    unit_assistant: Assistant, tmp_path: Path
) -> None:
    exports = ExportFolder(tmp_path / "exports")
    h = Handlers(unit_assistant, "", exports)
    request = gr.Request(session_hash="session-1")
    h.enqueue(Q, request)
    *_, md, js = list(h.respond([], request))[-1]
    paths = [Path(md["value"]), Path(js["value"])]
    assert all(p.is_relative_to(exports.root) and Q in p.read_text() for p in paths)
    h.forget(request)  # the tab closed
    assert not any(p.exists() for p in paths)


def test_monitoring_is_off(unit_settings: Settings) -> None:
    assert launch_kwargs(unit_settings)["enable_monitoring"] is False


def test_the_ui_says_what_goes_to_a_model_server(unit_settings: Settings) -> None:
    write = unit_settings.llm.model_copy(update={"provider": "openai", "role": "write"})
    note = server_note(unit_settings.model_copy(update={"llm": write}))
    assert "your question" in note and write.base_url in note
    explain = server_note(
        unit_settings.model_copy(update={"llm": write.model_copy(update={"role": "explain"})})
    )
    assert "may quote your words" in explain
