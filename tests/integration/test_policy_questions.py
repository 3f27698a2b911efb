"""Each NCCI urinary policy item's coder question, asked against the whole knowledge base in real
Chroma with MiniLM and no LLM: the item's policy record is in the top passages and the answer
cites it (issue 13; questions in tests/data/policy_questions.yaml)."""

from __future__ import annotations

import pytest

from assistant.conversation import Conversation
from assistant.service import Assistant
from tests.policy_items import PolicyQuestion

pytestmark = pytest.mark.integration
TOP = 5  # the passages the evaluation's retrieval recall looks at


def test_the_policy_record_is_retrieved_and_cited(
    extractive_assistant: Assistant, policy_question: PolicyQuestion
) -> None:
    key = f"policy:{policy_question.policy}"
    draft = extractive_assistant.engine.prepare(
        {"question": policy_question.question, "history": Conversation()}
    )
    top = [h.passage.code for h in draft.hits[:TOP]]
    assert key in top, (policy_question.item, top)
    answer = extractive_assistant.ask(policy_question.question)
    cited = [c.code for c in answer.citations]
    assert key in cited, (policy_question.item, answer.decided_by, cited)
