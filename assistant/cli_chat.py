"""`codecite chat`: the terminal conversation loop, its commands and its "working..." spinner."""

from __future__ import annotations

import itertools
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

import click

from assistant.cli import render
from assistant.conversation import Conversation
from assistant.service import Assistant
from assistant.ui_export import packet_meta, write_packet

CHAT_HELP = (
    "CodeCite chat: ask about a procedure code. /reset starts a new conversation, "
    "/export FILE saves it as Markdown with its sources, /quit ends."
)


@contextmanager
def working(stream: TextIO | None = None) -> Iterator[None]:
    """A spinner on stderr while an answer is computed (one 'working...' line when not a terminal)."""
    stream = stream or sys.stderr
    if not stream.isatty():
        stream.write("working...\n")
        stream.flush()
        yield
        return
    done = threading.Event()

    def spin() -> None:
        for frame in itertools.cycle("|/-\\"):
            stream.write(f"\r{frame} working...")
            stream.flush()
            if done.wait(0.12):
                break
        stream.write("\r" + " " * 14 + "\r")  # leave no trace before the answer
        stream.flush()

    spinner = threading.Thread(target=spin, daemon=True)
    spinner.start()
    try:
        yield
    finally:
        done.set()
        spinner.join()


def run_chat(assistant: Assistant, debug: bool) -> None:
    """Read questions until /quit or end of input; follow-ups use the history."""
    history = Conversation()  # typed turns: follow-ups read what each question was parsed as
    turns: list[dict[str, Any]] = []  # for /export: the same shape as the web UI's
    click.echo(CHAT_HELP)
    while True:
        try:
            question = click.prompt("you", default="", show_default=False, prompt_suffix="> ")
        except (EOFError, click.Abort):
            break
        command, _, argument = question.strip().partition(" ")
        command = command.lower()
        if not command:
            continue  # a stray Enter never ends the session or loses the history
        if command in ("/quit", "/exit", "/q"):
            break
        if command == "/reset":
            history.reset()
            turns = []
            click.echo("New conversation: earlier questions are forgotten.\n")
            continue
        if command == "/export":
            if not argument.strip():
                click.echo("Usage: /export FILE (for example /export answers.md)\n")
            elif not turns:
                click.echo("Nothing to export yet: ask a question first.\n")
            else:
                target = Path(argument.strip()).expanduser()
                try:
                    meta = packet_meta(assistant.model_label, assistant.index.manifest)
                    write_packet(turns, "md", meta, target)
                except OSError as exc:  # the path is the coder's, not a question: safe to show
                    click.echo(f"Could not write {target}: {exc.strerror}\n")
                else:
                    click.echo(f"Exported {len(turns)} answer(s) with their sources to {target}\n")
            continue
        if command.startswith("/"):
            click.echo("Commands: /reset, /export FILE, /quit.\n")
            continue
        with working():
            answer = assistant.ask(question, history)
        click.echo(render(answer, debug) + "\n")  # the turn is now in `history`
        turns.append({"question": question, "answer": answer.model_dump(mode="json")})
