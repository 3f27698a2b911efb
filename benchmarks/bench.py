"""Speed and memory figures (not a test): ingest, retrieval, answer latency, RSS.

Usage: .venv/bin/python -m benchmarks.bench [--questions N] [--no-llm]
Builds a fresh index under a temp directory with the real embedder, then times retrieval and
full answers with the configured LLM (the embedded SmolLM2 by default).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from assistant.config import load_settings
from assistant.embed import make_embedder
from assistant.index import build_index
from assistant.service import build_assistant
from benchmarks.common import QUESTIONS, pct, peak_rss_mb


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=len(QUESTIONS))
    parser.add_argument("--no-llm", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = str(Path(tmp))
        if args.no_llm:
            settings = load_settings(None, data_dir=data, llm={"provider": "none"})
        else:
            settings = load_settings(None, data_dir=data)
        embedder = make_embedder(settings.embedder, settings.model_cache)
        t0 = time.perf_counter()
        embedder.embed_query("warm up")
        load_s = time.perf_counter() - t0
        report = build_index(settings, embedder, progress=False)
        print(f"embedder load: {load_s:.2f} s")
        print(
            f"ingest: {report.passages} passages from {report.records} records in {report.seconds:.1f} s "
            f"= {report.passages / report.seconds:.0f} passages/s"
        )
        again = build_index(settings, embedder, progress=False)
        print(
            f"re-ingest unchanged: {again.seconds:.2f} s, {again.embedded} embedded "
            f"(ratio to first ingest: {again.seconds / report.seconds:.3f})"
        )

        t0 = time.perf_counter()
        assistant = build_assistant(settings, embedder=embedder)
        print(f"assistant start (index open): {time.perf_counter() - t0:.2f} s")
        retrieval = []
        for q in QUESTIONS * 3:
            t0 = time.perf_counter()
            assistant.engine.prepare({"question": q, "history": []})
            retrieval.append(time.perf_counter() - t0)
        print(
            f"retrieval+decision per question: p50 {pct(retrieval, 0.5) * 1000:.0f} ms, "
            f"p95 {pct(retrieval, 0.95) * 1000:.0f} ms (n={len(retrieval)})"
        )

        first: list[float] = []
        full: list[float] = []
        history: list[dict[str, str]] = []
        for q in QUESTIONS[: args.questions]:
            t0 = time.perf_counter()
            got_first = None
            answer = None
            for chunk in assistant.stream(q, history):
                if got_first is None and chunk.delta:
                    got_first = time.perf_counter() - t0
                answer = chunk.answer or answer
            full.append(time.perf_counter() - t0)
            first.append(got_first or full[-1])
            history = [
                {"role": "user", "content": q},
                {"role": "assistant", "content": answer.text if answer else ""},
            ]
        label = "extractive (no LLM)" if args.no_llm else assistant.model_label
        print(
            f"answers with {label}: first text p50 {pct(first, 0.5):.2f} s, p95 {pct(first, 0.95):.2f} s; "
            f"full p50 {pct(full, 0.5):.2f} s, p95 {pct(full, 0.95):.2f} s (n={len(full)})"
        )
        print(f"ratio full/first-text p50: {pct(full, 0.5) / max(pct(first, 0.5), 1e-6):.1f}x")
        print(f"peak RSS: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
