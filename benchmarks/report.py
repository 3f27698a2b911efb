"""report.md from results.json: each figure beside its target and its baseline; the retrieval curve
as a PNG (matplotlib is a dependency) and as a table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

# key, what it is, target (text), the target as a check (None: no target), baseline key or text.
ROWS: list[tuple[str, str, str, tuple[str, float] | None, str]] = [
    (
        "cli_cold_table_s",
        "cold CLI, table question (worst of pair/units/fee), wall s",
        "<= 1.0",
        ("<=", 1.0),
        "",
    ),
    ("cli_cold_table_cpu_s", "same, CPU s (user+sys)", "", None, ""),
    ("cli_cold_embed_s", "cold CLI, question that needs the embedder, wall s", "<= 3.0", ("<=", 3.0), ""),
    ("cli_cold_embed_cpu_s", "same, CPU s", "", None, ""),
    (
        "first_verdict_p95_s",
        "first chunk (verdict, badge), single user warm, p95 s",
        "<= 0.3",
        ("<=", 0.3),
        "",
    ),
    ("answer_p95_s_single_user", "whole answer, single user warm, p95 s", "", None, ""),
    ("answer_p95_s", "whole answer, 20 concurrent users, p95 s (load.json)", "reported", None, ""),
    (
        "eval_answer_p95_s",
        "answer p95 over the dev set (evals.run, no LLM), s",
        "",
        None,
        "baseline_answer_p95_s",
    ),
    ("verdict_accuracy", "verdict accuracy, dev set", "", None, "baseline_verdict_accuracy"),
    ("ingest_passages_per_s", "ingest embedding, passages/s (default embedder)", "", None, ""),
    (
        "ingest_speedup_vs_sentence_transformers",
        "ingest speed vs sentence-transformers",
        ">= 2.0",
        (">=", 2.0),
        "",
    ),
    ("top5_overlap_vs_fp32", "top-5 overlap vs fp32 sentence-transformers", ">= 0.99", (">=", 0.99), ""),
    (
        "llm_explanations_accepted_rate",
        "SmolLM2 explanations the checker kept",
        ">= 0.5 to stay default",
        None,
        "",
    ),
    ("serve_rss_mb", "serving RSS, everything loaded (SmolLM2, UI), MB", "<= 1200", ("<=", 1200), ""),
    ("serve_rss_mb_no_llm", "serving RSS, llm.provider none, MB", "<= 600", ("<=", 600), ""),
]


def _fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.0f}"
    return str(value)


def _verdict(value: Any, check: tuple[str, float] | None) -> str:
    if check is None or not isinstance(value, int | float):
        return ""
    op, bound = check
    return "met" if (value <= bound if op == "<=" else value >= bound) else "NOT met"


def plot(points: list[dict[str, Any]], out: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    sizes = [p["passages"] for p in points]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(sizes, [p["embedded_p95_ms"] for p in points], "o-", label="hybrid p95, embedded Chroma")
    served = [(p["passages"], p["server_p95_ms"]) for p in points if "server_p95_ms" in p]
    if served:
        ax.plot(*zip(*served, strict=True), "s--", label="hybrid p95, chroma run server")
    ax.plot(sizes, [p["embed_query_mean_ms"] for p in points], "^:", label="query embedding alone (mean)")
    old = [(p["passages"], p["rank_bm25"]["query_p95_ms"]) for p in points if "rank_bm25" in p]
    if old:
        ax.plot(*zip(*old, strict=True), "x-.", label="rank_bm25 full scan alone p95 (before)")
    ax.axhline(20, color="grey", lw=0.8, label="target 20 ms at 100k")
    ax.set(xscale="log", xlabel="passages", ylabel="ms", title="Code-aware hybrid retrieval, top 8")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return True


def write_report(results: dict[str, Any], out: Path) -> None:
    before, after = results.get("load_before", {}), results.get("load_after", {})
    lines = [
        "# CodeCite speed, scale and memory",
        "",
        f"Run {results.get('started')} ({'quick' if results.get('quick') else 'full'}); machine load "
        f"{before.get('load_1m')} before and {after.get('load_1m')} after (1-minute average, "
        f"{before.get('cores')} cores). Wall times on shared cores grow with the load; CPU seconds less so.",
        "",
        "| figure | value | target | status | baseline |",
        "|---|---|---|---|---|",
    ]
    for key, label, target, check, baseline in ROWS:
        value = results.get(key)
        base = _fmt(results.get(baseline)) if baseline else ""
        lines.append(f"| {label} (`{key}`) | {_fmt(value)} | {target} | {_verdict(value, check)} | {base} |")
    points = results.get("retrieval_curve") or []
    if points:
        lines += [
            "",
            "## Retrieval curve (synthetic passages, query embedding included, top 8)",
            "",
            "| passages | embedded p50 / p95 ms | server p50 / p95 ms | embed query ms | BM25 ms | "
            "lexical open + first query ms | rank_bm25 build s / query p95 ms (before) |",
            "|---|---|---|---|---|---|---|",
        ]
        for p in points:
            server = f"{p['server_p50_ms']:.1f} / {p['server_p95_ms']:.1f}" if "server_p95_ms" in p else "-"
            old = p.get("rank_bm25")
            before_text = f"{old['build_s']:.1f} / {old['query_p95_ms']:.1f}" if old else "-"
            lines.append(
                f"| {p['passages']:,} | {p['embedded_p50_ms']:.1f} / {p['embedded_p95_ms']:.1f} | {server} | "
                f"{p['embed_query_mean_ms']:.1f} | {p['bm25_mean_ms']:.2f} | "
                f"{p['lexical_open_first_query_ms']:.1f} | {before_text} |"
            )
        if plot(points, out / "retrieval.png"):
            lines += ["", "![retrieval curve](retrieval.png)"]
        else:
            lines += ["", "(matplotlib is not installed: the curve is the table above.)"]
    for key in ("embedder_comparison", "llm_acceptance", "cli_cold", "answers_single_user", "errors"):
        if key in results:
            lines += ["", f"## {key}", "", "```json", _json(results[key]), "```"]
    (out / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _json(value: Any) -> str:
    import json

    return json.dumps(value, indent=1)
