"""The UI conversation (`turns`, one dict per exchange): the one place that turns it into the
history the next answer reads and the chat that is shown."""

from __future__ import annotations

from typing import Any

from assistant.chain import History
from assistant.conversation import Conversation, Turn
from assistant.models import Answer
from assistant.ui_render import answer_message, inert

# [{"question": str, "answer": Answer as JSON, "typed": the conversation.Turn}], one per exchange
Turns = list[dict[str, Any]]
Chat = list[dict[str, Any]]


def history(turns: Turns) -> History:
    """The typed conversation follow-ups read (each turn keeps what its question was parsed as);
    role/content messages only for turns that came without it."""
    typed = [t.get("typed") for t in turns]
    if all(isinstance(t, Turn) for t in typed):
        return Conversation([t for t in typed if isinstance(t, Turn)])
    out: list[dict[str, str]] = []
    for turn in turns:
        out += [
            {"role": "user", "content": turn["question"]},
            {"role": "assistant", "content": turn["answer"]["text"]},
        ]
    return out


def chat_of(turns: Turns) -> Chat:
    """The chat drawn from the conversation: what is shown is exactly what the next answer sees."""
    chat: Chat = []
    for k, turn in enumerate(turns):
        answer = Answer.model_validate(turn["answer"])
        chat += [
            {"role": "user", "content": inert(turn["question"])},
            {"role": "assistant", "content": answer_message(answer, k)},
        ]
    return chat
