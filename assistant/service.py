"""One service the CLI, the UI and the evaluation share: build the parts once, answer turns.

Audit records hold metadata only (time, intent, verdict, codes, latency, flags): never the
question text, which may carry patient details.

`ask` and `stream` are the one entry point every front end goes through, so input limits live
here: a question over MAX_QUESTION_CHARS gets a one-line answer instead of being analysed (the
analysis and ranking cost grows with its length), and the history is bounded and cleaned.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

from assistant.chain import AnswerChunk, Engine, History
from assistant.claim import ClaimReport, parse_dos
from assistant.claim_checks import check_claim
from assistant.claim_kb import RecordKnowledge
from assistant.codes import clean
from assistant.config import Settings
from assistant.conversation import Conversation, is_langchain_message
from assistant.index import KnowledgeIndex, open_index
from assistant.llm import make_chat_model, model_label
from assistant.models import Answer
from assistant.retrieve import HybridSearcher
from assistant.rules import load_rules
from assistant.rulesdb import ClaimType, RulesDB

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage
    from langchain_core.runnables import Runnable

MAX_QUESTION_CHARS = 4000  # a long question with pasted notes fits; a pasted chart does not
MAX_HISTORY_MESSAGES = 20  # the last ten exchanges: follow-ups look back a turn or two
# A lookup (embeds the question, ranks records) and a code question (the tables, the model).
WARM_QUESTIONS = ("which code for ureteroscopy with lithotripsy?", "is cystoscopy included in 52332?")


def too_long_answer(length: int) -> Answer:
    return Answer(
        text=f"This question is {length:,} characters long; the limit is {MAX_QUESTION_CHARS:,}. "
        "Ask one question at a time, without pasted notes.",
        flags=["question_too_long"],
    )


EMPTY_INDEX = Answer(
    text="The index is empty: run `codecite ingest` to build it, then ask again.", flags=["index_empty"]
)


def _text(question: object) -> str:
    """The question as the chain reads it: NFKC (full-width digits), no lone surrogates; an API
    caller's non-string is an empty question."""
    return clean(question) if isinstance(question, str) else ""


def clean_history(history: object) -> History:
    """A typed conversation as it is (the service built it); of plain messages, the last
    MAX_HISTORY_MESSAGES well-formed ones, each capped; anything else is dropped (an API caller
    may send any JSON)."""
    if isinstance(history, Conversation):
        return history
    if not isinstance(history, Sequence) or isinstance(history, str | bytes):
        return []
    kept: list[BaseMessage | Mapping[str, object]] = []
    for message in list(history)[-MAX_HISTORY_MESSAGES:]:
        if is_langchain_message(message):
            kept.append(cast("BaseMessage", message))
        elif isinstance(message, Mapping):
            role, content = message.get("role", "user"), message.get("content", "")
            if isinstance(role, str) and isinstance(content, str):
                kept.append({"role": role, "content": clean(content[:MAX_QUESTION_CHARS])})
    return kept


@dataclass
class Assistant:
    settings: Settings
    index: KnowledgeIndex
    searcher: HybridSearcher
    engine: Engine
    rules: RulesDB
    _empty: bool | None = field(default=None, init=False, repr=False)
    # Answers run in parallel threads (the UI's worker pool): one audit line at a time.
    _audit_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @property
    def model_label(self) -> str:
        return model_label(self.settings.llm)

    @cached_property
    def chain(self) -> Runnable[dict[str, Any], AnswerChunk]:
        """The engine's turn as an LCEL runnable, for LangChain callers (`assistant.lcel`)."""
        from assistant.lcel import build_chain

        return build_chain(self.engine)

    def ask(self, question: str, history: History = (), audit: bool = True) -> Answer:
        answer: Answer | None = None
        for chunk in self.stream(question, history, audit):
            answer = chunk.answer or answer
        assert answer is not None  # a turn always ends with its Answer
        return answer

    def stream(self, question: str, history: History = (), audit: bool = True) -> Iterator[AnswerChunk]:
        """One turn, streamed; `audit=False` for the evaluation, whose questions no coder asked."""
        started = time.perf_counter()
        text = _text(question)
        refusal = self._refusal(text)
        if refusal is not None:
            if audit:
                self.audit(refusal, time.perf_counter() - started)
            yield AnswerChunk(delta=refusal.text, answer=refusal)
            return
        for chunk in self.engine.run({"question": text, "history": clean_history(history)}):
            if chunk.answer is not None and audit:
                self.audit(chunk.answer, time.perf_counter() - started)
            if chunk.turn is not None and isinstance(history, Conversation):
                history.add(chunk.turn)
            yield chunk

    def _refusal(self, text: str) -> Answer | None:
        """The one-line answer for a question the chain is not given, else None."""
        if len(text) > MAX_QUESTION_CHARS:
            return too_long_answer(len(text))
        if self._empty is None:  # builds are immutable: count once
            self._empty = not self.index.records or self.index.count() == 0
        return EMPTY_INDEX.model_copy(deep=True) if self._empty else None

    def warm(self) -> None:
        """Load what a first question would (embedder, speller, classifier, model) so that no coder
        waits for it; not audited: no one asked."""
        for question in WARM_QUESTIONS:
            for _ in self.engine.run({"question": question, "history": []}):
                pass

    def check(
        self, lines: Sequence[str] | str, dos: str | None = None, claim_type: str = "practitioner"
    ) -> ClaimReport:
        """The claim check over this assistant's rules and knowledge records (audit: counts only)."""
        started = time.perf_counter()
        setting: ClaimType = "hospital" if claim_type == "hospital" else "practitioner"
        report = check_claim(lines, self.rules, RecordKnowledge(self.index.records), parse_dos(dos), setting)
        entry = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "kind": "claim_check",
            "lines": len(report.lines),
            "errors": len(report.errors),
            "findings": dict(Counter(f.severity for f in report.findings)),
            "latency_s": round(time.perf_counter() - started, 3),
        }
        self._write_audit(entry)
        return report

    def audit(self, answer: Answer, seconds: float) -> None:
        entry = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "intent": answer.intent,
            "verdict": answer.verdict,
            # Only codes that exist: a number that is not one (an MRN, a ZIP) came from the question.
            "codes": [c for c in answer.codes if c in self.index.records or self.rules.knows(c)],
            "citations": len(answer.citations),
            "rules": len(answer.rules),
            "flags": answer.flags,
            "llm": self.model_label if answer.llm_used else "none",
            "latency_s": round(seconds, 3),
        }
        self._write_audit(entry)

    def _write_audit(self, entry: dict[str, Any]) -> None:
        self.settings.audit_path.parent.mkdir(parents=True, exist_ok=True)
        with self._audit_lock, self.settings.audit_path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")


def _embedder(settings: Settings) -> Embeddings:
    """The configured embedder, made when a first query needs a vector: making one imports
    LangChain's Embeddings (a third of a second), which a question the tables answer never needs."""
    from assistant.embed import make_embedder

    return make_embedder(settings.embedder, settings.model_cache)


def build_assistant(
    settings: Settings,
    embedder: Embeddings | None = None,
    chat_model: BaseChatModel | None = None,
    index: KnowledgeIndex | None = None,
) -> Assistant:
    """Wire the configured parts; tests pass their own embedder, model or in-memory index."""
    index = index or open_index(settings)
    searcher = HybridSearcher(index, embedder or (lambda: _embedder(settings)), settings.retrieval)
    model = chat_model if chat_model is not None else make_chat_model(settings.llm)
    rules = load_rules(settings.rules_db)
    engine = Engine(settings, searcher, model, rules)
    return Assistant(settings, index, searcher, engine, rules)
