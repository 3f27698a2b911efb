"""report.md for a person: headline table (CodeCite vs baseline with ratios), per-intent tables,
the items that went wrong, and PNG plots (accuracy by intent, latency distribution)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only, never a window (the harness runs headless)
import matplotlib.pyplot as plt

Rows = Sequence[dict[str, Any]]
# (key, label, higher is better); latency ratios read "CodeCite takes x times as long".
METRICS: list[tuple[str, str, bool]] = [
    ("pass_rate", "Items passing every check", True),
    ("verdict_accuracy", "Verdict accuracy", True),
    ("codes_recall", "Required codes named (recall)", True),
    ("invented_codes", "Invented codes (count)", False),
    ("citation_precision", "Citation precision", True),
    ("supported_answer_rate", "Answers with a source", True),
    ("out_of_scope_accuracy", "Out-of-scope declined", True),
    ("false_refusal_rate", "Answerable items declined", False),
    ("mention_accuracy", "Mention checks passed", True),
    ("retrieval_recall_at_5", "Retrieval recall@5", True),
    ("latency_p50_s", "Latency p50 (s)", False),
    ("latency_p95_s", "Latency p95 (s)", False),
]
RATIO_NOTE = (
    "Ratios are CodeCite ÷ baseline: above 1 is better for accuracy figures, below 1 is better for "
    "latency and invented codes. Metric rules: evals/README.md."
)
INTENT_COLUMNS = ["n", "pass_rate", "verdict_accuracy", "codes_recall", "citation_precision"]
INTENT_COLUMNS += ["mention_accuracy", "retrieval_recall_at_5", "latency_p50_s"]


def fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def ratio(ours: Any, theirs: Any) -> str:
    if not isinstance(ours, int | float) or not isinstance(theirs, int | float):
        return "–"
    if theirs == 0:
        return "–" if ours == 0 else "∞"
    return f"{ours / theirs:.2f}×"


def difference(ours: Any, theirs: Any, key: str) -> str:
    if not isinstance(ours, int | float) or not isinstance(theirs, int | float):
        return "–"
    if key.startswith("latency") or key == "invented_codes":
        return f"{ours - theirs:+.3g}"
    return f"{100 * (ours - theirs):+.1f} pts"


def headline(summary: dict[str, Any], base: dict[str, Any] | None) -> list[str]:
    if base is None:
        lines = ["| metric | CodeCite |", "|---|---|"]
        return lines + [f"| {label} | {fmt(summary.get(k))} |" for k, label, _ in METRICS]
    lines = ["| metric | CodeCite | baseline | ratio | difference |", "|---|---|---|---|---|"]
    for key, label, _ in METRICS:
        ours, theirs = summary.get(key), base.get(key)
        row = [label, fmt(ours), fmt(theirs), ratio(ours, theirs), difference(ours, theirs, key)]
        lines.append("| " + " | ".join(row) + " |")
    return lines


def verdict_sentence(summary: dict[str, Any], base: dict[str, Any]) -> str:
    parts = []
    for key, label in (("verdict_accuracy", "verdict accuracy"), ("pass_rate", "items passing")):
        ours, theirs = summary.get(key), base.get(key)
        if isinstance(ours, float) and isinstance(theirs, float):
            parts.append(f"{label} {ours:.1%} vs {theirs:.1%} ({difference(ours, theirs, key)})")
    lat = ratio(summary.get("latency_p50_s"), base.get("latency_p50_s"))
    return f"CodeCite vs the plain RAG baseline: {'; '.join(parts)}; median latency ratio {lat}."


def intent_table(summary: dict[str, Any]) -> list[str]:
    lines = ["| intent | " + " | ".join(INTENT_COLUMNS) + " |", "|---" * (len(INTENT_COLUMNS) + 1) + "|"]
    for intent, figures in summary.get("by_intent", {}).items():
        lines.append(f"| {intent} | " + " | ".join(fmt(figures.get(c)) for c in INTENT_COLUMNS) + " |")
    return lines


def problems(rows: Rows, base_rows: Rows | None) -> list[str]:
    """Items CodeCite failed or got wrong, with what the baseline did on the same item."""
    base = {r["id"]: r for r in base_rows or []}
    lines = ["| id | intent | expected | CodeCite | baseline | why |", "|---|---|---|---|---|---|"]
    for row in rows:
        why = reasons(row)
        if why:
            other = base.get(row["id"], {}).get("verdict", "–")
            cells = [row["id"], row.get("intent"), row.get("expected_verdict"), row.get("verdict"), other]
            lines.append("| " + " | ".join(fmt(c) for c in cells) + f" | {'; '.join(why)} |")
    return lines if len(lines) > 2 else ["None: every item passed every check."]


def reasons(row: dict[str, Any]) -> list[str]:
    s = row["scores"]
    why = [f"failed: {row['error']}"] if row.get("status") == "failed" else []
    if s["verdict_correct"] is False:
        why.append("wrong verdict")
    if s["codes_found"] < s["codes_required"]:
        why.append(f"missed codes ({s['codes_found']}/{s['codes_required']})")
    if s["invented"]:
        why.append("invented " + ", ".join(s["invented"]))
    if s["mention_ok"] is False:
        why.append("mention check")
    if s["cited_total"] and s["cited_supporting"] < s["cited_total"]:
        why.append(f"unsupported citations ({s['cited_total'] - s['cited_supporting']})")
    return why


def plot_by_intent(path: Path, summary: dict[str, Any], base: dict[str, Any] | None) -> None:
    intents = list(summary.get("by_intent", {}))
    series = [("CodeCite", summary)] + ([("baseline", base)] if base else [])
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5), sharey=True)
    panels = (("pass_rate", "Items passing"), ("verdict_accuracy", "Verdict accuracy"))
    for ax, (key, title) in zip(axes, panels, strict=True):
        width = 0.8 / len(series)
        for i, (name, figures) in enumerate(series):
            values = [(figures["by_intent"].get(t, {}).get(key) or 0.0) for t in intents]
            ax.bar([x + i * width for x in range(len(intents))], values, width, label=name)
        ax.set_xticks([x + width * (len(series) - 1) / 2 for x in range(len(intents))], intents, rotation=30)
        ax.set_ylim(0, 1.05)
        ax.set_title(f"{title} by intent")
    axes[0].legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_latency(path: Path, rows: Rows, base_rows: Rows | None) -> None:
    series = [("CodeCite", rows)] + ([("baseline", base_rows)] if base_rows else [])
    fig, ax = plt.subplots(figsize=(7, 4))
    values = {name: [t for r in group for t in r.get("turn_latencies_s", [])] for name, group in series}
    top = max((v for vs in values.values() for v in vs), default=1.0) or 1.0
    bins = [top * i / 30 for i in range(31)]  # shared bins so the two histograms compare
    for name, vs in values.items():
        if vs:
            ax.hist(vs, bins=bins, alpha=0.6, label=f"{name} (n={len(vs)})")
    ax.set_xlabel("seconds per answered turn")
    ax.set_ylabel("turns")
    ax.set_title("Latency distribution")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(
    out_dir: Path,
    summary: dict[str, Any],
    rows: Rows,
    base: dict[str, Any] | None = None,
    base_rows: Rows | None = None,
) -> Path:
    plot_by_intent(out_dir / "accuracy_by_intent.png", summary, base)
    plot_latency(out_dir / "latency.png", rows, base_rows)
    meta = summary.get("meta", {})
    lines = [
        "# CodeCite evaluation",
        "",
        f"Dataset `{meta.get('dataset')}`: {summary['n']} items ({summary['failed']} failed). "
        f"LLM `{meta.get('llm')}`, embedder `{meta.get('embedder')}`, run {meta.get('started')}.",
        "",
    ]
    if base is not None:
        lines += [verdict_sentence(summary, base), ""]
        chunks = base.get("meta", {}).get("chunks")
        lines += [f"Baseline: {chunks} blind chunks, dense top-k, stuff prompt, verdict by keywords.", ""]
    lines += ["## Summary", "", *headline(summary, base), "", RATIO_NOTE, ""]
    lines += ["## By intent: CodeCite", "", *intent_table(summary), ""]
    if base is not None:
        lines += ["## By intent: baseline", "", *intent_table(base), ""]
    lines += ["## Plots", "", "![accuracy by intent](accuracy_by_intent.png)", ""]
    lines += ["![latency](latency.png)", ""]
    lines += ["## Items CodeCite got wrong", "", *problems(rows, base_rows), ""]
    path = out_dir / "report.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_suite(out_dir: Path, summaries: dict[str, dict[str, Any]], keys: Sequence[str]) -> None:
    """suite.md / suite.json: the tuning, frozen and paraphrase figures side by side."""
    names = list(summaries)
    lines = [
        "# CodeCite: tuned vs frozen vs paraphrase",
        "",
        "The tuning split is what changes are checked against; the frozen split is never tuned on; the "
        "paraphrase set rewords every dev item three ways, written from the gold alone.",
        "",
        "| metric | " + " | ".join(f"{n} (n={summaries[n]['n']})" for n in names) + " |",
        "|---|" + "---|" * len(names),
    ]
    lines += [f"| {key} | " + " | ".join(fmt(summaries[n].get(key)) for n in names) + " |" for key in keys]
    if "paraphrase" in summaries and "tuning" in summaries and "frozen" in summaries:
        n_t, n_f = summaries["tuning"]["n"], summaries["frozen"]["n"]
        dev = (summaries["tuning"]["pass_rate"] * n_t + summaries["frozen"]["pass_rate"] * n_f) / max(
            n_t + n_f, 1
        )
        gap = (summaries["paraphrase"]["pass_rate"] - dev) * 100
        lines += ["", f"Paraphrase pass rate minus dev pass rate: {gap:+.1f} points (target: within 3)."]
    (out_dir / "suite.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = {n: {k: summaries[n].get(k) for k in ("n", *keys)} for n in names}
    (out_dir / "suite.json").write_text(json.dumps(table, indent=2) + "\n", encoding="utf-8")
