"""The engine's turn as an LCEL runnable, for LangChain callers (`invoke`, `stream`, `batch`,
callbacks and tracing): prepare (analyse, retrieve, decide) | generate (LLM, checked).

The service answers through `Engine.run`, the same two steps, so that a question the CMS tables
answer never imports LangChain's runnables (most of a second of a cold start);
`tests/unit/test_lcel.py` holds the two to the same answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from langchain_core.runnables import Runnable, RunnableGenerator, RunnableLambda

from assistant.chain import AnswerChunk, Draft, Engine, History
from assistant.conversation import Conversation
from assistant.models import Answer


def build_chain(engine: Engine) -> Runnable[dict[str, Any], AnswerChunk]:
    """LCEL: prepare | generate, streaming chunks; the last one carries the checked Answer."""

    def run(drafts: Iterator[tuple[Draft, History]]) -> Iterator[AnswerChunk]:
        for draft, history in drafts:
            yield from engine.generate(draft, history)

    def prepare_turn(inputs: dict[str, Any]) -> tuple[Draft, History]:
        return engine.prepare(inputs), inputs.get("history") or []

    prepare: RunnableLambda[dict[str, Any], tuple[Draft, History]] = RunnableLambda(prepare_turn)
    return prepare | RunnableGenerator(run)


def ask(chain: Runnable[dict[str, Any], AnswerChunk], question: str, history: History = ()) -> Answer:
    """One turn through the runnable; a typed `Conversation` gets the turn appended."""
    result = chain.invoke({"question": question, "history": history})
    assert result.answer is not None and result.turn is not None  # the generator always ends so
    if isinstance(history, Conversation):
        history.add(result.turn)
    return result.answer
