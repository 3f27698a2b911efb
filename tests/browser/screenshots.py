"""Refresh the README screenshots from a running app, at the laptop and the phone size.

    .venv/bin/codecite serve --port 7860 &
    .venv/bin/python -m tests.browser.screenshots http://127.0.0.1:7860/

Not a test: it writes docs/screenshot.png (1366x768) and docs/screenshot-phone.png (400 px).
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORTS
from tests.browser.helpers import CAN_I_BILL, QUESTION, ask

DOCS = Path(__file__).resolve().parents[2] / "docs"
TARGETS = {"laptop": DOCS / "screenshot.png", "phone": DOCS / "screenshot-phone.png"}


def main(url: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for name, target in TARGETS.items():
            page = browser.new_page(viewport=VIEWPORTS[name])
            page.goto(url)
            page.wait_for_selector("#cc-question textarea")
            ask(page, QUESTION, 0)
            bubble = ask(page, CAN_I_BILL, 1)
            if name == "laptop":  # show a clicked [n] and its highlighted card
                bubble.locator("a.cc-ref").first.click()
                page.wait_for_timeout(500)
            page.screenshot(path=str(target))
            print(f"wrote {target}")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:7860/")
