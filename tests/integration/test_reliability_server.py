"""The served app: /monitoring is off, and its private folder goes when it is stopped (issue 15)."""

from __future__ import annotations

import os
import signal
import stat
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from benchmarks.processes import free_port, http_ok, running

ROOT = Path(__file__).resolve().parents[2]


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_monitoring_is_off_and_the_private_folder_goes_at_shutdown(tmp_path: Path, stop: int) -> None:
    port = free_port()
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {
        **os.environ,
        "TMPDIR": str(temp),  # where the server's private folder is made
        "CODECITE_DATA_DIR": str(tmp_path / "no-index"),  # starts with a status line: no index
        "CODECITE_UI__PORT": str(port),
        "GRADIO_ANALYTICS_ENABLED": "False",
        "HF_HUB_OFFLINE": "1",
    }
    url = f"http://127.0.0.1:{port}"
    with running(
        [sys.executable, "app.py"], http_ok(url + "/"), tmp_path / "app.log", 120, cwd=ROOT, env=env
    ) as proc:
        (folder,) = temp.glob("codecite-exports-*")
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        for path in ("/monitoring", "/monitoring/summary"):
            assert status(url + path) == 403, path
        proc.send_signal(stop)
        assert proc.wait(timeout=30) is not None
    assert not folder.exists()
