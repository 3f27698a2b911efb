"""Issue 12 in a real browser, at 1366x768 and at 400 px: each bug of its "Why" list that the UI owns.

Expectations about the chain's answers come from the same answer through the API, never from a
hard-coded verdict, so the tests check what the UI does with whatever the chain decides.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from assistant.config import Settings
from assistant.feedback import FeedbackStore
from tests.browser.conftest import both_widths
from tests.browser.helpers import (
    CAN_I_BILL,
    CLAIM_QUESTION,
    FINAL_BADGE,
    FOLLOW_UP,
    QUESTION,
    WATCH_BUBBLE,
    WATCH_QUEUE,
    ask,
    badge_class,
    box,
    download,
    in_viewport,
    send,
    settled,
    wait_answer,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page


def api_answer(app_url: str, question: str, history: list[dict[str, str]] | None = None) -> dict[str, Any]:
    client = pytest.importorskip("gradio_client").Client(app_url, verbose=False)
    answer: dict[str, Any] = client.predict(question, history or [], api_name="/ask")
    return answer


@both_widths
def test_can_i_bill_shows_the_badge_first_and_answers_no(page: Page, app_url: str) -> None:
    page.evaluate(WATCH_BUBBLE)
    bubble = ask(page, CAN_I_BILL, 0)
    text = bubble.inner_text().strip()
    badge = bubble.locator(".cc-badge")
    # the first sentence answers the question asked, under the badge
    assert text.startswith(badge.inner_text().strip()) and "\nNo, " in text
    effect = badge_class(badge, "cc-effect-")
    assert effect == "not_billable"  # neither the words nor the colour read as "go ahead"
    assert effect == api_answer(app_url, CAN_I_BILL)["claim_effect"]  # the API says the same
    assert "Decided by:" in text
    states: list[dict[str, Any]] = page.evaluate("window.ccStates")
    assert states[0]["effect"] == "working"  # the badge is there before any text
    tops = {round(s["textTop"]) for s in states if s["textTop"] is not None}
    assert len(tops) == 1, states  # the text never moves when the badge changes
    assert in_viewport(page, badge)  # not 960 px down on a phone


def test_unrelated_questions_after_a_claim_inherit_nothing(page: Page) -> None:
    claim = ask(page, CLAIM_QUESTION, 0)
    cake = ask(page, "What's the best recipe for banana bread?", 1)
    badge = cake.locator(".cc-badge")
    assert badge_class(badge, "cc-verdict-") == "out_of_scope"
    assert badge_class(badge, "cc-effect-") == "unknown"  # grey, never a green "Included"
    assert cake.inner_text() != claim.inner_text()  # not the previous answer again
    lookup = ask(page, "cysto with stent placement, which code?", 2)
    assert "Billable as submitted" not in lookup.inner_text()
    assert "52356" not in lookup.locator(".cc-badge").inner_text()


def test_laptop_has_everything_above_the_fold(page: Page) -> None:
    bubble = ask(page, QUESTION, 0)
    for locator in (
        bubble.locator(".cc-badge"),
        page.locator("#cc-head .cc-badge"),
        page.locator("#cc-sources .cc-source").first,
        page.locator("#cc-new"),
        page.locator("#cc-export-md"),
        page.locator("#cc-export-json"),
        page.locator("#cc-stop"),
        page.locator("#cc-regen"),
        page.locator("#cc-question textarea"),
    ):
        assert in_viewport(page, locator), locator
    assert download(page, "#cc-export-md").read_text().startswith("# CodeCite evidence packet")  # one click


@both_widths
def test_no_label_covers_the_badge_of_a_scrolled_message(page: Page) -> None:
    ask(page, QUESTION, 0)
    bubble = ask(page, FOLLOW_UP, 1)
    badge = bubble.locator(".cc-badge")
    # scroll the chat so the badge sits at its top edge, where the old "Conversation" label was
    page.evaluate(
        """() => { const wrap = document.querySelector('#cc-chat .bubble-wrap');
        const badges = wrap.querySelectorAll('.bot-row .cc-badge'); const b = badges[badges.length - 1];
        wrap.scrollTop += b.getBoundingClientRect().top - wrap.getBoundingClientRect().top; }"""
    )
    b = box(badge)
    covered = page.evaluate(
        "([x, y]) => !document.elementFromPoint(x, y).closest('.cc-badge')",
        [b["x"] + b["width"] / 2, b["y"] + 4],
    )
    assert not covered


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_phone_stacks_answer_first_full_width_box_collapsible_sources(page: Page) -> None:
    bubble = ask(page, QUESTION, 0)
    question, chat = box(page.locator("#cc-question")), box(page.locator("#cc-chat"))
    assert question["width"] >= chat["width"] - 2  # full width, not half
    assert box(bubble)["y"] < box(page.locator("#cc-sources-box"))["y"]  # the answer comes first
    assert in_viewport(page, bubble.locator(".cc-badge"))
    sources = page.locator("#cc-sources")
    assert sources.is_visible()
    page.locator("#cc-sources-box").get_by_text("Sources").first.click()  # the accordion's header
    sources.wait_for(state="hidden")
    page.locator("#cc-sources-box").get_by_text("Sources").first.click()
    sources.wait_for(state="visible")


@both_widths
def test_citation_markers_open_their_source_by_mouse_and_keyboard(page: Page) -> None:
    first = ask(page, QUESTION, 0)
    first.locator("a.cc-ref").first.click()
    card = page.locator("#cc-src-0-1")
    page.wait_for_function("document.querySelector('#cc-src-0-1')?.classList.contains('cc-hl')")
    assert card.evaluate("e => document.activeElement === e")  # focus moves to the card
    top, height = box(card)["y"], (page.viewport_size or {"height": 0})["height"]
    assert 0 <= top < height  # scrolled into view
    second = ask(page, FOLLOW_UP, 1)
    second.locator("a.cc-ref").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('#cc-src-1-1')?.classList.contains('cc-hl')")
    # a marker of an earlier answer switches the panel back to that answer
    first.locator("a.cc-ref").first.click()
    page.locator("#cc-head").get_by_text("Answer 1 of 2").wait_for()
    page.wait_for_function("document.querySelector('#cc-src-0-1')?.classList.contains('cc-hl')")


def test_keyboard_focus_is_visible(page: Page) -> None:
    ask(page, QUESTION, 0)
    seen: list[str] = []
    for _ in range(12):
        page.keyboard.press("Tab")
        style = page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
            return [e.tagName + '#' + (e.id || e.className), s.outlineStyle, s.outlineWidth]; }"""
        )
        seen.append(style[0])
        if style[0].startswith(("BUTTON", "A", "TEXTAREA", "INPUT")):
            assert style[1] != "none" and style[2] != "0px", style
    assert any(s.startswith("BUTTON") for s in seen), seen


