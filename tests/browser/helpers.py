"""What the browser tests do as a coder does: ask, wait for the checked answer, export, measure."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

ANSWER_TIMEOUT_MS = 120_000  # the embedded LLM on a loaded CPU
# The chat's sanitizer drops data-* attributes: effect and verdict are the badge's classes there.
FINAL_BADGE = "#cc-chat .bot-row .cc-badge:not(.cc-effect-working)"
QUESTION = "Is ureteropyelography included in 50576?"
FOLLOW_UP = "does it include fulguration?"
CAN_I_BILL = "Can I bill 52000 with 52332?"
CLAIM_QUESTION = "my claim has 52356, 52332 and 52000, what's billable?"


def send(page: Page, question: str) -> None:
    page.fill("#cc-question textarea", question)
    page.click("#cc-ask")


def ask(page: Page, question: str, answers_before: int) -> Locator:
    """Type a question, send it, wait until its checked answer is in the chat; its bubble."""
    send(page, question)
    return wait_answer(page, answers_before)


def wait_answer(page: Page, answers_before: int) -> Locator:
    page.locator(FINAL_BADGE).nth(answers_before).wait_for(timeout=ANSWER_TIMEOUT_MS)
    n = answers_before + 1
    if n > 1:  # the side panel follows the newest answer
        page.locator("#cc-head").get_by_text(f"Answer {n} of {n}").wait_for()
    else:
        page.locator("#cc-head .cc-badge").wait_for()
    return page.locator("#cc-chat .bot-row").nth(answers_before)


def download(page: Page, button: str) -> Path:
    """One click on an export button downloads the packet."""
    with page.expect_download() as info:
        page.click(button)
    return Path(info.value.path())


def export_json(page: Page) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(download(page, "#cc-export-json").read_text())
    return data


def box(locator: Locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, "element not rendered"
    return found


def badge_class(badge: Locator, prefix: str) -> str:
    """The badge's effect (prefix "cc-effect-") or verdict ("cc-verdict-") from its classes."""
    classes = (badge.get_attribute("class") or "").split()
    found = [c.removeprefix(prefix) for c in classes if c.startswith(prefix)]
    assert len(found) == 1, classes
    return found[0]


def in_viewport(page: Page, locator: Locator) -> bool:
    """Entirely visible without scrolling the page."""
    size = page.viewport_size
    assert size is not None
    b = box(locator)
    return b["y"] >= 0 and b["x"] >= 0 and b["y"] + b["height"] <= size["height"] + 0.5


# Records each state of the newest answer bubble: its badge and where its text starts.
WATCH_BUBBLE = """() => {
  window.ccStates = [];
  const record = () => {
    const rows = document.querySelectorAll('#cc-chat .bot-row');
    const row = rows[rows.length - 1];
    const badge = row && row.querySelector('.cc-badge');
    const text = row && [...row.querySelectorAll('p')].find((p) => !p.closest('.cc-badge-row'));
    if (!badge) return;
    const top = row.getBoundingClientRect().top;
    const effect = [...badge.classList].find((c) => c.startsWith('cc-effect-'));
    window.ccStates.push({effect: effect.slice('cc-effect-'.length),
                          textTop: text ? text.getBoundingClientRect().top - top : null});
  };
  new MutationObserver(record).observe(document.querySelector('#cc-chat'),
    {childList: true, subtree: true, characterData: true});
}"""

# Records every text the queue line under the chat shows.
WATCH_QUEUE = """() => {
  window.ccQueue = [];
  new MutationObserver(() => {
    const text = document.querySelector('#cc-queue').innerText.trim();
    if (text) window.ccQueue.push(text);
  }).observe(document.querySelector('#cc-queue'), {childList: true, subtree: true, characterData: true});
}"""


def settled(page: Page) -> None:
    """Wait until Gradio's fades have ended (axe would measure a half-faded colour)."""
    page.wait_for_function(
        """() => !document.querySelector('.pending') && document.getAnimations().every(
            (a) => a.playState !== 'running' || a.effect.getComputedTiming().iterations === Infinity)"""
    )
