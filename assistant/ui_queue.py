"""Each browser session's questions: those waiting, and the one being answered.

Sessions are answered in parallel; a session's own questions one after another, by whichever
call is answering it (`next`), so a question is never dropped nor answered beside its history.
"""

from __future__ import annotations

import threading
from collections import deque


class SessionQueues:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.pending: dict[str, deque[str]] = {}  # session -> questions waiting for an answer
        self.current: dict[str, str] = {}  # session -> the question being answered

    def queue(self, session: str) -> deque[str]:
        with self._lock:
            return self.pending.setdefault(session, deque())

    def next(self, session: str, first: bool) -> str | None:
        """The session's next question, marked as being answered; None when another call is
        answering this session (`first`) or the queue is empty (the session is then free). Under
        one lock, so a question queued meanwhile is never stranded."""
        with self._lock:
            queue = self.pending.setdefault(session, deque())
            if first and session in self.current:
                return None
            if not queue:
                self.current.pop(session, None)
                return None
            question = self.current[session] = queue.popleft()
            return question

    def release(self, session: str, question: str) -> None:
        """An answer that ended unfinished frees its session, unless a later answer holds it."""
        with self._lock:
            if self.current.get(session) is question:
                self.current.pop(session, None)

    def busy(self, session: str) -> bool:
        with self._lock:
            return session in self.current

    def stop(self, session: str) -> str:
        """Drop the session's queue and its answer in progress; the question that was answered."""
        with self._lock:
            self.pending.get(session, deque()).clear()
            return self.current.pop(session, "")

    def forget(self, session: str) -> None:
        with self._lock:
            self.pending.pop(session, None)
            self.current.pop(session, None)
