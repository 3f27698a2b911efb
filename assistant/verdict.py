"""Read a question (intent, codes, topic) and decide an inclusion verdict from structured facts.

Accuracy must not hinge on a small LLM, so the verdict on "is X included in CODE?" comes from
matching X against the code's `includes` / `reported_separately` items (and the policy records
that apply to the code), never from generated text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from langchain_core.messages import BaseMessage

from assistant.intent import DECLINE, IntentGuess, IntentModel
from assistant.models import Intent, Verdict
from assistant.records import Record, Service
from assistant.retrieve import detect_codes
from assistant.text import tokenize

_INJECTION = re.compile(
    r"ignore (all |any |the |your )?(previous |prior |above )?(instructions|rules|prompt)|system prompt|"
    r"you are now|pretend|jailbreak|developer mode|reveal your|disregard (the|your|all)|^\s*system\s*:|"
    r"forget (the|your|all|everything)|make up|unrestricted|from now on|</?context>|new policy",
    re.IGNORECASE,
)
# Requests outside procedure coding: declined rather than answered with a "closest match".
_OFF_TOPIC = re.compile(
    r"\bicd[- ]?10|diagnosis codes?\b|\bpoem\b|\bjoke\b|\bstory\b|recommend|near me|lab result|"
    r"appeal letter|\bdraft (a|an|me)\b|write (me )?(a|an) |patient names|\bweather\b|\bcreatinine\b",
    re.IGNORECASE,
)
_UNITS = re.compile(r"\bunits?\b|\bMUE\b|how many (times|\d{5}|of)|per (day|date)|in a day\b", re.I)
_FAMILY = re.compile(r"base code|global (days|period)|multiple[- ]endoscopy|endoscopic family", re.I)
_INCLUSION = re.compile(
    r"\binclud|\bbundl|part of|separate|\bbill|\breport|\bcode .* (with|and)\b|\bcharge|\bcover|"
    r"\bpaid (with|separately)|together|same (session|day|encounter|visit|op)|\bunbundl|\badd\b|"
    r"\bin addition|\bextra\b|\bon top\b|\bedit\b|\bclaim\b|\bis (that|it) in\b|\bwith \d{5}\s*\?|\+",
    re.IGNORECASE,
)
_LOOKUP = re.compile(
    r"\b(which|what) (cpt )?codes?\b|\bcode for\b|how (do|should|would) (i|we|you) code|what do i (bill|use)|"
    r"\bcode\?\s*$",
    re.IGNORECASE,
)
# Asking for a code by name ("which code for ...", "how do I code ..."): such a turn inherits none.
_ASKS_FOR_CODE = re.compile(
    r"\b(which|what) (cpt )?codes?\b|\bcode for\b|how (do|should|would) (i|we|you) code|what do i (bill|use)",
    re.IGNORECASE,
)
_DESCRIBE = re.compile(r"\bwhat (is|does|are)\b|\bdescribe\b|\bexplain\b|\bmeaning\b|\btell me about\b", re.I)
_COMPARE = re.compile(r"\bdifference\b|\bcompare\b|\bvs\.?\b|\bversus\b|\d{5} or \d{5}", re.I)
_FOLLOWUP_LOOKUP = re.compile(r"^\s*(and |so )?((what|how) about|if|what if|with)\b", re.I)
# Words that frame an inclusion question rather than name the service asked about (stemmed).
FRAME_WORDS = (
    "included include bundled bundle bill billed billable report reported reportable separately "
    "separate part procedure service code cpt allowed allow okay ok charge charged paid pay covered "
    "cover same session day encounter visit together alongside also both need needed require "
    "required use used get considered consider count counted inclusive performed done add added "
    "addition additional still then else other another one claim just only what about how right "
    "itself extra top edit there can"
)
_FRAME = frozenset(tokenize(FRAME_WORDS))


def _question_clause(text: str) -> str:
    """The sentence that asks (with the inclusion word or the question mark), not the case notes."""
    parts = [p for p in re.split(r"(?<=[.?!;:,])\s+|\s+-\s+", text) if p.strip()]
    asking = [p for p in parts if _INCLUSION.search(p) or p.rstrip().endswith("?")]
    return asking[-1] if asking else text


@dataclass
class Question:
    """What the chain needs to know about one turn, after the history is applied."""

    text: str
    intent: Intent
    codes: list[str]  # known codes the turn is about (from the turn, else from the history)
    unknown_codes: list[str]
    topic: list[str]  # content tokens naming the service asked about (from the asking clause)
    from_history: bool = False
    search_query: str = ""
    context: list[str] = field(default_factory=list)  # content tokens of the whole turn
    decline: str = ""  # why a declined turn is declined: clinical, payer, falsify, injection, other


def message_parts(message: BaseMessage | Mapping[str, object]) -> tuple[str, str]:
    if isinstance(message, BaseMessage):
        return ("user" if message.type == "human" else "assistant"), str(message.content)
    return str(message.get("role", "user")), str(message.get("content", ""))


DECLINE_CONFIDENT = 0.75  # a wrong refusal costs the coder an answer: declining needs confidence


def _from_model(guess: IntentGuess, n_codes: int, ranged: bool) -> tuple[Intent, str]:
    label = guess.intent
    if label in DECLINE:
        return ("injection" if label in ("injection", "falsify") else "other"), label
    if label == "inclusion":
        return ("pair" if n_codes >= 2 and not ranged else "inclusion"), ""
    mapped: dict[str, Intent] = {"units": "units", "fee_schedule": "family", "compare": "describe"}
    if label in mapped:
        return mapped[label], ""
    if label == "lookup":
        return ("lookup" if n_codes == 0 else "describe"), ""
    return ("describe" if n_codes else "lookup"), ""


def _classify(text: str, n_codes: int, ranged: bool, guess: IntentGuess | None = None) -> tuple[Intent, str]:
    """The intent and, for a declined turn, why. Injection wording is caught by its exact phrases
    first; the classifier then decides whether the turn is off limits (clinical, payer, falsify,
    injection, unrelated), where it reads unseen wording far better than keywords; the coding
    intents come from the rules below, which the classifier does not yet beat on held-out
    rewordings (measured: docs/question-reading.md)."""
    if _INJECTION.search(text):
        return "injection", "injection"
    sure = guess is not None and guess.confidence >= DECLINE_CONFIDENT
    if sure and guess is not None and guess.intent in DECLINE:
        return _from_model(guess, n_codes, ranged)
    # A turn the classifier is sure is a coding question is never declined on a keyword
    # ("Which code do you recommend ...").
    return _rules(text, n_codes, ranged, off_topic_words=not sure), ""


def _rules(text: str, n_codes: int, ranged: bool, off_topic_words: bool = True) -> Intent:
    if off_topic_words and _OFF_TOPIC.search(text):
        return "other"
    if _UNITS.search(text):
        return "units"
    if _FAMILY.search(text):
        return "family"
    # Two codes in one question ("52000 with 52332?", "51701 + 51702") ask whether they go together.
    two_codes = n_codes >= 2 and not ranged and not _COMPARE.search(text)
    if two_codes and (_INCLUSION.search(text) or not _DESCRIBE.search(text)):
        return "pair"
    if _LOOKUP.search(text) and n_codes == 0:
        return "lookup"
    if _INCLUSION.search(text) and not ranged:
        return "inclusion"
    if _DESCRIBE.search(text) or n_codes:
        return "describe"
    return "lookup"


def _topic(text: str, codes: Sequence[str]) -> list[str]:
    """Content words naming the service asked about: from the asking clause, else the whole text."""
    for candidate in (_question_clause(text), text):
        for code in codes:
            candidate = candidate.replace(code, " ")
        words = [t for t in tokenize(candidate) if t not in _FRAME and not t.isdigit()]
        if words:
            return words
    return []


def _codes_from_history(turns: list[tuple[str, str]], known: set[str]) -> list[str]:
    """The codes a follow-up is about: walking back one exchange at a time, the user's codes,
    else the lead code of the answer they got (a lookup's best match)."""
    answer_codes: list[str] = []
    for role, content in reversed(turns):
        found = detect_codes(content, known).codes
        if role != "user":
            answer_codes = found
        elif found:
            return found
        elif answer_codes:
            return answer_codes[:1]
    return answer_codes[:1]


def analyze(
    text: str,
    history: Sequence[BaseMessage | Mapping[str, object]],
    known: set[str],
    model: IntentModel | None = None,
) -> Question:
    """Intent, codes and topic of this turn; a turn without codes takes them from the history."""
    mention = detect_codes(text, known)
    turns = [message_parts(m) for m in history]
    users = [content for role, content in turns if role == "user"]
    codes, from_history = mention.codes, False
    guess = model.predict(text) if model is not None else None
    # A turn that on its own asks for a code ("cysto with stent placement, which code?") or is
    # declined starts clean: only a follow-up inherits the codes of earlier turns.
    sure_lookup = guess is not None and guess.intent == "lookup" and guess.confidence >= DECLINE_CONFIDENT
    asks_for_code = bool(_ASKS_FOR_CODE.search(text)) or sure_lookup
    declined = _classify(text, 0, mention.ranged, guess)[0] in ("injection", "other")
    if not codes and not mention.unknown and not asks_for_code and not declined:
        codes = _codes_from_history(turns, known)
        from_history = bool(codes)
    if users and not detect_codes(users[-1], known).codes and _FOLLOWUP_LOOKUP.search(text):
        # "what about with a biopsy?" after "which code for ureteroscopy with lithotripsy?":
        # keep the earlier procedure, swap in the new "with ..." part, look it up again.
        stem = re.split(r"\bwith\b|,", users[-1], maxsplit=1, flags=re.I)[0]
        query = f"{stem} {text}"
        return Question(text, "lookup", [], [], _topic(query, []), True, query)
    intent, decline = _classify(text, len(codes) + len(mention.unknown), mention.ranged, guess)
    if from_history and intent in ("describe", "lookup") and not _DESCRIBE.search(text):
        # "does it include a biopsy?" / "and a stent?" continue the inclusion thread.
        intent = "inclusion" if _topic(text, []) else "describe"
    query = text if intent == "lookup" else f"{' '.join(codes)} {text}".strip()
    context = [t for t in tokenize(text) if t not in _FRAME and not t.isdigit()]
    topic = _topic(text, mention.codes)
    return Question(text, intent, codes, mention.unknown, topic, from_history, query, context, decline)


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
    tokens = list(dict.fromkeys(t for t in tokenize(term) if t not in _FRAME))
    if not tokens:
        return 0.0
    hits = sum(1 for t in tokens if t in topic)
    if hits == len(tokens):
        return float(len(tokens)) + 1.0  # a whole alias or name: strongest, longer = more specific
    # Part of a long service name: counts only if it covers most of the question's topic.
    return hits * 0.5 if hits and hits >= 0.6 * len(topic) else 0.0


WHOLE_TERM = 2.0  # the lowest score of a whole alias or service name


def item_score(topic: Sequence[str], item: Service, other_codes: Sequence[str] = ()) -> float:
    if any(c in item.codes for c in other_codes):
        return 10.0
    topic_set = set(topic)
    if not topic_set:
        return 0.0
    return max(_term_score(topic_set, term) for term in item.terms())


def _best(
    topic: Sequence[str], sources: Sequence[Record], other_codes: Sequence[str], min_score: float
) -> tuple[Evidence | None, bool]:
    """The best matching item and whether matching items disagree (then no evidence)."""
    scored: list[Evidence] = []
    for source in sources:
        lists: tuple[tuple[str, Verdict, list[Service]], ...] = (
            ("includes", "included", source.includes),
            ("reported_separately", "separate", source.reported_separately),
        )
        for kind, verdict, items in lists:
            for i, item in enumerate(items):
                score = item_score(topic, item, other_codes)
                if score >= min_score and score > 0:
                    scored.append(Evidence(verdict, source.key, kind, i, item, score))
    if not scored:
        return None, False
    scored.sort(key=lambda e: -e.score)
    best = scored[0]
    rival = next((e for e in scored[1:] if e.verdict != best.verdict), None)
    if rival and rival.score > best.score - 0.5:
        return None, True  # the facts point both ways: abstain rather than guess
    return best, False


def find_evidence(
    question: Question,
    record: Record | None,
    policies: Sequence[Record],
    other_codes: Sequence[str] = (),
) -> Evidence | None:
    """The record's own matching fact, else a general policy's. None when nothing matches or the
    matching facts disagree (an abstention beats a guess). Without a record (no code named), a
    policy must match on a whole alias, not a fragment."""
    if record is not None:
        own, conflicted = _best(question.topic, [record], other_codes, 0.0)
        if conflicted and question.context:
            # "... indwelling stent left - is the stent included?": the case notes disambiguate.
            own, conflicted = _best(question.context, [record], other_codes, 0.0)
        if own is not None or conflicted:
            return own
    found, _ = _best(question.topic, policies, other_codes, 0.0 if record is not None else WHOLE_TERM)
    return found
