"""Read one turn: its codes (with modifiers and units), intent, the service asked about, the
session facts that decide a modifier-1 edit, and which earlier turn it follows up.

Exact patterns are used only where the syntax is exact (codes, modifiers, units, injection
phrases); the intent classifier (`assistant.intent`) decides declines, and the rules below the
coding intents (measured against the classifier in docs/question-reading.md). A follow-up reads
the typed earlier turns (`assistant.conversation.Turn`), never the text of an answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.codes import CodeMention, is_level_ii, mentions, scan
from assistant.distinct import distinct_facts
from assistant.followup import carried_procedure, changes_detail, states_detail, was_lookup
from assistant.instructions import INSTRUCTION, screen
from assistant.intent import DECLINE, IntentGuess, IntentModel
from assistant.models import Intent
from assistant.rvu_fields import asked_fields, asks_fee_schedule
from assistant.text import tokenize

if TYPE_CHECKING:
    from assistant.conversation import Turn

# Requests outside procedure coding: declined rather than answered with a "closest match".
_OFF_TOPIC = re.compile(
    r"\bicd[- ]?10|diagnosis codes?\b|\bpoem\b|\bjoke\b|\bstory\b|recommend|near me|lab result|"
    r"appeal letter|\bdraft (a|an|me)\b|write (me )?(a|an) |patient names|\bweather\b|\bcreatinine\b",
    re.IGNORECASE,
)
_UNITS = re.compile(r"\bunits?\b|\bMUE\b|how many (times|\d{5}|of)|per (day|date)|in a day\b", re.I)
_FAMILY = re.compile(
    r"base code|global (days|period)|multiple[- ]endoscopy|endoscopic family|"
    r"\ban? add[- ]on\b|add[- ]on code|\bprimary (codes?|procedures?|services?)\b",
    re.I,
)
_INCLUSION = re.compile(
    r"\binclud|\bbundl|part of|separate|\bbill|\breport|\bcode [^?]{0,80}? (with|and)\b|\bcharge|\bcover|"
    r"\bpaid (with|separately)|together|same (session|day|encounter|visit|op)|\bunbundl|\badd\b|"
    r"\bin addition|\bextra\b|\bon top\b|\banything beyond\b|\bedit\b|\bclaim\b|\bis (that|it) in\b|"
    r"\bwith \d{5}\s*\?|\+",
    re.IGNORECASE,
)
# Asking for a code by name ("which code for ...", "how do I code ..."): such a turn inherits none.
_ASKS_FOR_CODE = re.compile(
    r"\b(which|what) (cpt )?codes?\b|\b(code|cpt) for\b|how (do|should|would) (i|we|you) code|"
    r"what do i (bill|use)|\bwhat(?:'s| is) the (cpt|code)\b|\bwhat cpt\b",
    re.IGNORECASE,
)
_LOOKUP = re.compile(_ASKS_FOR_CODE.pattern + r"|\bcode\?\s*$", re.IGNORECASE)
_DESCRIBE = re.compile(r"\bwhat (is|does|are)\b|\bdescribe\b|\bexplain\b|\bmeaning\b|\btell me about\b", re.I)
_COMPARE = re.compile(
    r"\bdifference\b|\bdiffers?\b|\bdifferent from\b|\bdistinguish\b|\bcompare\b|\bvs\.?\b|\bversus\b|"
    r"\d{5} or \d{5}",
    re.I,
)
# Asking for a drug or supply code, or its units ("J-code for botox?", "HCPCS supply code for the
# balloon?"): HCPCS Level II descriptors are outside what we describe.
_SUPPLY = re.compile(r"\bj[- ]?codes?\b|\bhcpcs\b|\b(supply|drug|device) codes?\b", re.I)
# A turn adding its one code to the earlier turn's ("can 51700 be billed too?").
_ALSO = re.compile(r"\b(too|also|as well|in addition)\b", re.I)
_FOLLOWUP_LOOKUP = re.compile(r"^\s*(and |so )?((what|how) about|if|what if|with)\b", re.I)
# Words that point back at something said before: the earlier code ("how is that different from
# 52000?") or the case notes ("is that extra work billable?").
POINTS_BACK = re.compile(r"\b(that|this|those|these|it|the first one|the other one)\b", re.I)
# "and what about 52648?" / "same for 52648?": the earlier question, asked of another code.
_SAME_FOR = re.compile(r"^\s*(?:ok(?:ay)?[\s,]*)?(and |so )?((what|how) about|same for|and for|now)\b", re.I)
# "Is X included / bundled / part of Y?" is answered "yes, included"; "can I bill X with Y?" "no".
_ASKS_INCLUDED = re.compile(r"\b(includ\w*|bundl\w*|part of|cover\w*|inclusive)\b", re.I)

# Words that frame an inclusion question rather than name the service asked about (stemmed).
FRAME_WORDS = (
    "included include bundled bundle bill billed billable report reported reportable separately "
    "separate part procedure service code cpt allowed allow okay ok charge charged paid pay covered "
    "cover same session day encounter visit together alongside also both need needed require "
    "required use used get considered consider count counted inclusive performed done add added "
    "addition additional still then else other another one claim just only what about how right "
    "itself extra top edit there can pays payable fold folded reimburse reimbursed reimbursable "
    "coded coding billing something anything line own chargeable earn earns beyond"
)
FRAME = frozenset(tokenize(FRAME_WORDS))
DECLINED = ("injection", "other")
DECLINE_CONFIDENT = 0.75  # a wrong refusal costs the coder an answer: declining needs confidence


@dataclass(frozen=True)
class ParsedQuestion:
    """What one turn asks, after the conversation before it is applied."""

    text: str
    intent: Intent
    codes: list[str]  # codes of ours the turn is about (typed in it, else from the follow-up)
    unknown_codes: list[str]  # code-shaped tokens the knowledge base does not hold
    topic: list[str]  # content tokens naming the service asked about (from the asking clause)
    typed: list[CodeMention] = field(default_factory=list)  # codes as typed, modifiers and units
    from_history: bool = False  # codes or the procedure came from an earlier turn
    search_query: str = ""
    context: list[str] = field(default_factory=list)  # content tokens of the whole turn
    decline: str = ""  # why a declined turn is declined: clinical, payer, falsify, injection, other
    asks_included: bool = False  # "is it included?" rather than "can I bill it?"
    distinct: tuple[str, ...] = ()  # assistant.distinct.DISTINCT_FACTS keys the turn states
    procedure: str = ""  # the procedure words before any "with ...", carried into "what about ...?"
    ranged: bool = False
    own_codes: list[str] = field(default_factory=list)  # codes of ours typed in this very turn
    service: str = ""  # the service asked about, in the coder's words (for "not stated" answers)
    fields: tuple[str, ...] = ()  # fee-schedule indicators the turn names (`rvu_fields`)
    set_aside: int = 0  # instructions to the assistant removed from the turn (`instructions`)
    earlier: list[str] = field(default_factory=list)  # a refined lookup: the code answered before

    @property
    def typed_codes(self) -> list[str]:
        return [m.code for m in self.typed]

    @property
    def claim_lines(self) -> list[str]:
        """Claim lines when modifiers or units were typed ("50590-RT with 52005-LT"), else none."""
        if not any(m.modifiers or m.units for m in self.typed):
            return []
        return [
            m.code + "".join(f"-{mod}" for mod in m.modifiers) + (f"x{m.units}" if m.units else "")
            for m in self.typed
        ]


def question_clause(text: str) -> str:
    """The sentence that asks (with the inclusion word or the question mark), not the case notes."""
    parts = [p for p in re.split(r"(?<=[.?!;:,])\s+|\s+-\s+", text) if p.strip()]
    # The question itself beats case notes that merely use an inclusion word ("Op note: fluoro
    # was also billed together."): a clause ending in "?" first, the one with the cue among them.
    asked = [p for p in parts if p.rstrip().endswith("?")]
    cued = [p for p in asked if _INCLUSION.search(p)] or asked or [p for p in parts if _INCLUSION.search(p)]
    return cued[-1] if cued else text


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


DECLINE_LEANING = 0.6


def _off_limits(guess: IntentGuess) -> bool:
    """Confident the turn is off limits: the top label alone at DECLINE_CONFIDENT, or a specific
    decline label (clinical, payer, falsify, injection) leading at DECLINE_LEANING while the
    decline labels together reach DECLINE_CONFIDENT ("my PSA is 6.1, do I need surgery?" splits
    its mass between clinical and other). "other" is the catch-all that short, unfamiliar coding
    follow-ups spread mass into, so it must win on its own."""
    if guess.confidence >= DECLINE_CONFIDENT:
        return True
    together = sum(guess.scores.get(label, 0.0) for label in DECLINE)
    return guess.intent != "other" and guess.confidence >= DECLINE_LEANING and together >= DECLINE_CONFIDENT


def classify(text: str, n_codes: int, ranged: bool, guess: IntentGuess | None = None) -> tuple[Intent, str]:
    """The intent and, for a declined turn, why. Injection wording is caught by its exact phrases
    first; the classifier then decides whether the turn is off limits (clinical, payer, falsify,
    injection, unrelated), where it reads unseen wording far better than keywords; the coding
    intents come from the rules below, which the classifier does not yet beat on held-out
    rewordings (measured: docs/question-reading.md)."""
    if INSTRUCTION.search(text):
        return "injection", "injection"
    sure = guess is not None and guess.confidence >= DECLINE_CONFIDENT
    if guess is not None and guess.intent in DECLINE and _off_limits(guess):
        return _from_model(guess, n_codes, ranged)
    # A turn the classifier is sure of, or that it leans to reading as a coding question, is
    # never declined on a keyword ("Under the new policy, which code do you recommend ...?").
    coding = guess is not None and guess.intent not in DECLINE and guess.confidence >= DECLINE_LEANING
    return _rules(text, n_codes, ranged, off_topic_words=not (sure or coding), guess=guess), ""


def _rules(
    text: str, n_codes: int, ranged: bool, off_topic_words: bool = True, guess: IntentGuess | None = None
) -> Intent:
    if off_topic_words and _OFF_TOPIC.search(text):
        return "other"
    if _UNITS.search(text):
        return "units"
    if _FAMILY.search(text) or asks_fee_schedule(text):
        return "family"
    # Two codes in one question ("52000 with 52332?", "51701 + 51702") ask whether they go together.
    two_codes = n_codes >= 2 and not ranged and not _COMPARE.search(text)
    if two_codes and (_INCLUSION.search(text) or not _DESCRIBE.search(text)):
        return "pair"
    if _LOOKUP.search(text) and n_codes == 0:
        return "lookup"
    if _INCLUSION.search(text) and not ranged:
        return "inclusion"
    if _DESCRIBE.search(text):
        return "describe"
    if n_codes:
        # A code and no wording the rules know ("can the 2nd cuff be coded?", "is the instillation
        # its own line?"): the classifier, which reads unseen wording, tells inclusion from describe.
        return "inclusion" if guess is not None and guess.intent == "inclusion" and not ranged else "describe"
    return "lookup"


def _topic(text: str, codes: Sequence[str]) -> list[str]:
    """Content words naming the service asked about: from the asking clause, else the whole text."""
    for candidate in (question_clause(text), text):
        for code in codes:
            candidate = candidate.replace(code, " ")
        words = [t for t in tokenize(candidate) if t not in FRAME and not t.isdigit()]
        if words:
            return words
    return []


_SURFACE = re.compile(r"[A-Za-z][\w'&/-]*")


def service_phrase(text: str, codes: Sequence[str]) -> str:
    """The service asked about in the coder's own words: the asking clause (else the whole turn)
    from its first to its last content word ("flushing out the bladder"). Capitalised words
    inside it (names) are left out, so a not-stated answer never repeats a patient's name."""
    for candidate in (question_clause(text), text):
        for code in codes:
            candidate = candidate.replace(code, " ")
        words = [
            m
            for m in _SURFACE.finditer(candidate)
            if not (m.group()[0].isupper() and m.group()[1:].islower() and m.start() > 0)
        ]
        content = [m for m in words if any(t not in FRAME and not t.isdigit() for t in tokenize(m.group()))]
        if content:
            span = candidate[content[0].start() : content[-1].end()]
            keep = {m.group() for m in words}
            return " ".join(w for w in _SURFACE.findall(span) if w in keep)
    return ""


