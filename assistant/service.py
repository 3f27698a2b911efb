"""One service the CLI, the UI and the evaluation share: build the parts once, answer turns.

Audit records hold metadata only (time, intent, verdict, codes, latency, flags): never the
question text, which may carry patient details.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import Runnable

from assistant.chain import AnswerChunk, Engine, History, ask, build_chain
from assistant.claim import ClaimReport, parse_dos
from assistant.claim_checks import check_claim
from assistant.claim_kb import RecordKnowledge
from assistant.config import Settings
from assistant.conversation import Conversation
from assistant.embed import make_embedder
from assistant.index import KnowledgeIndex, open_index
from assistant.llm import make_chat_model, model_label
from assistant.models import Answer
from assistant.retrieve import HybridSearcher
from assistant.rules import load_rules
from assistant.rulesdb import ClaimType, RulesDB


@dataclass
class Assistant:
    settings: Settings
    index: KnowledgeIndex
    searcher: HybridSearcher
    engine: Engine
    chain: Runnable[dict[str, Any], AnswerChunk]
    rules: RulesDB

    @property
    def model_label(self) -> str:
        return model_label(self.settings.llm)

    def ask(self, question: str, history: History = ()) -> Answer:
        started = time.perf_counter()
        answer = ask(self.chain, question, history)
        self.audit(answer, time.perf_counter() - started)
        return answer

    def stream(self, question: str, history: History = ()) -> Iterator[AnswerChunk]:
        started = time.perf_counter()
        for chunk in self.chain.stream({"question": question, "history": history}):
            if chunk.answer is not None:
                self.audit(chunk.answer, time.perf_counter() - started)
            if chunk.turn is not None and isinstance(history, Conversation):
                history.add(chunk.turn)
            yield chunk

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
            "codes": answer.codes,
            "citations": len(answer.citations),
            "rules": len(answer.rules),
            "flags": answer.flags,
            "llm": self.model_label if answer.llm_used else "none",
            "latency_s": round(seconds, 3),
        }
        self._write_audit(entry)

    def _write_audit(self, entry: dict[str, Any]) -> None:
        self.settings.audit_path.parent.mkdir(parents=True, exist_ok=True)
        with self.settings.audit_path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")


def build_assistant(
    settings: Settings,
    embedder: Embeddings | None = None,
    chat_model: BaseChatModel | None = None,
    index: KnowledgeIndex | None = None,
) -> Assistant:
    """Wire the configured parts; tests pass their own embedder, model or in-memory index."""
    embedder = embedder or make_embedder(settings.embedder)
    index = index or open_index(settings)
    searcher = HybridSearcher(index, embedder, settings.retrieval)
    model = chat_model if chat_model is not None else make_chat_model(settings.llm)
    rules = load_rules(settings.rules_db)
    engine = Engine(settings, searcher, model, rules)
    return Assistant(settings, index, searcher, engine, build_chain(engine), rules)
