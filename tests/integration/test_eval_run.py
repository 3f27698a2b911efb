"""The evaluation runner end to end on the smoke set: real embedder, real index, no LLM."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.config import Settings
from evals import run

ROOT = Path(__file__).resolve().parents[2]
SMOKE = ROOT / "evals" / "datasets" / "smoke.jsonl"
SUMMARY_KEYS = {
    "n",
    "verdict_accuracy",
    "codes_recall",
    "invented_codes",
    "citation_precision",
    "out_of_scope_accuracy",
    "mention_accuracy",
    "retrieval_recall_at_5",
    "latency_p50_s",
    "latency_p95_s",
}


def test_smoke_set_runs_end_to_end(
    real_index_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The runner builds its own settings with load_settings(): point it at the fixture's index.
    monkeypatch.setenv("CODECITE_KNOWLEDGE_DIR", str(real_index_settings.knowledge_dir))
    monkeypatch.setenv("CODECITE_DATA_DIR", str(real_index_settings.data_dir))
    out = tmp_path / "smoke"
    assert run.main(["--dataset", str(SMOKE), "--out", str(out), "--provider", "none"]) == 0

    for name in ("results.jsonl", "summary.json", "report.md", "accuracy_by_intent.png", "latency.png"):
        assert (out / name).is_file(), name
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    summary = json.loads((out / "summary.json").read_text())
    assert len(rows) == summary["n"] == len(SMOKE.read_text().splitlines())
    assert set(summary) >= SUMMARY_KEYS
    for figures in summary["by_intent"].values():
        assert set(figures) >= SUMMARY_KEYS
    assert summary["failed"] == 0
    assert all(r["scores"] and r["turn_latencies_s"] for r in rows)
    assert summary["invented_codes"] == 0  # the checker removes unknown codes before answering
    assert "| metric | CodeCite |" in (out / "report.md").read_text()
