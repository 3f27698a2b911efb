"""The chat chain: resolve the turn, retrieve, decide, compose, let the LLM explain, check.

`build_chain(engine)` is an LCEL runnable (`invoke` and `stream`) over `{"question", "history"}`
that yields `AnswerChunk`s; the last chunk carries the checked `Answer`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.runnables import Runnable, RunnableGenerator, RunnableLambda
from pydantic import BaseModel

from assistant import compose
from assistant.cite import Numbered, check_generated, citations_for, codes_in, remove_codes
from assistant.claim_answer import claim_answer
from assistant.claim_checks import check_claim
from assistant.claim_kb import RecordKnowledge
from assistant.codes import find_codes, mentions
from assistant.config import Settings
from assistant.intent import TRAINING, IntentModel, load_model
from assistant.models import Answer, Hit, RuleCitation, Verdict
from assistant.records import Record
from assistant.retrieve import HybridSearcher
from assistant.rules import RulesDB, answer_rules, table_facts
from assistant.text import ABBREVIATIONS, Speller, expand_shorthand, vocabulary
from assistant.verdict import FRAME_WORDS, Question, analyze, find_evidence, message_parts

History = Sequence[BaseMessage | Mapping[str, object]]
# "Is X included / bundled / part of Y?" is answered "yes, included"; "can I bill X with Y?" "no".
ASKS_INCLUDED = re.compile(r"\b(includ\w*|bundl\w*|part of|cover\w*|inclusive)\b", re.I)

EXPLAIN_SYSTEM = (
    "You explain a medical coding answer to a coder. Use only the numbered passages. "
    "Write one short sentence. Do not name any code number that is not in the passages. "
    "Do not change the answer."
)
WRITE_SYSTEM = (
    "You are CodeCite, an assistant for medical coders. Answer only from the numbered passages "
    "and CMS rules given, and cite each claim with its marker like [1]. Never name a code that "
    "is not in the passages. If the passages do not settle the question, say the sources do not "
    "say. Start with the verdict given to you, then the reason."
)


class AnswerChunk(BaseModel):
    """A streamed piece of an answer; adding chunks concatenates text and keeps the final Answer."""

    delta: str = ""
    answer: Answer | None = None

    def __add__(self, other: AnswerChunk) -> AnswerChunk:
        return AnswerChunk(delta=self.delta + other.delta, answer=other.answer or self.answer)


@dataclass
class Draft:
    """Everything decided before generation: the extractive answer and what it rests on."""

    question: Question
    hits: list[Hit]
    numbered: Numbered
    text: str
    verdict: Verdict | None
    rules: list[RuleCitation] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    low_confidence: bool = False


class Engine:
    """The chain's steps as plain methods over one opened index (built once, reused per turn)."""

    def __init__(
        self,
        settings: Settings,
        searcher: HybridSearcher,
        chat_model: BaseChatModel | None,
        rules: RulesDB | None,
    ) -> None:
        self.settings = settings
        self.searcher = searcher
        self.records = searcher.index.records
        self.chat_model = chat_model
        self.rules = rules
        self.known = searcher.known_codes
        self._speller: Speller | None = None
        self._intent_model: IntentModel | None = None
        # Codes the records themselves name (radiology S&I and the like) may be quoted too.
        self.declared = {
            c for r in self.records.values() for s in (*r.includes, *r.reported_separately) for c in s.codes
        }
        numeric = sorted(c for c in self.known if c.isdigit())
        described = f"{numeric[0]}-{numeric[-1]}" if numeric else "no codes"
        self.scope = f"descriptions cover {described}; the CMS edit tables cover every code"

    # -- step 1: understand the turn and retrieve ------------------------------------------
    @property
    def speller(self) -> Speller:
        """Built on first use from the knowledge base's own words (a table question never needs it)."""
        if self._speller is None:
            texts = [p.search_text for p in self.searcher.passages.values()]
            texts += [
                " ".join(i.terms())
                for r in self.records.values()
                for i in (*r.includes, *r.reported_separately)
            ]
            texts += [" ".join(ABBREVIATIONS), " ".join(ABBREVIATIONS.values()), FRAME_WORDS]
            self._speller = Speller(vocabulary(texts))
        return self._speller

    @property
    def intent_model(self) -> IntentModel | None:
        """The question classifier, trained on first use and cached in the data folder."""
        if self._intent_model is None and TRAINING.is_file():
            self._intent_model = load_model(self.settings.model_cache)
        return self._intent_model

    def prepare(self, inputs: Mapping[str, Any]) -> Draft:
        # Typos and shorthand are read as the words they stand for before anything else.
        text = expand_shorthand(self.speller.fix(str(inputs["question"])))
        question = analyze(text, inputs.get("history") or [], self.known, self.intent_model)
        table_question = question.intent in ("pair", "units", "family") and bool(question.codes)
        hits = self.searcher.search(question.search_query, question.codes, ranked_search=not table_question)
        draft = Draft(question, hits, Numbered(self.searcher.passages), "", None)
        self._decide(draft)
        draft.low_confidence = draft.verdict != "out_of_scope" and self.searcher.is_weak(hits)
        return draft

    def _decide(self, d: Draft) -> None:
        q, records = d.question, self.records
        # With a code of ours to anchor it, a code the records name as a service (radiology S&I
        # 74425) is part of the question's topic; otherwise a code only the CMS tables know is
        # answered from the tables alone, and a code known nowhere gets an honest "not covered".
        service_codes = [c for c in q.unknown_codes if c in self.declared and q.codes]
        outside = [c for c in q.unknown_codes if c not in service_codes]
        table_only = [c for c in outside if self.rules is not None and self.rules.knows(c)]
        unknown = [c for c in outside if c not in table_only]
        codes = self._in_text_order(q.text, [*q.codes, *service_codes, *table_only])
        typed = self._typed_lines(q.text) if q.intent == "pair" else []
        if q.intent in ("injection", "other"):
            d.text, d.verdict = compose.declined(q.decline), "out_of_scope"
        elif unknown:
            d.text, d.verdict = compose.out_of_scope(unknown, self.scope), "out_of_scope"
        elif q.intent == "pair" and self.rules is not None and (len(codes) >= 3 or typed):
            # Three codes, or codes typed with modifiers or units, are a claim: check it whole.
            report = check_claim(typed or codes, self.rules, RecordKnowledge(records))
            d.text, d.verdict, d.rules = claim_answer(report, codes)
            d.text = self._no_description(table_only) + d.text
        elif q.intent in ("pair", "units", "family") and self.rules is not None and codes:
            asks_included = bool(ASKS_INCLUDED.search(q.text))
            d.text, d.verdict, d.rules = answer_rules(
                q.intent, codes, self.rules, records, d.numbered, asks_included
            )
            d.text = self._no_description(table_only) + d.text
        elif table_only and not q.codes and self.rules is not None:
            facts = [(c, *table_facts(c, self.rules)) for c in table_only]
            d.text = compose.table_only([(c, text) for c, text, _ in facts], self.scope)
            d.verdict, d.rules = "out_of_scope", [r for _, _, cites in facts for r in cites]
        elif q.intent in ("inclusion", "pair") and q.codes:
            self._inclusion(d, records[q.codes[0]], [*q.codes[1:], *service_codes])
        elif q.codes:
            self._describe(d)
        elif self.searcher.is_weak(d.hits):
            d.text, d.verdict = compose.not_found(), "out_of_scope"
        elif q.intent == "inclusion":
            self._inclusion_without_code(d)
        elif d.hits and d.hits[0].passage.record_type == "policy":
            d.text = compose.general_rule(records[d.hits[0].passage.code], d.hits, d.numbered)
        else:
            d.text, _ = compose.lookup(self._ranked(d), d.hits, records, d.numbered)

    @staticmethod
    def _typed_lines(text: str) -> list[str]:
        """Claim lines when the question types modifiers or units ("50590-RT with 52005-LT")."""
        found = mentions(text)
        if not any(m.modifiers or m.units for m in found):
            return []
        return [
            m.code + "".join(f"-{mod}" for mod in m.modifiers) + (f"x{m.units}" if m.units else "")
            for m in found
        ]

    @staticmethod
    def _in_text_order(text: str, codes: list[str]) -> list[str]:
        """The question's codes in the order the coder typed them (history codes after)."""
        typed = [c for c in find_codes(text) if c in codes]
        return list(dict.fromkeys([*typed, *codes]))

    def _no_description(self, codes: list[str]) -> str:
        if not codes:
            return ""
        return (
            f"We hold no description of {', '.join(codes)} ({self.scope}); this answer comes from the "
            "CMS tables only. "
        )

    def _ranked(self, d: Draft) -> list[str]:
        return [code for code, _ in self.searcher.rank_codes(d.question.search_query)]

    def _inclusion(self, d: Draft, record: Record, other_codes: list[str]) -> None:
        if record.type == "retired":
            d.text, d.verdict = compose.retired(record, d.numbered), "not_stated"
            return
        policies = [p for p in self.searcher.index.policies() if p.covers(record.key)]
        evidence = find_evidence(d.question, record, policies, other_codes)
        d.text, d.verdict = compose.inclusion(d.question, record, evidence, d.hits, d.numbered)

    def _describe(self, d: Draft) -> None:
        chosen = [self.records[c] for c in d.question.codes]
        if len(chosen) == 1 and chosen[0].type == "retired":
            d.text = compose.retired(chosen[0], d.numbered)
        else:
            d.text = compose.describe(chosen, d.hits, d.numbered, d.question.topic)

    def _inclusion_without_code(self, d: Draft) -> None:
        """No code named: only a general policy can settle it; otherwise point at candidates."""
        evidence = find_evidence(d.question, None, self.searcher.index.policies())
        if evidence is None:
            text, _ = compose.lookup(self._ranked(d), d.hits, self.records, d.numbered)
            d.text, d.verdict = "Not stated: name the code to get a verdict. " + text, "not_stated"
        else:
            record = self.records[evidence.record_key]
            d.text, d.verdict = compose.inclusion(d.question, record, evidence, d.hits, d.numbered)

    # -- step 2: generation, guarded ---------------------------------------------------------
    def _messages(self, d: Draft, history: History) -> list[BaseMessage]:
        block = d.numbered.prompt_block()
        if self.settings.llm.role == "write":
            verdict = d.verdict or "none (descriptive question)"
            earlier = [
                (HumanMessage if role == "user" else AIMessage)(content)
                for role, content in (message_parts(m) for m in list(history)[-4:])
            ]
            return [
                SystemMessage(WRITE_SYSTEM),
                *earlier,
                HumanMessage(
                    f"Passages:\n{block}\n\nQuestion: {d.question.search_query}\nVerdict: {verdict}\n"
                    f"Reference answer (facts you must keep): {d.text}"
                ),
            ]
        # A small model gets a short prompt: the passages and the answer's first sentence.
        lead = d.text.split("\n")[0].split(". ")[0][:240]
        return [
            SystemMessage(EXPLAIN_SYSTEM),
            HumanMessage(
                f"Passages:\n{block}\n\nAnswer: {lead}.\n\nWhy? One sentence citing a passage like [1]."
            ),
        ]

    def generate(self, d: Draft, history: History) -> Iterator[AnswerChunk]:
        write = self.settings.llm.role == "write"
        if self.chat_model is None or d.verdict == "out_of_scope" or not d.numbered.passages:
            yield AnswerChunk(delta=d.text)
            yield AnswerChunk(answer=self.finish(d, d.text, llm_used=False))
            return
        if not write:
            yield AnswerChunk(delta=d.text)  # the extractive core streams first, at once
        generated = ""
        stop = None if write else ["\n"]  # an explanation is one sentence
        for chunk in self.chat_model.stream(self._messages(d, history), stop=stop):
            generated += str(chunk.content)
            if write:
                yield AnswerChunk(delta=str(chunk.content))
        checked = check_generated(
            generated,
            d.verdict,
            [p.text for p in d.numbered.passages],
            self.known,
            self._quotable(d),
            already_said=[] if write else [d.text],
        )
        d.flags += checked.flags
        if write:
            ok = checked.accepted and bool(citations_for(checked.text, d.numbered))
            if not ok:
                d.flags.append("fell_back_to_extractive")
            yield AnswerChunk(answer=self.finish(d, checked.text if ok else d.text, llm_used=ok))
        elif checked.accepted:
            yield AnswerChunk(delta=" " + checked.text)
            yield AnswerChunk(answer=self.finish(d, f"{d.text} {checked.text}", llm_used=True))
        else:
            d.flags.append("dropped_explanation")
            yield AnswerChunk(answer=self.finish(d, d.text, llm_used=False))

    def _quotable(self, d: Draft) -> list[str]:
        return sorted({c for p in d.numbered.passages for c in codes_in(p.text)} | self.declared)

    def finish(self, d: Draft, text: str, llm_used: bool) -> Answer:
        text, removed = remove_codes(text, {*self.known, *self._quotable(d), *d.question.unknown_codes})
        if removed:
            d.flags.append("removed_codes:" + ",".join(removed))
        citations = citations_for(text, d.numbered)
        verdict = d.verdict
        if not citations and not d.rules and verdict != "out_of_scope":
            # Nothing supports it: say so rather than answer unsupported.
            text, verdict = "The sources do not say. " + compose.not_found(), "not_stated"
            d.flags.append("no_support")
        return Answer(
            question_codes=d.question.codes,
            intent=d.question.intent,
            verdict=verdict,
            text=text,
            codes=codes_in(text.replace(self.scope, "")),  # the scope note's range is no answer code
            citations=citations,
            rules=d.rules,
            flags=sorted(set(d.flags)),
            low_confidence=d.low_confidence,
            llm_used=llm_used,
        )


def build_chain(engine: Engine) -> Runnable[dict[str, Any], AnswerChunk]:
    """LCEL: prepare (analyse, retrieve, decide) | generate (LLM, checked), streaming chunks."""

    def run(drafts: Iterator[tuple[Draft, History]]) -> Iterator[AnswerChunk]:
        for draft, history in drafts:
            yield from engine.generate(draft, history)

    def prepare_turn(inputs: dict[str, Any]) -> tuple[Draft, History]:
        return engine.prepare(inputs), inputs.get("history") or []

    prepare: RunnableLambda[dict[str, Any], tuple[Draft, History]] = RunnableLambda(prepare_turn)
    return prepare | RunnableGenerator(run)


def ask(chain: Runnable[dict[str, Any], AnswerChunk], question: str, history: History = ()) -> Answer:
    result = chain.invoke({"question": question, "history": list(history)})
    assert result.answer is not None  # the generator always ends with the answer
    return result.answer
