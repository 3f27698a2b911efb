"""A conversation as typed turns: what each question was parsed as and what was answered.

Follow-ups read `Turn.parsed` and `Turn.subject`, never the prose of an answer. The UI and the
CLI keep one `Conversation` per session; Clear, New conversation and export act on it.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from assistant.models import Answer
from assistant.parse import ParsedQuestion


def is_langchain_message(message: object) -> bool:
    """A LangChain message. One can exist only once LangChain's messages module is imported, so a
    process that never imported it (a CLI table question) does not import it to find out."""
    messages = sys.modules.get("langchain_core.messages")
    return messages is not None and isinstance(message, messages.BaseMessage)


@dataclass(frozen=True)
class Turn:
    question: str  # as typed; kept in memory for the session only, never logged
    parsed: ParsedQuestion
    answer: Answer

    @property
    def subject(self) -> list[str]:
        """The codes of ours this turn ended up about: the asked codes, or a lookup's best match."""
        return self.answer.subject_codes


@dataclass
class Conversation:
    turns: list[Turn] = field(default_factory=list)

    def add(self, turn: Turn) -> None:
        self.turns.append(turn)

    def reset(self) -> None:
        self.turns.clear()

    def __len__(self) -> int:
        return len(self.turns)

    def messages(self) -> list[dict[str, str]]:
        """Role/content messages, for an LLM prompt or a client that speaks messages."""
        out: list[dict[str, str]] = []
        for turn in self.turns:
            out += [
                {"role": "user", "content": turn.question},
                {"role": "assistant", "content": turn.answer.text},
            ]
        return out


def message_parts(message: object) -> tuple[str, str]:
    """(role, content) of a LangChain message or a role/content mapping; anything else is a user
    message with its text, so a malformed history entry never crashes a turn."""
    if is_langchain_message(message):
        return ("user" if getattr(message, "type", "") == "human" else "assistant"), str(
            getattr(message, "content", "")
        )
    if isinstance(message, Mapping):
        return str(message.get("role", "user")), str(message.get("content", ""))
    return "user", str(message)


def pairs(messages: Sequence[object]) -> list[tuple[str, str]]:
    """(question, answer text) for each user message of a plain message history."""
    out: list[tuple[str, str]] = []
    for role, content in (message_parts(m) for m in messages):
        if role == "user":
            out.append((content, ""))
        elif out:
            out[-1] = (out[-1][0], content)
    return out
