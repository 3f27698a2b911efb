"""The `codecite` command: one error boundary turns domain errors into a clean message."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import textwrap
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from assistant.config import Settings, SettingsError, load_settings
from assistant.effect import decided_by_text, effect_label
from assistant.models import Answer

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

    return cast(F, wrapper)


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
@click.option("--rebuild", is_flag=True, help="Rebuild and re-embed everything, even if unchanged.")
@click.pass_context
@boundary
def ingest(ctx: click.Context, quiet: bool, rebuild: bool) -> None:
    """Validate knowledge files, embed passages, swap the new index in; exit 1 if any file failed."""
    from assistant.embed import make_embedder
    from assistant.index import build_index
    from assistant.intent import load_model

    settings = settings_from(ctx)
    embedding = settings.embedder
    if "threads" not in embedding.model_fields_set:
        # One thread suits a query at a time; a batch job like ingest uses every core (3x on 2).
        embedding = embedding.model_copy(update={"threads": os.cpu_count() or 1})
    embedder = make_embedder(embedding, settings.model_cache)
    report = build_index(settings, embedder, progress=not quiet, rebuild=rebuild)
    load_model(settings.model_cache)  # the question classifier: trained here once, in seconds
    if report.rebuilt_because:
        click.secho(f"rebuilt: {report.rebuilt_because}", fg="yellow", err=True)
    for error in report.errors:
        click.secho(
            f"error: {settings.knowledge_dir / error.file}{str(error)[len(error.file) :]}", fg="red", err=True
        )
    for warning in report.warnings:
        click.secho(f"warning: {warning}", fg="yellow", err=True)
    click.echo(
        f"{report.status}: {report.records} records, {report.passages} passages "
        f"({report.embedded} embedded, {report.reused} reused) in {report.seconds:.1f}s"
        f" -> {settings.index_dir}"
    )
    if report.errors:
        click.secho(
            f"{report.failed_files} file(s) failed ({len(report.errors)} problem(s) above); the other "
            "files were ingested and failed records kept their last good version where there was one.",
            fg="red",
            err=True,
        )
        raise SystemExit(1)


def render(answer: Answer, debug: bool = False) -> str:
    # The badge's words, as in the web UI and the exports: what the answer means for the claim.
    lines = [f"Verdict: {effect_label(answer)}", decided_by_text(answer)]
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
    if answer.flags and debug:  # the checker's notes are for developers, not for coders
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

    if not question.strip():
        raise click.UsageError('the question is empty: ask one, e.g. codecite ask "what is 50570?"')
    assistant = build_assistant(settings_from(ctx, llm=_llm_override(no_llm)))
    answer = assistant.ask(question)
    debug = bool(ctx.find_root().params.get("debug"))
    click.echo(answer.model_dump_json(indent=2) if as_json else render(answer, debug))


@cli.command()
@click.option("--no-llm", is_flag=True, help="Extractive answers only.")
@click.pass_context
@boundary
def chat(ctx: click.Context, no_llm: bool) -> None:
    """A terminal conversation; follow-ups use the history. /reset, /export FILE, /quit or Ctrl-D."""
    from assistant.cli_chat import run_chat
    from assistant.service import build_assistant

    assistant = build_assistant(settings_from(ctx, llm=_llm_override(no_llm)))
    debug = bool(ctx.find_root().params.get("debug"))
    run_chat(assistant, debug)


@cli.command()
@click.option("--port", type=int, help="Port (default from settings).")
@click.pass_context
@boundary
def serve(ctx: click.Context, port: int | None) -> None:
    """Start the web UI on 127.0.0.1."""
    from assistant.ui import launch

    launch(settings_from(ctx, ui={"port": port} if port else None))


def _default_seeds(settings: Settings) -> Path:
    # Dev-only copyright check: the seed pages live beside the project in ../shared/seeds.
    return settings.knowledge_dir.resolve().parent.parent / "shared" / "seeds"


@cli.command()
@click.option("--seeds", type=click.Path(path_type=Path), help="Seed pages to check copying against.")
@click.option("--quiet", is_flag=True, help="Summary only.")
@click.pass_context
@boundary
def validate(ctx: click.Context, seeds: Path | None, quiet: bool) -> None:
    """Check every knowledge file; exit 1 when any error is found."""
    from assistant.rules import load_rules
    from assistant.validate import validate as run_validate

    settings = settings_from(ctx)
    rules_db = load_rules(settings.rules_db)
    report = run_validate(settings.knowledge_dir, rules_db, seeds or _default_seeds(settings))
    for error in report.errors:
        click.secho(
            f"error: {settings.knowledge_dir / error.file}{str(error)[len(error.file) :]}", fg="red", err=True
        )
    if not quiet:
        for mismatch in report.mismatches:
            click.echo(f"review: {mismatch}")
        for run in report.descriptor_runs:
            click.echo(f"reword: {run}")
    click.echo(
        f"{report.records} records, {len(report.errors)} errors, {len(report.mismatches)} facts to "
        f"review, {len(report.descriptor_runs)} descriptor-boilerplate runs to reword; "
        f"seed copy check {report.seed_check}"
    )
    if report.errors:
        raise SystemExit(1)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
@boundary
def stats(ctx: click.Context, as_json: bool) -> None:
    """Coverage of the knowledge base against the CMS code inventory."""
    from assistant.completeness import completeness
    from assistant.ingest import load_knowledge
    from assistant.kb_stats import figures
    from assistant.qualifier_check import coverage as qualifier_coverage
    from assistant.qualifiers import load_qualifiers
    from assistant.rules import load_rules
    from assistant.validate import coverage

    settings = settings_from(ctx)
    rules_db = load_rules(settings.rules_db)
    report = coverage(settings.knowledge_dir, rules_db)
    knowledge = load_knowledge(settings.knowledge_dir)
    complete = completeness(knowledge.files, rules_db)
    figs = figures(knowledge.files, rules_db, len(report.fact_mismatches))
    qualified = qualifier_coverage(
        load_qualifiers(settings.knowledge_dir), {r.code: r.family for r in knowledge.records if r.code}
    )
    if as_json:
        parts = (report, complete, figs)
        payload = {k: v for p in parts for k, v in dataclasses.asdict(p).items()}
        click.echo(json.dumps({**payload, "qualifiers": dataclasses.asdict(qualified)}, indent=1))
        return
    click.echo(f"records: {report.records} {report.by_type}")
    click.echo(
        f"inventory: {report.inventory_covered}/{report.inventory_codes} codes covered; "
        f"missing: {', '.join(report.inventory_missing) or 'none'}"
    )
    click.echo(f"by section: {report.by_section}")
    click.echo(
        f"families: {report.families}; facts: {report.includes_facts} includes, "
        f"{report.reported_separately_facts} reported separately"
    )
    click.echo(f"records without sources: {len(report.records_without_sources)}")
    without = report.procedures_without_facts
    click.echo(f"procedures without includes/reported_separately facts: {len(without)} {' '.join(without)}")
    click.echo(f"fact mismatches against the PTP table: {len(report.fact_mismatches)}")
    for line in report.fact_mismatches:
        click.echo(f"  {line}")
    by_family = "; ".join(f"{fam} {n}/{total}" for fam, (n, total) in qualified.by_record_family.items())
    click.echo(
        f"qualifier coverage by family: {qualified.families} qualifier families over {qualified.codes} "
        f"codes, by axis {qualified.by_axis}; codes with qualifiers per record family: {by_family}"
    )
    click.echo(
        f"active in-range modifier-0 edits: {complete.in_range_bundled} with the record's code in column 1, "
        f"{complete.in_range_bundled_into} with it in column 2 (the generated PTP section names every one)"
    )
    click.echo("facts by kind:")
    for kind, n in figs.facts_by_kind.items():
        click.echo(f"  {n:5d}  {kind}")
    click.echo("policies by NCCI manual section (a policy citing two sections counts in both):")
    for section, ids in figs.policies_by_section.items():
        click.echo(f"  {len(ids):5d}  {section}")
    click.echo("open findings (`--json` lists the edits):")
    for finding, n in figs.open_findings.items():
        click.echo(f"  {n:5d}  {finding}")


@cli.command()
@click.argument("lines", nargs=-1, required=True)
@click.option("--dos", help="Date of service, YYYY-MM-DD (default: today).")
@click.option(
    "--claim-type",
    type=click.Choice(["practitioner", "hospital"]),
    default="practitioner",
    show_default=True,
    help="Which PTP and MUE tables apply.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
@boundary
def check(
    ctx: click.Context, lines: tuple[str, ...], dos: str | None, claim_type: str, as_json: bool
) -> None:
    """Check a draft claim: each LINE is CODE[-MOD[-MOD]][xUNITS], e.g. 52356 52332-RT 52442x3."""
    from assistant.claim import parse_dos
    from assistant.claim_checks import check_claim
    from assistant.claim_kb import knowledge_from_files
    from assistant.claim_render import render_text
    from assistant.rules import load_rules

    settings = settings_from(ctx)
    report = check_claim(
        list(lines),
        load_rules(settings.rules_db),
        knowledge_from_files(settings.knowledge_dir),
        parse_dos(dos),
        "hospital" if claim_type == "hospital" else "practitioner",
    )
    click.echo(json.dumps(report.payload(), indent=1) if as_json else render_text(report))


@cli.group()
def rules() -> None:
    """CMS tables (NCCI PTP, MUE and add-on code edits, RVU indicators) in the rules database."""


@rules.command("build")
@click.option("--if-needed", is_flag=True, help="Only when missing or built from older shipped tables.")
@click.pass_context
@boundary
def rules_build(ctx: click.Context, if_needed: bool) -> None:
    """(Re)build the rules database from the shipped CMS tables."""
    from assistant.rules_io import build_shipped, ensure_rules

    settings = settings_from(ctx)
    if if_needed:
        click.echo(f"rules database: {ensure_rules(settings.rules_db, lambda m: click.echo(m, err=True))}")
        return
    for report in build_shipped(settings.rules_db, lambda m: click.echo(m, err=True)):
        click.echo(
            f"{report.kind} {report.setting}: {report.loaded} rows from {Path(report.path).name}".strip()
        )


@rules.command("load")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--kind", type=click.Choice(["ptp", "mue", "aoc", "rvu"]), help="Table kind (default: detected)."
)
@click.option(
    "--setting",
    type=click.Choice(["practitioner", "hospital", "dme"]),
    help="Whose PTP/MUE table it is (default: from the file name or its columns).",
)
@click.option("--as-of", help="The files' effective date, e.g. 2025-10-01 (default: from the data).")
@click.pass_context
@boundary
def rules_load(
    ctx: click.Context, paths: tuple[Path, ...], kind: str | None, setting: str | None, as_of: str | None
) -> None:
    """Import your current quarterly CMS files; each replaces the same table of the database."""
    from assistant.rules_io import load_user_files

    settings = settings_from(ctx)
    for report in load_user_files(list(paths), settings.rules_db, kind, setting, as_of):
        label = f"{report.kind} {report.setting}".strip()
        click.echo(
            f"{label}: {report.loaded} rows loaded, {len(report.rejected)} rejected "
            f"from {report.path}; as of {report.as_of}"
        )
        for reason in report.rejected[:20]:
            click.echo(f"  rejected {reason}", err=True)
        if len(report.rejected) > 20:
            click.echo(f"  ... and {len(report.rejected) - 20} more", err=True)


@rules.command("show")
@click.pass_context
@boundary
def rules_show(ctx: click.Context) -> None:
    """Which rules data is in use: each table's file, setting and as-of date, and row counts."""
    from assistant.rules import load_rules

    settings = settings_from(ctx)
    db = load_rules(settings.rules_db)
    tables = [{"table": s.kind, "setting": s.setting, "file": s.file, "as_of": s.as_of} for s in db.sources()]
    click.echo(
        json.dumps({"database": str(db.path), **db.meta, "tables": tables, "rows": db.counts()}, indent=1)
    )


def main() -> None:
    cli(prog_name="codecite")


if __name__ == "__main__":
    main()
    sys.exit(0)