def test_code_chip_without_record_says_what_the_tables_know(page: Page) -> None:
    ask(page, QUESTION, 0)  # cites 74425, which has no knowledge record
    page.locator("#cc-chips button", has_text="74425").first.click()
    record = page.locator("#cc-record .cc-record[data-code='74425']")
    record.wait_for()
    text = record.inner_text()
    assert "no knowledge record" in text and "Global period" in text
    assert "not covered" not in text


def test_rule_cards_use_human_labels(page: Page) -> None:
    ask(page, "what is the global period for 50590?", 0)
    card = page.locator("#cc-sources .cc-rule[data-kind='rvu']").first
    text = card.inner_text()
    for label in ("Global period", "Multiple-procedure rule", "Bilateral indicator"):
        assert label in text
    assert "GLOB" not in text.upper().replace("GLOBAL", "")


@both_widths
def test_feedback_is_one_button_and_a_downvote_saves_a_test_case(
    page: Page, real_index_settings: Settings
) -> None:
    store = FeedbackStore(real_index_settings.feedback_path)
    before = len(store.read_candidates())
    ask(page, QUESTION, 0)
    assert not page.locator("#cc-fb-down").is_visible()  # collapsed
    page.locator("#cc-feedback").get_by_text("Feedback on this answer").click()
    page.click("#cc-fb-down")
    page.locator("#cc-fb-label").get_by_text("Wrong verdict").click()
    page.fill("#cc-fb-expected textarea", "74425 is reported separately")
    page.click("#cc-fb-send")
    page.get_by_text("Saved answer 1 as a test case").wait_for()
    candidates = store.read_candidates()
    assert len(candidates) == before + 1
    assert candidates[-1].turns == [] and candidates[-1].expect["expected_answer"].startswith("74425")
    assert QUESTION.lower() not in candidates[-1].model_dump_json().lower()  # not unless ticked
    assert QUESTION.lower() not in store.path.read_text().lower()  # the feedback log never holds it
    page.click("#cc-fb-down")  # again, now sharing the question
    page.locator("#cc-fb-label").get_by_text("Other").click()
    page.locator("#cc-fb-include").get_by_text("Include my question").click()
    page.click("#cc-fb-send")
    page.get_by_text("as a test case (Other)").wait_for()
    assert store.read_candidates()[-1].turns == [QUESTION]


@both_widths
def test_a_question_sent_while_answering_is_queued_and_answered(page: Page) -> None:
    page.evaluate(WATCH_QUEUE)
    send(page, QUESTION)
    page.locator("#cc-chat .bot-row .cc-badge").first.wait_for()  # the first is being answered
    send(page, FOLLOW_UP)
    wait_answer(page, 1)
    users = page.locator("#cc-chat .user-row").all_inner_texts()
    assert [u.strip() for u in users] == [QUESTION, FOLLOW_UP]  # none dropped, in order
    # the queued follow-up saw the first answer: it is about 50576 too
    assert badge_class(page.locator(FINAL_BADGE).nth(1), "cc-verdict-") == "included"
    queue_seen: list[str] = page.evaluate("window.ccQueue")
    assert any("Queued (1)" in q and FOLLOW_UP in q for q in queue_seen), queue_seen  # shown, waiting


def test_regenerate_answers_the_last_question_again(page: Page) -> None:
    ask(page, QUESTION, 0)
    page.click("#cc-regen")
    page.locator(FINAL_BADGE).first.wait_for(state="detached")
    wait_answer(page, 0)
    assert page.locator("#cc-chat .user-row").count() == 1 and page.locator(FINAL_BADGE).count() == 1


@both_widths
def test_axe_finds_no_wcag_aa_violations(page: Page, axe_source: str) -> None:
    ask(page, QUESTION, 0)
    page.locator("#cc-feedback").get_by_text("Feedback on this answer").click()
    page.click("#cc-fb-down")  # the feedback form's fields are checked too
    page.locator("#cc-fb-expected").wait_for()
    settled(page)
    page.add_script_tag(content=axe_source)
    rules = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    violations = page.evaluate("async (o) => (await axe.run(document, o)).violations", rules)
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    page.get_by_role("tab", name="Check a claim").click()
    page.fill("#cc-claim-lines textarea", "52356\n52332\n52000")
    page.click("#cc-claim-check")
    page.locator("#cc-claim-result tr[data-code='52356']").wait_for()
    settled(page)
    violations = page.evaluate("async (o) => (await axe.run(document, o)).violations", rules)
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
