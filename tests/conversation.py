"""A short chat with an assistant, as the UI sends it: each answer after the turns before it."""

from __future__ import annotations

from assistant.models import Answer
from assistant.service import Assistant


def ask_after(
    assistant: Assistant, earlier: str, question: str, shown: str | None = None
) -> tuple[Answer, Answer]:
    """Ask `earlier`, then `question` with that turn in the history (typed there as `shown`, when
    the coder's first message differed from what the test asks); both answers."""
    first = assistant.ask(earlier)
    history = [{"role": "user", "content": shown or earlier}, {"role": "assistant", "content": first.text}]
    return first, assistant.ask(question, history)
