"""The real app in Debian's chromium: ask, follow up, open a code record, give feedback, export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.helpers import (
    ANSWER_TIMEOUT_MS,
    FOLLOW_UP,
    QUESTION,
    ask,
    badge_class,
    download,
    export_json,
)

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page


def head_badge(page: Page) -> Locator:
    return page.locator("#cc-head .cc-badge")


def test_first_load_shows_examples_and_settings(page: Page) -> None:
    assert page.get_by_text(QUESTION).first.is_visible()  # an example question in the empty chat
    settings = page.locator("#cc-settings").inner_text()
    assert "Knowledge base" in settings and "records" in settings and "passages" in settings
    assert "llamacpp" in settings


def test_ask_follow_up_and_code_record(page: Page) -> None:
    bubble = ask(page, QUESTION, 0)
    assert head_badge(page).get_attribute("data-verdict") == "separate"
    # the chat and the panel show the same badge, text and colour
    assert bubble.locator(".cc-badge").inner_text() == head_badge(page).inner_text()
    assert bubble.locator(".cc-badge").get_attribute("class") == head_badge(page).get_attribute("class")
    source = page.locator("#cc-sources .cc-source").first
    assert source.get_attribute("data-code") == "50576"
    assert "ureteropyelography" in source.locator("mark").inner_text()
    assert "[1]" in page.locator("#cc-chat").inner_text()

    ask(page, FOLLOW_UP, 1)
    assert head_badge(page).get_attribute("data-verdict") == "included"
    assert "fulguration" in page.locator("#cc-sources mark").first.inner_text().lower()
    assert "Answer 2 of 2" in page.locator("#cc-head").inner_text()

    page.locator("#cc-chips button", has_text="50576").first.click()
    record = page.locator("#cc-record .cc-record[data-code='50576']")
    record.wait_for()
    assert "Renal endoscopy" in record.inner_text()
    assert "Reported separately".upper() in record.inner_text().upper()


def test_export_markdown_and_json(page: Page) -> None:
    bubble = ask(page, QUESTION, 0)
    markdown = download(page, "#cc-export-md").read_text()
    assert markdown.startswith("# CodeCite evidence packet")
    # the same words as the badge and its "Decided by" line
    assert f"**Verdict:** {bubble.locator('.cc-badge').inner_text().strip()}" in markdown
    assert bubble.locator(".cc-decided").inner_text().strip() in markdown
    assert QUESTION in markdown and "**[1] 50576**" in markdown and "NCCI" in markdown

    packet = export_json(page)
    assert packet["knowledge_base"]["records"] > 0
    (turn,) = packet["turns"]
    assert turn["question"] == QUESTION
    assert turn["answer"]["verdict"] == "separate"
    assert turn["answer"]["citations"][0]["code"] == "50576"
    assert turn["answer"]["claim_effect"] == badge_class(bubble.locator(".cc-badge"), "cc-effect-")


def test_new_conversation_clears_the_chat(page: Page) -> None:
    ask(page, QUESTION, 0)
    page.click("#cc-new")
    page.locator("#cc-chat .cc-badge").first.wait_for(state="detached")
    assert page.locator("#cc-head .cc-badge").count() == 0
    assert page.get_by_text(QUESTION).first.is_visible()  # the examples are back
    assert page.locator("#cc-export-md").is_disabled()  # nothing to export


def test_gradio_client_gets_the_structured_answer(app_url: str) -> None:
    client_module = pytest.importorskip("gradio_client")
    client = client_module.Client(app_url, verbose=False)
    answer = client.predict(QUESTION, [], api_name="/ask")
    assert answer["verdict"] == "separate"
    assert any(c["code"] == "50576" for c in answer["citations"])
    history = [{"role": "user", "content": QUESTION}, {"role": "assistant", "content": answer["text"]}]
    follow_up = client.predict(FOLLOW_UP, history, api_name="/ask")
    assert follow_up["verdict"] == "included"


CLAIM = "52356\n52332\n52000\n76000"


def test_claim_tab_checks_and_exports(page: Page) -> None:
    page.get_by_role("tab", name="Check a claim").click()
    page.fill("#cc-claim-lines textarea", CLAIM)
    page.click("#cc-claim-check")
    result = page.locator("#cc-claim-result")
    result.locator("tr[data-code='52356'] .cc-line-billable").wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert result.locator("tr[data-code='52000'] .cc-line-not").count() == 1
    assert result.locator("tr[data-code='52332'] .cc-line-mod").count() == 1
    assert result.locator(".cc-finding[data-severity='deny']").count() >= 1
    assert "CMS NCCI PTP practitioner 2024-07-01" in result.inner_text()
    page.click("#cc-claim-export-md")
    link = page.locator("#cc-claim-file a").first
    link.wait_for()
    with page.expect_download() as info:
        link.click()
    markdown = Path(info.value.path()).read_text()
    assert markdown.startswith("# Claim check") and "| 1 | 52356 |" in markdown
    page.fill("#cc-claim-lines textarea", "52356 5233")
    page.click("#cc-claim-check")
    page.get_by_text("input line 1: '5233' is not a CPT/HCPCS code").wait_for()


def test_gradio_client_check_api(app_url: str) -> None:
    client_module = pytest.importorskip("gradio_client")
    client = client_module.Client(app_url, verbose=False)
    report = client.predict("52356 52332 52000 76000", "", "practitioner", api_name="/check")
    assert [line["billable"] for line in report["lines"]] == [True, False, False, False]
    assert {f["kind"] for f in report["findings"]} >= {"ptp"}
    assert report["as_of"]["ptp"].startswith("2024-07-01")
    other = client.predict("43239 43235", "", "practitioner", api_name="/check")
    assert [line["billable"] for line in other["lines"]] == [True, False]


def test_clear_button_resets_the_conversation(page: Page) -> None:
    ask(page, QUESTION, 0)
    page.locator("#cc-chat button[aria-label*='lear']").first.click()
    page.locator("#cc-chat .cc-badge").first.wait_for(state="detached")
    ask(page, "is fluoroscopy included in 52332?", 0)
    head = page.locator("#cc-head").inner_text()
    assert "of 2" not in head  # the cleared exchange is gone from the state, not just hidden
    packet = export_json(page)
    assert [t["question"] for t in packet["turns"]] == ["is fluoroscopy included in 52332?"]
    # a follow-up after Clear sees only what is shown: the answer is about 52332, not 50576
    ask(page, "does it include a biopsy?", 1)
    assert "50576" not in page.locator("#cc-chat .bot-row").nth(1).inner_text()
