"""Read a question (intent, codes, topic) and decide an inclusion verdict from structured facts.

Accuracy must not hinge on a small LLM, so the verdict on "is X included in CODE?" comes from
matching X against the code's `includes` / `reported_separately` items (and the policy records
that apply to the code), never from generated text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from langchain_core.messages import BaseMessage

from assistant.models import Intent, Verdict
from assistant.records import Record, Service
from assistant.retrieve import detect_codes, tokenize

_INJECTION = re.compile(
    r"ignore (all |any |the |your )?(previous |prior |above )?(instructions|rules|prompt)|system prompt|"
    r"you are now|pretend to be|jailbreak|developer mode|reveal your|disregard (the|your|all)",
    re.IGNORECASE,
)
_UNITS = re.compile(r"\bunits?\b|\bMUE\b|how many times", re.IGNORECASE)
_FAMILY = re.compile(r"base code|global (days|period)|multiple[- ]endoscopy|endoscopic family", re.I)
_INCLUSION = re.compile(
    r"\binclud|\bbundl|part of|separate|\bbill|\breport|\bcode .* (with|and)\b|\bcharge|"
    r"\bcovered (by|in)|\bpaid (with|separately)|together|same (session|day|encounter)|\bunbundl",
    re.IGNORECASE,
)
_LOOKUP = re.compile(
    r"\b(which|what) (cpt )?codes?\b|\bcode for\b|how (do|should|would) (i|we|you) code|what do i (bill|use)",
    re.IGNORECASE,
)
_DESCRIBE = re.compile(r"\bwhat (is|does|are)\b|\bdescribe\b|\bexplain\b|\bmeaning\b|\btell me about\b", re.I)
_FOLLOWUP_LOOKUP = re.compile(r"^\s*(and |so )?(what|how) about\b|^\s*and with\b|^\s*with\b", re.I)
# Words that frame an inclusion question rather than name the service asked about.
_FRAME = frozenset(
    [
        "included",
        "include",
        "includ",
        "bundled",
        "bundle",
        "bill",
        "billed",
        "billable",
        "report",
        "reported",
        "reportable",
        "separately",
        "separate",
        "part",
        "procedure",
        "service",
        "code",
        "cpt",
        "allowed",
        "allow",
        "okay",
        "ok",
        "charge",
        "charged",
        "paid",
        "pay",
        "covered",
        "same",
        "session",
        "day",
        "encounter",
        "together",
        "alongside",
        "also",
        "both",
        "need",
        "needed",
        "require",
        "required",
        "use",
        "used",
        "get",
        "considered",
        "consider",
        "count",
        "counted",
        "inclusive",
        "performed",
        "done",
        "add",
        "added",
        "addition",
        "additional",
        "still",
        "then",
        "else",
        "other",
        "another",
        "one",
        "claim",
        "just",
        "only",
    ]
)


@dataclass
class Question:
    """What the chain needs to know about one turn, after the history is applied."""

    text: str
    intent: Intent
    codes: list[str]  # known codes the turn is about (from the turn, else from the history)
    unknown_codes: list[str]
    topic: list[str]  # content tokens naming the service asked about
    from_history: bool = False
    search_query: str = ""


def _message_parts(message: BaseMessage | Mapping[str, object]) -> tuple[str, str]:
    if isinstance(message, BaseMessage):
        return ("user" if message.type == "human" else "assistant"), str(message.content)
    return str(message.get("role", "user")), str(message.get("content", ""))


def _classify(text: str, n_codes: int) -> Intent:
    if _INJECTION.search(text):
        return "injection"
    if _UNITS.search(text):
        return "units"
    if _FAMILY.search(text):
        return "family"
    if n_codes >= 2 and _INCLUSION.search(text):
        return "pair"
    if _LOOKUP.search(text) and n_codes == 0:
        return "lookup"
    if _INCLUSION.search(text):
        return "inclusion"
    if _DESCRIBE.search(text) or n_codes:
        return "describe"
    return "lookup"


def _topic(text: str, codes: Sequence[str]) -> list[str]:
    cleaned = text
    for code in codes:
        cleaned = cleaned.replace(code, " ")
    return [t for t in tokenize(cleaned) if t not in _FRAME and not t.isdigit()]


def analyze(text: str, history: Sequence[BaseMessage | Mapping[str, object]], known: set[str]) -> Question:
    """Intent, codes and topic of this turn; a turn without codes takes them from the history."""
    mention = detect_codes(text, known)
    turns = [_message_parts(m) for m in history]
    users = [content for role, content in turns if role == "user"]
    codes, from_history = mention.codes, False
    if not codes and not mention.unknown:
        for role, content in reversed(turns):
            found = detect_codes(content, known).codes
            if found:
                # A user turn names what it is about; an answer leads with its main code.
                codes, from_history = (found if role == "user" else found[:1]), True
                break
    if from_history and users and not detect_codes(users[-1], known).codes and _FOLLOWUP_LOOKUP.search(text):
        # "what about with a biopsy?" after "which code for ureteroscopy with lithotripsy?":
        # keep the earlier procedure, swap in the new "with ..." part, look it up again.
        stem = re.split(r"\bwith\b", users[-1], maxsplit=1, flags=re.I)[0]
        query = f"{stem} {text}"
        return Question(text, "lookup", [], [], _topic(query, []), True, query)
    intent = _classify(text, len(codes) + len(mention.unknown))
    if from_history and intent in ("describe", "lookup") and not _DESCRIBE.search(text):
        # "does it include a biopsy?" / "and a stent?" continue the inclusion thread.
        intent = "inclusion" if _topic(text, []) else "describe"
    query = text if intent == "lookup" else f"{' '.join(codes)} {text}".strip()
    return Question(text, intent, codes, mention.unknown, _topic(text, mention.codes), from_history, query)


@dataclass
class Evidence:
    """The structured fact that settles an inclusion question, and where it lives."""

    verdict: Verdict
    record_key: str  # the record (code or policy) holding the item
    kind: str  # includes | reported_separately
    index: int  # position of the item in that list
    item: Service
    score: float

    @property
    def passage_id(self) -> str:
        return f"{self.record_key}#{self.kind}-{self.index}"


def _term_score(topic: set[str], term: str) -> float:
    tokens = [t for t in tokenize(term) if t not in _FRAME]
    if not tokens:
        return 0.0
    hits = sum(1 for t in tokens if t in topic)
    if hits == len(tokens):
        return float(len(tokens)) + 1.0  # a whole alias or name: strongest, longer = more specific
    # Part of a long service name: counts only if it covers most of the question's topic.
    return hits * 0.5 if hits and hits >= 0.6 * len(topic) else 0.0


def item_score(topic: Sequence[str], item: Service, other_codes: Sequence[str] = ()) -> float:
    if any(c in item.codes for c in other_codes):
        return 10.0
    topic_set = set(topic)
    if not topic_set:
        return 0.0
    return max(_term_score(topic_set, term) for term in item.terms())


def _best(question: Question, sources: Sequence[Record], other_codes: Sequence[str]) -> Evidence | None:
    scored: list[Evidence] = []
    for source in sources:
        for kind, verdict, items in (
            ("includes", "included", source.includes),
            ("reported_separately", "separate", source.reported_separately),
        ):
            for i, item in enumerate(items):
                score = item_score(question.topic, item, other_codes)
                if score > 0:
                    scored.append(Evidence(verdict, source.key, kind, i, item, score))  # type: ignore[arg-type]
    if not scored:
        return None
    scored.sort(key=lambda e: -e.score)
    best = scored[0]
    rival = next((e for e in scored[1:] if e.verdict != best.verdict), None)
    if rival and rival.score > best.score - 0.5:
        return None  # the facts point both ways: abstain rather than guess
    return best


def find_evidence(
    question: Question, record: Record, policies: Sequence[Record], other_codes: Sequence[str] = ()
) -> Evidence | None:
    """The record's own matching fact, else a matching general policy; None when nothing
    matches or the matching facts disagree (an abstention beats a guess)."""
    own = _best(question, [record], other_codes)
    return own if own is not None else _best(question, policies, other_codes)
