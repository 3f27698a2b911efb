"""The real thing: real embedder, real Chroma directory under tmp, the embedded LLM (and LLM off)."""

from __future__ import annotations

import pytest

from assistant.service import Assistant
from tests.conversation import ask_after

Q = "is ureteropyelography included in 50576?"


@pytest.fixture(params=["llamacpp", "none"])
def assistant(
    request: pytest.FixtureRequest, real_assistant: Assistant, extractive_assistant: Assistant
) -> Assistant:
    return real_assistant if request.param == "llamacpp" else extractive_assistant


def known(assistant: Assistant) -> set[str]:
    return set(assistant.index.records)


def test_ureteropyelography_in_50576_is_separate(assistant: Assistant) -> None:
    answer = assistant.ask(Q)
    assert answer.verdict == "separate"
    assert any(c.code == "50576" for c in answer.citations)
    assert "supervision and interpretation" in answer.text
    # Every code named is in the knowledge base or quoted in a cited passage.
    quoted = " ".join(c.quote for c in answer.citations)
    assert all(code in known(assistant) or code in quoted for code in answer.codes)


def test_follow_up_fulguration_resolves_to_50576(assistant: Assistant) -> None:
    first = assistant.ask(Q)
    history = [{"role": "user", "content": Q}, {"role": "assistant", "content": first.text}]
    answer = assistant.ask("does it include fulguration?", history)
    assert answer.question_codes == ["50576"]
    assert answer.verdict == "included"
    assert answer.citations and answer.citations[0].code == "50576"


def test_unknown_code_is_not_covered(assistant: Assistant) -> None:
    answer = assistant.ask("what is 99999?")
    assert answer.verdict == "out_of_scope" and "not covered" in answer.text
    assert answer.codes == ["99999"] and not answer.citations


def test_lookup_finds_the_stent_code(assistant: Assistant) -> None:
    answer = assistant.ask("which code for ureteroscopy with laser lithotripsy and a stent?")
    assert answer.codes[0] == "52356"


def test_pair_question_answered_from_the_table(assistant: Assistant) -> None:
    answer = assistant.ask("can I bill 52000 with 52332?")
    assert answer.verdict == "included"
    assert answer.rules and "52332 / 52000, modifier 0" in answer.rules[0].label


def test_embedded_llm_streams(real_assistant: Assistant) -> None:
    chunks = list(real_assistant.stream(Q))
    assert chunks[0].delta.startswith("No, not included")
    assert chunks[-1].answer is not None and chunks[-1].answer.verdict == "separate"


def test_a_turn_naming_another_procedure_by_title_is_not_a_follow_up(assistant: Assistant) -> None:
    _, later = ask_after(
        assistant,
        "office cysto 52000 this morning, can I bill 51700 with it?",
        "Anything more reportable for Gerota's fascia with a laparoscopic radical nephrectomy?",
        shown="office cysto 52000 this morning",
    )
    assert later.subject_codes == ["50545"] and later.verdict == "included"
