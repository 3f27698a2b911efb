"""Markdown images and raw HTML from a model or a question never render, and nothing is fetched
(issue 15). The model's reply is one the checker accepts, so it really reaches the page."""

from __future__ import annotations

import http.server
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from assistant.config import Settings
from benchmarks.processes import free_port, http_ok, running
from tests.browser.conftest import ROOT, START_TIMEOUT_S
from tests.browser.helpers import ask

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture
def tracker() -> Iterator[tuple[str, list[str]]]:
    """A loopback server that records every request made to it: (its base URL, the paths)."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("role", ["explain", "write"])
def test_model_images_and_html_never_render(
    browser: Browser,
    real_index_settings: Settings,
    tracker: tuple[str, list[str]],
    tmp_path: Path,
    role: str,
) -> None:
    base, seen = tracker
    reply = (
        "Ureteropyelography is reported separately from 50576 [1]. "
        f'![track]({base}/model.png) <img src="{base}/raw.png" onerror="window.__pwned=1">'
    )
    port = free_port()
    env = {
        **os.environ,
        "CODECITE_KNOWLEDGE_DIR": str(real_index_settings.knowledge_dir),
        "CODECITE_DATA_DIR": str(real_index_settings.data_dir),
        "CODECITE_RULES_PATH": str(real_index_settings.rules_db),
        "CODECITE_LLM__PROVIDER": "fake",
        "CODECITE_LLM__ROLE": role,
        "CODECITE_UI__PORT": str(port),
        "CODECITE_TEST_REPLY": reply,
        "GRADIO_ANALYTICS_ENABLED": "False",
        "HF_HUB_OFFLINE": "1",
    }
    url = f"http://127.0.0.1:{port}/"
    cmd = [sys.executable, "-m", "tests.browser.hostile_app"]
    with running(cmd, http_ok(url), tmp_path / "app.log", START_TIMEOUT_S, cwd=ROOT, env=env):
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("#cc-question textarea")
        bubble = ask(page, "Is ureteropyelography included in 50576?", 0)
        text = bubble.inner_text()
        assert "reported separately from 50576" in text  # the model's reply is on the page...
        assert "<img" in text and "![track]" in text  # ...as typed, inert
        question = (
            f'what is 50570? ![q]({base}/question.png) <img src="{base}/q.png" onerror="window.__pwned=2">'
        )
        ask(page, question, 1)
        assert "<img" in page.locator("#cc-chat .user-row").nth(1).inner_text()
        page.wait_for_timeout(1000)  # time for any image to be requested
        assert page.locator("#cc-chat img").count() == 0
        assert page.evaluate("window.__pwned === undefined")
        context.close()
    assert seen == []  # nothing was fetched from the model's or the question's URLs
