"""Every speed, scale and memory figure of issue 14 in one run, each beside its target and baseline.

Usage: python -m benchmarks.run --out DIR [--quick] [--skip SECTION ...] [--llm-runs DIR ...]
Writes DIR/results.json and DIR/report.md (with DIR/retrieval.png). `--quick` (under 10 minutes
on 2 idle cores) keeps the 100k retrieval point and samples the slow evaluations. The figures
under 20 concurrent users come from benchmarks/load.py: put its DIR/load.json in place first and
they are read in (see LOAD_KEYS). Sections: retrieval, cli, embedder, answers, eval, llm, memory.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import measure
from benchmarks.common import load
from benchmarks.report import write_report

SECTIONS = ("retrieval", "cli", "embedder", "answers", "eval", "llm", "memory")
# load.json (benchmarks/load.py) -> results.json: the figures measured under concurrent users.
LOAD_KEYS = {
    "answer_p95_s": "answer_p95_s",
    "errors": "load_errors",
    "users": "load_users",
    "rss_mb": "load_rss_mb",
}
DEV = Path("evals/datasets/dev.jsonl")
PARAPHRASE = Path("evals/datasets/paraphrase/part1.jsonl")


def _retrieval(args: argparse.Namespace, results: dict[str, Any], work: Path) -> None:
    from assistant.config import load_settings
    from assistant.embed import make_embedder
    from benchmarks.scale import curve

    settings = load_settings(None)
    embedder = make_embedder(settings.embedder, settings.model_cache)
    sizes = [1000, 10000, 100000]
    points = curve(
        sizes,
        settings.knowledge_dir,
        embedder,
        work,
        server_sizes=[100000] if args.quick else sizes,
        baseline_sizes=[1000, 10000] if args.quick else sizes,
        n_queries=60 if args.quick else 200,
    )
    results["retrieval_curve"] = points
    results["retrieval_p95_ms"] = {str(p["passages"]): p["embedded_p95_ms"] for p in points}
    results["retrieval_server_p95_ms"] = {
        str(p["passages"]): p["server_p95_ms"] for p in points if "server_p95_ms" in p
    }


def _cli(args: argparse.Namespace, results: dict[str, Any], work: Path) -> None:
    cold = measure.cold_cli(3 if args.quick else 5)
    results["cli_cold"] = cold
    results["cli_cold_table_s"] = max(cold[k]["wall_s"] for k in ("pair", "units", "fee_schedule"))
    results["cli_cold_table_cpu_s"] = max(cold[k]["cpu_s"] for k in ("pair", "units", "fee_schedule"))
    results["cli_cold_embed_s"] = cold["embedder"]["wall_s"]
    results["cli_cold_embed_cpu_s"] = cold["embedder"]["cpu_s"]


def _embedder(args: argparse.Namespace, results: dict[str, Any], work: Path) -> None:
    from assistant.config import load_settings
    from benchmarks.embedders import compare

    settings = load_settings(None)
    n = 400 if args.quick else 4000
    found = compare(settings.knowledge_dir, settings.model_cache, n, 200, settings.embedder.threads)
    results["embedder_comparison"] = found
    chosen = found[f"onnx_{settings.embedder.precision}"]
    results["embedder_default"] = f"{settings.embedder.runtime} {settings.embedder.precision}"
    results["ingest_passages_per_s"] = chosen["passages_per_s"]
    results["ingest_speedup_vs_sentence_transformers"] = chosen["speedup_vs_sentence_transformers"]
    results["top5_overlap_vs_fp32"] = chosen["top5_overlap_vs_fp32"]


def _answers(args: argparse.Namespace, results: dict[str, Any], work: Path) -> None:
    single = measure.answers(2 if args.quick else 5)
    results["answers_single_user"] = single
    results["first_verdict_p95_s"] = single["first_verdict_p95_s"]
    results["answer_p95_s_single_user"] = single["answer_p95_s"]


def _eval(args: argparse.Namespace, results: dict[str, Any], work: Path) -> None:
    found = measure.evaluation(work / "eval", "none", DEV, 60 if args.quick else None, baseline=True)
    ours, base = found["summary"], found["baseline"]
    results["eval_items"] = ours.get("n")
    results["verdict_accuracy"] = ours.get("verdict_accuracy")
    results["baseline_verdict_accuracy"] = base.get("verdict_accuracy")
    results["eval_answer_p95_s"] = ours.get("latency_p95_s")
    results["baseline_answer_p95_s"] = base.get("latency_p95_s")


def _llm(args: argparse.Namespace, results: dict[str, Any], work: Path) -> None:
    runs = [Path(p) for p in args.llm_runs]
    if not runs:
        limit = 12 if args.quick else 60
        for name, dataset in (("llm-dev", DEV), ("llm-paraphrase", PARAPHRASE)):
            measure.evaluation(work / name, "llamacpp", dataset, limit, baseline=False)
            runs.append(work / name)
    found = measure.llm_acceptance(runs)
    results["llm_acceptance"] = found
    results["llm_explanations_accepted_rate"] = found["rate"]


def _memory(args: argparse.Namespace, results: dict[str, Any], work: Path) -> None:
    results["serve_rss_mb"] = measure.serve_rss("llamacpp")["rss_mb"]
    results["serve_rss_mb_no_llm"] = measure.serve_rss("none")["rss_mb"]


RUNNERS: dict[str, Callable[[argparse.Namespace, dict[str, Any], Path], None]] = {
    "retrieval": _retrieval,
    "cli": _cli,
    "embedder": _embedder,
    "answers": _answers,
    "eval": _eval,
    "llm": _llm,
    "memory": _memory,
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--quick", action="store_true", help="Sampled evaluations; the 100k point kept.")
    parser.add_argument("--skip", nargs="*", default=[], choices=SECTIONS)
    parser.add_argument(
        "--llm-runs", nargs="*", default=[], help="evals.run folders to read LLM acceptance from"
    )
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    args.out.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "quick": args.quick,
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    results["load_before"] = load()
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="codecite-bench-") as tmp:
        for name in SECTIONS:
            if name in args.skip:
                continue
            t0 = time.perf_counter()
            print(f"[{name}] ...", flush=True)
            try:
                RUNNERS[name](args, results, Path(tmp))
            except Exception as exc:  # one failed section is reported; the others still run
                results.setdefault("errors", {})[name] = f"{type(exc).__name__}: {exc}"[:500]
                traceback.print_exc()
            seconds[name] = round(time.perf_counter() - t0, 1)
            print(f"[{name}] {seconds[name]} s", flush=True)
    load_file = args.out / "load.json"
    if load_file.is_file():  # written by benchmarks/load.py (20 concurrent users)
        concurrent = json.loads(load_file.read_text())
        results.update(
            {ours: concurrent[theirs] for theirs, ours in LOAD_KEYS.items() if theirs in concurrent}
        )
    results["section_seconds"] = seconds
    results["load_after"] = load()
    (args.out / "results.json").write_text(json.dumps(results, indent=1))
    write_report(results, args.out)
    print(f"wrote {args.out / 'results.json'} and {args.out / 'report.md'}")


if __name__ == "__main__":
    main()
