"""Browser-test fixtures: the real app in a subprocess on a free loopback port, and Debian's chromium.

The app runs exactly as `python app.py` does, pointed at the session's real index through
CODECITE_* environment variables, with the embedded LLM.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from assistant.config import Settings
from benchmarks.processes import free_port, http_ok, running

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = ROOT / "artifacts" / "browser"
START_TIMEOUT_S = 240
# The laptop and phone sizes of issue 12; tests run at both with `both_widths`.
VIEWPORTS = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 400, "height": 800}}
both_widths = pytest.mark.parametrize("page", list(VIEWPORTS), indirect=True)
AXE_VERSION = "4.14.1"
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.is_file():
        return f"browser tests need Debian chromium at {CHROMIUM}: apt-get install -y chromium"
    if importlib.util.find_spec("playwright") is None:
        return "browser tests need the playwright package: pip install -e '.[dev]'"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = missing()
    if reason:
        for item in items:
            if "tests/browser/" in str(item.fspath).replace("\\", "/"):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def app_url(real_index_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real app (`python app.py`) on the session's real index; stopped after the session."""
    port = free_port()
    env = {
        **os.environ,
        "CODECITE_KNOWLEDGE_DIR": str(real_index_settings.knowledge_dir),
        "CODECITE_DATA_DIR": str(real_index_settings.data_dir),
        "CODECITE_RULES_PATH": str(real_index_settings.rules_db),
        "CODECITE_LLM__PROVIDER": real_index_settings.llm.provider,
        "CODECITE_UI__HOST": "127.0.0.1",
        "CODECITE_UI__PORT": str(port),
        "GRADIO_ANALYTICS_ENABLED": "False",
        "HF_HUB_OFFLINE": "1",
    }
    log = tmp_path_factory.mktemp("app") / "app.log"
    url = f"http://127.0.0.1:{port}/"
    with running([sys.executable, "app.py"], http_ok(url), log, START_TIMEOUT_S, cwd=ROOT, env=env):
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, app_url: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh page on the app at the laptop size (or `both_widths`); its screenshot is saved under
    artifacts/browser/ whatever the outcome."""
    size = VIEWPORTS[getattr(request, "param", "laptop")]
    context = browser.new_context(viewport=size, accept_downloads=True)
    outside: list[str] = []
    context.on("request", lambda r: None if r.url.startswith(app_url) else outside.append(r.url))
    pg = context.new_page()
    pg.goto(app_url)
    pg.wait_for_selector("#cc-question textarea")
    yield pg
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = request.node.name.replace("[", "-").replace("]", "")
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"))  # the viewport: what a coder sees
    pg.screenshot(path=str(ARTIFACTS / f"{name}-full.png"), full_page=True)
    context.close()
    # The page must work offline: no fonts, scripts or telemetry from outside the app.
    assert not [u for u in outside if not u.startswith(("data:", "blob:"))], outside


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core from the npm registry (installed into tests/browser/node_modules once), or a skip."""
    npm = shutil.which("npm")
    if not AXE.is_file() and npm:
        subprocess.run(
            [
                npm,
                "install",
                "--no-save",
                "--no-package-lock",
                "--prefix",
                str(AXE.parents[2]),
                f"axe-core@{AXE_VERSION}",
            ],
            capture_output=True,
            timeout=180,
            check=False,
        )
    if not AXE.is_file():
        pytest.skip(
            f"the accessibility check needs axe-core: "
            f"npm install --prefix tests/browser axe-core@{AXE_VERSION}"
        )
    return AXE.read_text(encoding="utf-8")
