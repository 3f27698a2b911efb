"""The load script works end to end: a real `codecite serve`, two sessions, a few seconds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.config import Settings
from benchmarks import load


def test_the_load_script_runs_sessions_and_writes_its_figures(
    real_index_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {
        "CODECITE_KNOWLEDGE_DIR": real_index_settings.knowledge_dir,
        "CODECITE_DATA_DIR": real_index_settings.data_dir,
        "CODECITE_RULES_PATH": real_index_settings.rules_db,
    }.items():
        monkeypatch.setenv(name, str(value))
    code = load.main(
        ["--serve", "--provider", "none", "--users", "2", "--seconds", "4", "--out", str(tmp_path)]
    )
    figures = json.loads((tmp_path / "load.json").read_text())
    assert code == 0 and figures["errors"] == 0 and figures["requests"] >= 2
    for key in ("p50_s", "p95_s", "answers_per_s", "rss_mb_start", "rss_mb_max", "rss_mb_end"):
        assert isinstance(figures[key], int | float), key
    assert figures["p50_s"] <= figures["p95_s"] and figures["rss_mb_start"] > 0
    assert figures["users"] == 2 and figures["provider"] == "none"
