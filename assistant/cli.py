"""The `codecite` command: one error boundary turns domain errors into a clean message."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from assistant.config import Settings, SettingsError, load_settings
from assistant.models import VERDICT_LABELS, Answer

F = TypeVar("F", bound=Callable[..., Any])
DOMAIN_ERRORS: tuple[type[BaseException], ...] = (SettingsError, FileNotFoundError, RuntimeError, ValueError)


def boundary(func: F) -> F:
    """Print domain errors as one line (exit 1); --debug re-raises them with the traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DOMAIN_ERRORS as exc:
            if click.get_current_context().find_root().params.get("debug"):
                raise
            raise click.ClickException(str(exc)) from None

    return wrapper  # type: ignore[return-value]


@click.group()
@click.option("--config", type=click.Path(path_type=Path), help="YAML settings file.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.pass_context
def cli(ctx: click.Context, config: Path | None, debug: bool) -> None:
    """CodeCite: cited answers to procedure-code questions, offline."""
    ctx.obj = {"config": config}


def settings_from(ctx: click.Context, **overrides: Any) -> Settings:
    return load_settings(ctx.find_root().obj["config"], **{k: v for k, v in overrides.items() if v})


@cli.command()
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
@boundary
def ingest(ctx: click.Context, quiet: bool) -> None:
    """Validate knowledge files, embed passages, swap the new index in."""
    from assistant.embed import make_embedder
    from assistant.index import build_index

    settings = settings_from(ctx)
    report = build_index(settings, make_embedder(settings.embedder), progress=not quiet)
    for error in report.errors:
        click.secho(
            f"error: {settings.knowledge_dir / error.file}{str(error)[len(error.file) :]}", fg="red", err=True
        )
    click.echo(
        f"{report.status}: {report.records} records, {report.passages} passages "
        f"({report.embedded} embedded, {report.reused} reused) in {report.seconds:.1f}s"
        f" -> {settings.index_dir}"
    )
    if report.errors:
        click.secho(
            f"{len(report.errors)} file problem(s) reported above; the other files were ingested.",
            fg="yellow",
            err=True,
        )


def render(answer: Answer) -> str:
    lines = [f"Verdict: {VERDICT_LABELS.get(answer.verdict or '', 'none (descriptive answer)')}"]
    if answer.low_confidence:
        lines.append("Warning: low confidence, retrieval found nothing strong.")
    lines += [
        "",
        textwrap.fill(answer.text, 100, replace_whitespace=False) if "\n" not in answer.text else answer.text,
    ]
    if answer.rules:
        lines += ["", "CMS rules:"] + [f"  {r.label}\n      {r.detail}" for r in answer.rules]
    if answer.citations:
        lines += ["", "Sources:"]
        for c in answer.citations:
            lines.append(f"  [{c.n}] {c.code} {c.title} ({c.field}; {c.file}, code set {c.code_set_year})")
            lines.append(textwrap.indent(textwrap.fill(f'"{c.quote}"', 94), "      "))
    if answer.flags:
        lines += ["", f"Checks: {', '.join(answer.flags)}"]
    return "\n".join(lines)


def _llm_override(no_llm: bool) -> dict[str, Any] | None:
    return {"provider": "none"} if no_llm else None


@cli.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the Answer as JSON.")
@click.option("--no-llm", is_flag=True, help="Extractive answer only (no language model).")
@click.pass_context
@boundary
def ask(ctx: click.Context, question: str, as_json: bool, no_llm: bool) -> None:
    """Answer one question with its verdict and numbered sources."""
    from assistant.service import build_assistant

    assistant = build_assistant(settings_from(ctx, llm=_llm_override(no_llm)))
    answer = assistant.ask(question)
    click.echo(answer.model_dump_json(indent=2) if as_json else render(answer))


@cli.command()
@click.option("--no-llm", is_flag=True, help="Extractive answers only.")
@click.pass_context
@boundary
def chat(ctx: click.Context, no_llm: bool) -> None:
    """A terminal conversation; follow-ups use the history. Empty line or Ctrl-D ends it."""
    from assistant.service import build_assistant

    assistant = build_assistant(settings_from(ctx, llm=_llm_override(no_llm)))
    history: list[dict[str, str]] = []
    click.echo("CodeCite chat: ask about a procedure code. Empty line to quit.")
    while True:
        try:
            question = click.prompt("you", default="", show_default=False, prompt_suffix="> ")
        except (EOFError, click.Abort):
            break
        if not question.strip():
            break
        answer = assistant.ask(question, history)
        click.echo(render(answer) + "\n")
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.text}]


@cli.command()
@click.option("--port", type=int, help="Port (default from settings).")
@click.pass_context
@boundary
def serve(ctx: click.Context, port: int | None) -> None:
    """Start the web UI on 127.0.0.1."""
    from assistant.ui import launch

    launch(settings_from(ctx, ui={"port": port} if port else None))


def main() -> None:
    cli(prog_name="codecite")


if __name__ == "__main__":
    main()
    sys.exit(0)
