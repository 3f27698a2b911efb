"""Bounded load (not a test): N concurrent chat sessions against a `codecite serve` on loopback.

Usage:
  .venv/bin/python -m benchmarks.load --serve [--provider none|llamacpp] [--users 20] [--minutes 5]
  .venv/bin/python -m benchmarks.load --url http://127.0.0.1:7860/ --pid PID
Options: --seconds S (instead of --minutes), --think-s T (pause between a session's questions),
--out DIR (writes DIR/load.json), --port P (with --serve).

Each session holds multi-turn conversations through the Gradio API `/ask` (question and the
history so far), starting a new one after each script; a request is an error when it raises
(the client waits up to CLIENT_TIMEOUT_S, as a tab would) or returns no answer. The run stops
by itself at the deadline;
answers still in flight then are waited for, and count. It reports errors, p50/p95 latency,
throughput and the server's RSS sampled over time (the server's pid comes from --serve or --pid).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.common import pct
from benchmarks.processes import free_port, http_ok, running

ROOT = Path(__file__).resolve().parents[1]
# Short coder conversations: table, extractive, lookup and follow-up turns, as a shift mixes them.
CONVERSATIONS = [
    ["Is ureteropyelography included in 50576?", "does it include fulguration?"],
    ["Can I bill 52000 with 52332?", "and 52000 with 52356?"],
    ["Which code for ureteroscopy with laser lithotripsy and a stent?", "what about with a biopsy?"],
    ["What is 50570?", "what is the base code for 50576?"],
    ["how many units of 52204?"],
    ["is fluoroscopy included in 52356?", "and in 52353?"],
    ["Cystourethroscopy with urethral diverticulum excision, female", "and for a male patient?"],
    ["is a biopsy included in 52354?"],
    ["what is 99999?"],
    ["52356 52332 52000 76000: which lines are billable?"],
]
START_TIMEOUT_S = 300
# A browser tab waits for its answer; httpx's default 5 s read timeout would count a starved but
# working server as failing. A slower answer still shows in the latency figures.
CLIENT_TIMEOUT_S = 60.0
RSS_EVERY_S = 2.0


@dataclass
class Figures:
    users: int
    seconds: float
    think_s: float
    provider: str
    requests: int = 0
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    p50_s: float = 0.0
    p95_s: float = 0.0
    max_s: float = 0.0
    answers_per_s: float = 0.0
    llm_sentences: int = 0  # answers that carry the model's checked sentence
    llm_skipped_busy: int = 0  # answers sent extractive because the model was busy
    rss_mb_start: float | None = None
    rss_mb_max: float | None = None
    rss_mb_end: float | None = None
    rss_mb: list[tuple[float, float]] = field(default_factory=list)  # (seconds into the run, MB)
    load_average: dict[str, list[float]] = field(default_factory=dict)
    slowest: dict[str, float] = field(default_factory=dict)  # scripted question -> its worst latency


def rss_mb(pid: int) -> float | None:
    """Resident memory of `pid` in MB, or None when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


@contextmanager
def serve(port: int, provider: str, log: Path) -> Iterator[tuple[str, int]]:
    """`codecite serve` on loopback with this checkout's settings; (url, pid); stopped after."""
    env = {**os.environ, "CODECITE_LLM__PROVIDER": provider, "HF_HUB_OFFLINE": "1"}
    env.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    cmd = [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port)]
    url = f"http://127.0.0.1:{port}/"
    with running(cmd, http_ok(url), log, START_TIMEOUT_S, cwd=ROOT, env=env) as proc:
        yield url, proc.pid


class Session(threading.Thread):
    """One coder: conversations through `/ask` until the deadline, each answer timed."""

    def __init__(self, url: str, seed: int, deadline: float, think_s: float, record: Callable[..., None]):
        super().__init__(daemon=True)
        self.url, self.rng, self.deadline, self.think_s, self.record = (
            url,
            random.Random(seed),
            deadline,
            think_s,
            record,
        )

    def run(self) -> None:
        from gradio_client import Client

        try:
            client = Client(self.url, verbose=False, httpx_kwargs={"timeout": CLIENT_TIMEOUT_S})
        except Exception as exc:  # a server that refuses sessions: every one counts as an error
            self.record(None, type(exc).__name__, {}, "")
            return
        while time.monotonic() < self.deadline:
            history: list[dict[str, str]] = []
            for question in self.rng.choice(CONVERSATIONS):
                if time.monotonic() >= self.deadline:
                    return
                started = time.perf_counter()
                try:
                    answer = client.predict(question, history, api_name="/ask")
                    ok = isinstance(answer, dict) and bool(answer.get("text"))
                    self.record(time.perf_counter() - started, None if ok else "no_answer", answer, question)
                except Exception as exc:
                    self.record(time.perf_counter() - started, type(exc).__name__, {}, question)
                    break
                history += [
                    {"role": "user", "content": question},
                    {"role": "assistant", "content": str(answer.get("text", ""))},
                ]
                time.sleep(self.think_s * self.rng.uniform(0.5, 1.5))


