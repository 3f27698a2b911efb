"""Measurements the harness runs in child processes or through the evaluation: cold CLI starts,
single-user answer latency, serving memory, accuracy against the baseline, LLM acceptance."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import QUESTIONS, pct

ROOT = Path(__file__).resolve().parent.parent
# A pair, a units and a fee-schedule question: the CMS tables answer them, no embedder needed.
TABLE_QUESTIONS = [
    "can I bill 52000 with 52332?",
    "how many units of 52204 can I bill?",
    "what is the global period of 50590?",
]
EMBED_QUESTION = "which code for ureteroscopy with laser lithotripsy and a stent?"


def child_env() -> dict[str, str]:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}


def timed_child(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT, env=child_env())
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def cold_cli(repeats: int) -> dict[str, Any]:
    """`codecite ask --no-llm` from a cold process: the median of `repeats` runs per question."""
    ask = [sys.executable, "-m", "assistant.cli", "ask", "--no-llm"]
    timed_child([*ask, TABLE_QUESTIONS[0]])  # the OS file cache warm, as on a machine in use
    out: dict[str, Any] = {}
    labelled = [
        *zip(("pair", "units", "fee_schedule"), TABLE_QUESTIONS, strict=True),
        ("embedder", EMBED_QUESTION),
    ]
    for label, question in labelled:
        runs = [timed_child([*ask, question]) for _ in range(repeats)]
        out[label] = {"wall_s": pct([w for w, _ in runs], 0.5), "cpu_s": pct([c for _, c in runs], 0.5)}
    out["python_startup_s"] = timed_child([sys.executable, "-c", "pass"])[0]
    return out


def answers(rounds: int) -> dict[str, Any]:
    """Single user, warm: seconds to the first chunk (the verdict and its badge) and to the end."""
    from assistant.config import load_settings
    from assistant.service import build_assistant

    assistant = build_assistant(load_settings(None, llm={"provider": "none"}))
    assistant.ask(QUESTIONS[0])  # warm: embedder, classifier, speller
    first: list[float] = []
    full: list[float] = []
    for _ in range(rounds):
        for question in QUESTIONS:
            t0 = time.perf_counter()
            seen = None
            for chunk in assistant.stream(question, []):
                if seen is None and (chunk.verdict or chunk.delta or chunk.answer):
                    seen = time.perf_counter() - t0
            full.append(time.perf_counter() - t0)
            first.append(seen or full[-1])
    return {
        "n": len(full),
        "first_verdict_p50_s": pct(first, 0.5),
        "first_verdict_p95_s": pct(first, 0.95),
        "answer_p50_s": pct(full, 0.5),
        "answer_p95_s": pct(full, 0.95),
    }


def serve_rss(provider: str) -> dict[str, Any]:
    """RSS of a child that loads what serving loads (index, embedder, LLM, the UI) and answers three
    questions (a record, a follow-up and a lookup, so the embedder and the model have both run)."""
    code = (
        "import json,sys;from assistant.config import load_settings;"
        "from assistant.service import build_assistant;from assistant.ui import build_app;"
        "from benchmarks.common import QUESTIONS, rss_mb;"
        f"a=build_assistant(load_settings(None, llm={{'provider': {provider!r}}}));"
        "[a.ask(q) for q in QUESTIONS[:3]];build_app(a);print(json.dumps({'rss_mb': rss_mb()}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT, env=child_env()
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def evaluation(out: Path, provider: str, dataset: Path, limit: int | None, baseline: bool) -> dict[str, Any]:
    """evals.run on `dataset`; its summaries (and the baseline's) as they were written."""
    cmd = [
        sys.executable,
        "-m",
        "evals.run",
        "--dataset",
        str(dataset),
        "--out",
        str(out),
        "--provider",
        provider,
    ]
    cmd += ["--baseline"] if baseline else []
    cmd += ["--limit", str(limit)] if limit else []
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT, env=child_env())
    result = {"summary": json.loads((out / "summary.json").read_text())}
    if baseline:
        result["baseline"] = json.loads((out / "baseline_summary.json").read_text())
    return result


def llm_acceptance(run_dirs: list[Path]) -> dict[str, Any]:
    """Of the answers where the model was asked for a sentence, how many the checker kept."""
    asked = accepted = items = 0
    for run in run_dirs:
        for line in (run / "results.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            items += 1
            flags = row.get("flags") or []
            tried = bool(row.get("llm_used")) or "dropped_explanation" in flags
            tried = tried or any(str(f).startswith("llm_failed") for f in flags)
            asked += tried
            accepted += bool(row.get("llm_used"))
    return {
        "items": items,
        "explanations_asked": asked,
        "explanations_accepted": accepted,
        "rate": accepted / asked if asked else None,
    }