def _asks_supply(text: str, codes: Sequence[str], unknown: Sequence[str], intent: Intent) -> bool:
    """A drug or supply code asked about on its own (its units, which one to use, what it is),
    not a pair with a procedure code, which the NCCI tables still decide."""
    if codes or intent not in ("units", "lookup", "describe", "family"):
        return False
    return all(is_level_ii(c) for c in unknown) if unknown else bool(_SUPPLY.search(text))


def _asks_again(text: str, codes: Sequence[str], last: Turn) -> bool:
    """The earlier table question (units, fee-schedule facts) asked of other codes, in no words
    of its own: "and what about 52648?" after "global on 52353?"."""
    return (
        last.parsed.intent in ("units", "family")
        and bool(_SAME_FOR.search(text))
        and not (_topic(text, codes) or _INCLUSION.search(text) or _DESCRIBE.search(text))
        and not set(codes) & set(last.parsed.codes)
    )


def _codes_from_history(turns: Sequence[Turn]) -> list[str]:
    """The codes a follow-up is about: walking back, the codes the latest turn was about (a
    lookup's best match counts), skipping turns about no code of ours."""
    for turn in reversed(turns):
        if turn.subject:
            return list(turn.subject)
    return []


def parse(
    text: str,
    turns: Sequence[Turn],
    known: set[str] | frozenset[str],
    model: IntentModel | None = None,
    fix: Callable[[str], str] = str,
) -> ParsedQuestion:
    """Intent, codes and topic of this turn; a turn without codes takes them from the history.
    Instructions addressed to the assistant are set aside first (`assistant.instructions`), as
    typed: `fix` (typos, shorthand) then reads the rest, and would "fix" an instruction's words."""
    screened = screen(text, model)
    if screened.instructs:
        return ParsedQuestion(text, "injection", [], [], [], decline="injection")
    text = fix(screened.text)
    found = scan(text, known)
    typed = [m for m in mentions(text) if m.code in found.codes or m.code in found.unknown]
    codes, from_history = found.codes, False
    guess = model.predict(text) if model is not None else None
    # A turn that on its own asks for a code ("cysto with stent placement, which code?") or is
    # declined starts clean: only a follow-up inherits the codes of earlier turns.
    sure_lookup = guess is not None and guess.intent == "lookup" and guess.confidence >= DECLINE_CONFIDENT
    asks_for_code = bool(_ASKS_FOR_CODE.search(text)) or sure_lookup
    declined_as, reason = classify(text, 0, found.ranged, guess)
    last = turns[-1] if turns else None
    # A detail stated after a lookup refines it: "and if the stone is over 2 cm or staghorn?" reads
    # as clinical alone, "ok the stone was actually 3 cm" as falsifying (0.69; asking to falsify
    # scores 0.96 and up). A sure refusal stands, and so does any payer or injection one.
    sure = guess is not None and guess.confidence >= DECLINE_CONFIDENT
    stands = reason in ("injection", "payer") or sure
    refines = last is not None and not stands and states_detail(text, last)
    declined = declined_as in DECLINED and not refines
    asks_included = bool(_ASKS_INCLUDED.search(text))
    if (
        last is not None
        and not declined
        and (
            (not last.parsed.own_codes and _FOLLOWUP_LOOKUP.search(text))
            or changes_detail(text, last, bool(_INCLUSION.search(text)), asks_for_code)
        )
    ):
        # "what about with a biopsy?" after "which code for ureteroscopy with lithotripsy?",
        # "and for a male patient?": keep the earlier procedure, swap in the changed detail,
        # look it up again.
        stem = carried_procedure(last, text) if was_lookup(last) else last.parsed.procedure
        query = f"{stem} {text}"
        return ParsedQuestion(
            text, "lookup", [], [], _topic(query, []), typed=typed, from_history=True,
            search_query=query, asks_included=asks_included, distinct=distinct_facts(text, typed),
            procedure=stem,
            ranged=found.ranged,
            earlier=list(last.subject[:1]), set_aside=screened.set_aside,
        )  # fmt: skip
    if not codes and not found.unknown and not asks_for_code and not declined:
        codes = _codes_from_history(turns)
        from_history = bool(codes)
    elif (
        len(codes) == 1
        and not found.unknown
        and not declined
        and (_ALSO.search(text) or (_COMPARE.search(text) and POINTS_BACK.search(text)))
    ):
        # "how is that different from 52315?" after "what's 52310": the earlier code is "that".
        # "... Can the 51700 be billed too?" after a turn about 52000: the pair of the two.
        earlier = [c for c in _codes_from_history(turns) if c not in codes]
        codes, from_history = [*earlier[:1], *codes], bool(earlier)
    intent, decline = classify(text, len(codes) + len(found.unknown), found.ranged, guess)
    # Whole sentences only: a clause cut at a comma or dash ("53850 vs 53852, which is which?")
    # has lost the words that say what is asked.
    asked = [p for p in re.split(r"(?<=[.?!])\s+", text.strip()) if p.rstrip().endswith("?")]
    asking = " ".join(asked) if asked else text  # the questions, less the case notes between them
    if asking != text.strip() and (intent not in DECLINED or not decline):
        # Case notes around the question ("What is 50570? Op note: ... billed together.") do not
        # decide what it asks: the question does. A decline the classifier made stands.
        # Only a question sentence the classifier reads with confidence overrides the whole turn:
        # "Does the biopsy get its own line or not?" alone is unclear (0.51) and the case note
        # before it says what it is about.
        clause_guess = model.predict(asking) if model is not None else None
        clear = clause_guess is not None and clause_guess.confidence >= DECLINE_CONFIDENT
        clause_intent, _ = classify(asking, len(codes) + len(found.unknown), found.ranged, clause_guess)
        if clear and clause_intent not in DECLINED:
            intent, decline = clause_intent, ""
    if intent == "inclusion" and not codes and not found.unknown and sure_lookup:
        intent = "lookup"  # "uretero w/ laser lith + stent cpt": no code, and sure it asks for one
    units_typed = len(codes) == 1 and any(m.units and m.code == codes[0] for m in typed)
    if (
        units_typed
        and intent in ("describe", "lookup", "inclusion")
        and (not _INCLUSION.search(text) or (guess is not None and guess.intent == "units"))
    ):
        intent = "units"  # "51797 x2 ok?": a count typed on the one code asks whether it is allowed
    fields = asked_fields(text)
    if last is not None and codes and not from_history and _asks_again(text, found.codes, last):
        intent, fields = last.parsed.intent, last.parsed.fields  # the same table question, new code
    bilateral_typed = len(codes) == 1 and any("50" in m.modifiers and m.code == codes[0] for m in typed)
    if bilateral_typed and intent in ("describe", "lookup") and not _INCLUSION.search(text):
        # "can 52332-50 be used for bilateral stents?": modifier 50 typed on the one code asks
        # whether the bilateral rule allows it, as a typed count asks about units.
        intent, fields = "family", tuple(dict.fromkeys(("bilat_surg", *fields)))
    asks_what = bool(_DESCRIBE.search(text) or _COMPARE.search(text))
    if from_history and intent in ("describe", "lookup") and not asks_what:
        # "does it include a biopsy?" / "and a stent?" continue the inclusion thread.
        intent = "inclusion" if _topic(text, []) else "describe"
    if intent == "inclusion" and codes and not _topic(text, found.codes) and _DESCRIBE.search(text):
        intent = "describe"  # "what does 53899 cover?" names no service: it asks what the code is
    if _asks_supply(text, codes, found.unknown, intent):
        intent, decline = "other", "supply"
    query = text if intent == "lookup" else f"{' '.join(codes)} {text}".strip()
    context = [t for t in tokenize(text) if t not in FRAME and not t.isdigit()]
    procedure = re.split(r"\bwith\b|,", text, maxsplit=1, flags=re.I)[0]
    return ParsedQuestion(
        text, intent, codes, found.unknown, _topic(text, found.codes), typed=typed,
        from_history=from_history, search_query=query, context=context, decline=decline,
        asks_included=asks_included, distinct=distinct_facts(text, typed, len(codes)), procedure=procedure,
        ranged=found.ranged, own_codes=found.codes, service=service_phrase(text, found.codes),
        fields=fields, set_aside=screened.set_aside,
    )  # fmt: skip