def run_load(url: str, pid: int | None, users: int, seconds: float, think_s: float, provider: str) -> Figures:
    figures = Figures(users=users, seconds=seconds, think_s=think_s, provider=provider)
    latencies: list[float] = []
    lock = threading.Lock()

    def record(latency: float | None, error: str | None, answer: dict[str, Any], question: str) -> None:
        flags = [str(f) for f in answer.get("flags", [])] if isinstance(answer, dict) else []
        with lock:
            figures.requests += 1
            if latency is not None:
                latencies.append(latency)
                worst = max(figures.slowest.get(question, 0.0), round(latency, 3))
                figures.slowest[question] = worst
            if error:
                figures.errors += 1
                figures.error_kinds[error] = figures.error_kinds.get(error, 0) + 1
            figures.llm_sentences += bool(isinstance(answer, dict) and answer.get("llm_used"))
            figures.llm_skipped_busy += any(f.endswith("ModelBusyError") for f in flags)

    figures.load_average["start"] = list(os.getloadavg())
    began = time.monotonic()
    deadline = began + seconds
    sessions = [Session(url, k, deadline, think_s, record) for k in range(users)]
    for session in sessions:
        session.start()
    while any(s.is_alive() for s in sessions):
        if pid is not None and (mb := rss_mb(pid)) is not None:
            figures.rss_mb.append((round(time.monotonic() - began, 1), round(mb, 1)))
        for session in sessions:
            session.join(timeout=RSS_EVERY_S / max(len(sessions), 1))
    elapsed = time.monotonic() - began
    if pid is not None and (mb := rss_mb(pid)) is not None:
        figures.rss_mb.append((round(elapsed, 1), round(mb, 1)))
    figures.load_average["end"] = list(os.getloadavg())
    figures.p50_s, figures.p95_s = round(pct(latencies, 0.50), 3), round(pct(latencies, 0.95), 3)
    figures.max_s = round(max(latencies, default=0.0), 3)
    figures.answers_per_s = round((figures.requests - figures.errors) / elapsed, 2)
    figures.slowest = dict(sorted(figures.slowest.items(), key=lambda kv: -kv[1]))
    if figures.rss_mb:
        series = [mb for _, mb in figures.rss_mb]
        figures.rss_mb_start, figures.rss_mb_max, figures.rss_mb_end = series[0], max(series), series[-1]
    return figures


def report(figures: Figures) -> str:
    rss = (
        f"RSS start {figures.rss_mb_start} MB, max {figures.rss_mb_max} MB, end {figures.rss_mb_end} MB"
        if figures.rss_mb
        else "RSS not sampled (no --pid)"
    )
    load = " / ".join(f"{k} {v[0]:.2f}" for k, v in figures.load_average.items())
    return (
        f"{figures.users} users x {figures.seconds:.0f} s (think {figures.think_s:g} s, "
        f"llm {figures.provider}): {figures.requests} answers, {figures.errors} errors "
        f"{figures.error_kinds or ''}\n"
        f"latency p50 {figures.p50_s:.3f} s, p95 {figures.p95_s:.3f} s, max {figures.max_s:.3f} s; "
        f"{figures.answers_per_s:.2f} answers/s\n"
        f"model sentence in {figures.llm_sentences}, sent extractive while the model was busy "
        f"{figures.llm_skipped_busy}\n{rss}\nload average (1 min): {load}\nslowest: "
        + "; ".join(f"{s:.2f} s {q}" for q, s in list(figures.slowest.items())[:4])
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="A running server, e.g. http://127.0.0.1:7860/")
    where.add_argument("--serve", action="store_true", help="Start `codecite serve` for the run.")
    parser.add_argument("--pid", type=int, help="The running server's pid, for its RSS.")
    parser.add_argument("--port", type=int, default=0, help="Port for --serve (default: a free one).")
    parser.add_argument("--provider", default="none", help="llm.provider for --serve.")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--seconds", type=float, help="Run length in seconds (overrides --minutes).")
    parser.add_argument("--think-s", type=float, default=1.0, help="Mean pause between questions.")
    parser.add_argument("--out", type=Path, help="Folder for load.json.")
    args = parser.parse_args(argv)
    seconds = args.seconds if args.seconds is not None else args.minutes * 60
    if args.serve:
        log = Path(tempfile.mkdtemp(prefix="codecite-load-")) / "server.log"
        with serve(args.port or free_port(), args.provider, log) as (url, pid):
            figures = run_load(url, pid, args.users, seconds, args.think_s, args.provider)
    else:
        provider = os.environ.get("CODECITE_LLM__PROVIDER", "as configured")
        figures = run_load(args.url, args.pid, args.users, seconds, args.think_s, provider)
    print(report(figures))
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "load.json").write_text(json.dumps(asdict(figures), indent=1) + "\n")
        print(f"wrote {args.out / 'load.json'}")
    return 1 if figures.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
