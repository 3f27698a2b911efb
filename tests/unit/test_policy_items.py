"""Every NCCI urinary policy item has a policy record that cites it and a coder question
(tests/data/policy_questions.yaml) that the integration test asks (issue 13)."""

from __future__ import annotations

from collections import Counter

from tests.policy_items import POLICY_DIR, PolicyQuestion, load_policy, load_policy_questions, manual_items

# ch. VII sec. C items 1-30, sec. H item 3 and the sec. I items of the urinary excerpt
# (../shared/reference/cms/ncci_policy_manual_medicaid_2025_ch7_urinary_excerpts.txt).
CH7_ITEMS = (
    {f"VII.C.{n}" for n in range(1, 31)} | {"VII.H.3", "VII.I.6"} | {f"VII.I.{n}" for n in range(12, 16)}
)
CH1_TOPICS = {
    "diagnostic vs surgical endoscopy",
    "the most comprehensive code",
    "modifier 59 and X{EPSU}",
    "the anatomic modifiers",
}


def test_every_urinary_item_and_ch1_rule_has_one_question() -> None:
    rows = load_policy_questions()
    ch7 = Counter(r.item for r in rows if r.item.startswith("VII."))
    assert set(ch7) == CH7_ITEMS
    assert [item for item, n in ch7.items() if n > 1] == []
    assert sorted(r.topic for r in rows if not r.item.startswith("VII.")) == sorted(CH1_TOPICS)


def test_the_record_of_each_item_exists_and_cites_it(policy_question: PolicyQuestion) -> None:
    assert (POLICY_DIR / f"{policy_question.policy}.md").exists(), policy_question.policy
    record = load_policy(policy_question.policy)
    assert policy_question.item in manual_items(record), (
        policy_question.item,
        sorted(manual_items(record)),
    )


def test_questions_are_our_own_and_distinct() -> None:
    rows = load_policy_questions()
    texts = [r.question.casefold() for r in rows]
    assert len(set(texts)) == len(texts)
    assert all(r.question.endswith("?") for r in rows)
