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
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from assistant.clauses import question_clause, service_phrase, topic
from assistant.codes import CodeMention, CodeScan, is_level_ii, mask_codes, mentions, scan
from assistant.courtesy import is_courtesy
from assistant.cues import (
    ALSO,
    ASKS_INCLUDED,
    COMPARE,
    DESCRIBE,
    FALSIFY,
    FAMILY,
    FOLLOWUP_LOOKUP,
    FRAME,
    INCLUSION,
    OFF_TOPIC,
    POINTS_BACK,
    SAME_FOR,
    SUPPLY,
    UNITS,
    asks_for_code,
    asks_lookup,
)
from assistant.distinct import distinct_facts
from assistant.followup import (
    carried_procedure,
    changes_detail,
    last_asked,
    proposed_code,
    states_detail,
    was_lookup,
)
from assistant.instructions import INSTRUCTION, screen
from assistant.intent import DECLINE, IntentGuess, IntentModel
from assistant.models import Intent
from assistant.rvu_fields import asked_fields, asks_fee_schedule
from assistant.text import tokenize

if TYPE_CHECKING:
    from assistant.conversation import Turn

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
    # A refined lookup: the code answered before; a checked one: the code offered. Its family is
    # chosen in first when it splits on a detail the turn states (`decide.lookup`).
    earlier: list[str] = field(default_factory=list)
    proposed: str = ""  # a lookup that checks a code the coder offers ("... no GA - is it 52260?")
    revision: str = ""  # the earlier question asked again with a code swapped or dropped

    @property
    def typed_codes(self) -> list[str]:
        return [m.code for m in self.typed]

    @property
    def claim_lines(self) -> list[str]:
        """Claim lines when modifiers or units were typed ("50590-RT with 52005-LT"), else none."""
        if not any(m.modifiers or m.units for m in self.typed):
            return []
        # A code named bare beside a typed line of it ("53454 + 76000-26 ... does 76000 go with
        # it?", "is 52000 ok? we billed 52000-XS") is that line; a code named bare twice, one line.
        typed_lines = {m.code for m in self.typed if m.modifiers or m.units}
        lines = [
            m
            for i, m in enumerate(self.typed)
            if m.modifiers
            or m.units
            or (m.code not in typed_lines and all(m.code != e.code for e in self.typed[:i]))
        ]
        return [
            m.code + "".join(f"-{mod}" for mod in m.modifiers) + (f"x{m.units}" if m.units else "")
            for m in lines
        ]


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


FALSIFY_SURE = 0.96  # asking to falsify in so many words scores this and up (docs/question-reading.md)


def _unfounded_falsify(text: str, guess: IntentGuess) -> bool:
    """The classifier reads "falsify" where the turn shows no sign of misreporting: "anything
    extra I can add for the rib?" asks what is billable, which the facts answer."""
    return guess.intent == "falsify" and guess.confidence < FALSIFY_SURE and not FALSIFY.search(text)


# The code named is where the service goes, not a code added: "can I add fulguration to 50576?"
# asks about 50576 alone, whatever the earlier turns were about.
_ADDED_TO = re.compile(r"\b(to|into|onto)\s+(the\s+|a\s+)?CODE\b", re.I)


def _founded_falsify(text: str, guess: IntentGuess) -> bool:
    """Leading on "falsify" with the wording to show it ("didn't end up placing it ... still
    bill") is enough: the cue is the evidence the confidence lacks."""
    return guess.intent == "falsify" and guess.confidence >= DECLINE_LEANING and bool(FALSIFY.search(text))


# The coding rule books named: "What is the NCCI rule on bladder neck reconstruction after prostate
# removal?" asks about coding, though its words are a clinical question's.
_RULE_BOOKS = re.compile(
    r"\b(ncci|cpt|cms|hcpcs|ptp|mue|rvu|modifiers?|coding (rule|policy|guidance))\b", re.I
)


def _unfounded_clinical(text: str, guess: IntentGuess) -> bool:
    return (
        guess.intent == "clinical" and guess.confidence < DECLINE_CONFIDENT and bool(_RULE_BOOKS.search(text))
    )


def classify(text: str, n_codes: int, ranged: bool, guess: IntentGuess | None = None) -> tuple[Intent, str]:
    """The intent and, for a declined turn, why. Injection wording is caught by its exact phrases
    first; the classifier then decides whether the turn is off limits (clinical, payer, falsify,
    injection, unrelated), where it reads unseen wording far better than keywords; the coding
    intents come from the rules below, which the classifier does not yet beat on held-out
    rewordings (measured: docs/question-reading.md)."""
    if INSTRUCTION.search(text):
        return "injection", "injection"
    sure = guess is not None and guess.confidence >= DECLINE_CONFIDENT
    off_limits = guess is not None and guess.intent in DECLINE and _off_limits(guess)
    founded = guess is not None and _founded_falsify(text, guess)
    unfounded = guess is not None and (_unfounded_falsify(text, guess) or _unfounded_clinical(text, guess))
    if guess is not None and (off_limits or founded) and not unfounded:
        return _from_model(guess, n_codes, ranged)
    # A turn the classifier is sure of, or that it leans to reading as a coding question, is
    # never declined on a keyword ("Under the new policy, which code do you recommend ...?").
    coding = guess is not None and guess.intent not in DECLINE and guess.confidence >= DECLINE_LEANING
    return _rules(text, n_codes, ranged, off_topic_words=not (sure or coding), guess=guess), ""


def _rules(
    text: str, n_codes: int, ranged: bool, off_topic_words: bool = True, guess: IntentGuess | None = None
) -> Intent:
    if off_topic_words and OFF_TOPIC.search(text):
        return "other"
    if UNITS.search(text):
        return "units"
    # Two codes in one question ("52000 with 52332?", "51701 + 51702") ask whether they go together.
    two_codes = n_codes >= 2 and not ranged and not COMPARE.search(text)
    if _asks_family(text) and not (two_codes and _pair_asked_in_notes_with_fee_words(text)):
        return "family"
    if two_codes and (INCLUSION.search(text) or not DESCRIBE.search(text)):
        return "pair"
    if asks_lookup(text) and n_codes == 0:
        return "lookup"
    if INCLUSION.search(text) and not ranged:
        return "inclusion"
    if DESCRIBE.search(text):
        return "describe"
    if n_codes:
        # A code and no wording the rules know ("can the 2nd cuff be coded?", "is the instillation
        # its own line?"): the classifier, which reads unseen wording, tells inclusion from describe.
        return "inclusion" if guess is not None and guess.intent == "inclusion" and not ranged else "describe"
    return "lookup"


def _code_check(
    text: str, found: CodeScan, last: Turn | None, typed: list[CodeMention], known: set[str] | frozenset[str]
) -> ParsedQuestion | None:
    """A code offered for a procedure ("... lido only, no GA - is it 52260?", or "so is that still
    52260?" after a lookup): looked up from the description, so the answer can say which code
    fits it, rather than describe the offered code."""
    proposed = proposed_code(text, question_clause(text), found.codes, known)
    if proposed is None:
        return None
    own = mask_codes(text, known, " ").lower()  # the offered code must not steer the search
    described = len(topic(own, [])) >= 2
    earlier = last.parsed.search_query if last is not None and was_lookup(last) else ""
    if not described and not earlier:
        return None
    query = " ".join((own if described else f"{earlier} {own}").split())
    return ParsedQuestion(
        text, "lookup", [], [], topic(query, []), typed=typed, from_history=not described,
        search_query=query, procedure=query, earlier=[proposed], proposed=proposed,
        distinct=distinct_facts(text, typed), ranged=found.ranged,
    )  # fmt: skip


def _asks_family(text: str) -> bool:
    return bool(FAMILY.search(text) or asks_fee_schedule(text))


def _pair_asked_in_notes_with_fee_words(text: str) -> bool:
    """The asking clause asks whether two codes go together, and the fee-schedule words are in the
    case notes only ("... with bilat pelvic lymphadenectomy, billing 51575. Can 38770 go with it
    or is it part of the cystectomy?")."""
    asking = question_clause(text)
    return asking != text and bool(INCLUSION.search(asking)) and not _asks_family(asking)


def _units_of(text: str, code: str) -> bool:
    """The turn asks for units of `code` itself: "units of J9280", "how many J9280", "J9280 units"."""
    named = re.escape(code)
    pattern = rf"\b(units?|how many)\s+(of\s+)?(the\s+)?{named}\b|\b{named}\s*(\(\w+\)\s*)?units?\b"
    return bool(re.search(pattern, text, re.I))


_CODE_TAIL = re.compile(r"[,;:.\-–]\s*(the\s+)?(cpt\s+)?codes?\s*\?+\s*$", re.I)


def _asks_supply(text: str, codes: Sequence[str], unknown: Sequence[str], intent: Intent) -> bool:
    """A drug or supply code asked about on its own (its units, which one to use, what it is),
    not a pair with a procedure code, which the NCCI tables still decide. The units of a drug
    named beside its administration code ("how many units of J9280 with 51720?") are the drug's."""
    if intent == "units" and any(is_level_ii(c) and _units_of(text, c) for c in unknown):
        return True
    if codes or intent not in ("units", "lookup", "describe", "family"):
        return False
    return all(is_level_ii(c) for c in unknown) if unknown else bool(SUPPLY.search(text))


def _asks_again(text: str, codes: Sequence[str], last: Turn) -> bool:
    """The earlier table question (units, fee-schedule facts) asked of other codes, in no words
    of its own: "and what about 52648?" after "global on 52353?"."""
    return (
        last.parsed.intent in ("units", "family")
        and bool(SAME_FOR.search(text))
        and not (topic(text, codes) or INCLUSION.search(text) or DESCRIBE.search(text))
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
    if is_courtesy(text):  # "perfect thank you!!": not the earlier question asked again
        return ParsedQuestion(text, "other", [], [], [], decline="courtesy")
    text = fix(screened.text)
    found = scan(text, known)
    typed = [m for m in mentions(text) if m.code in found.codes or m.code in found.unknown]
    codes, from_history = found.codes, False
    guess = model.predict(text) if model is not None else None
    # A turn that on its own asks for a code ("cysto with stent placement, which code?") or is
    # declined starts clean: only a follow-up inherits the codes of earlier turns.
    sure_lookup = guess is not None and guess.intent == "lookup" and guess.confidence >= DECLINE_CONFIDENT
    # "hydrodistension under GA, code?" names no code and ends asking for one, set off from the
    # case: a new lookup too ("are they all in the one code?" is not).
    names_none = not found.codes and not found.unknown
    wants_code = asks_for_code(text) or sure_lookup or (bool(_CODE_TAIL.search(text)) and names_none)
    declined_as, reason = classify(text, 0, found.ranged, guess)
    last = last_asked(turns)
    # A detail stated after a lookup refines it: "and if the stone is over 2 cm or staghorn?" reads
    # as clinical alone, "ok the stone was actually 3 cm" as falsifying (0.69; asking to falsify
    # scores 0.96 and up). A sure refusal stands, and so does any payer or injection one.
    sure = guess is not None and guess.confidence >= DECLINE_CONFIDENT
    stands = reason in ("injection", "payer") or sure
    refines = last is not None and not stands and states_detail(text, last)
    declined = declined_as in DECLINED and not refines
    asks_included = bool(ASKS_INCLUDED.search(text))
    checked = None if declined or found.unknown else _code_check(text, found, last, typed, known)
    if checked is not None:
        return replace(checked, set_aside=screened.set_aside)
    if (
        last is not None
        and not declined
        and (
            (not last.parsed.own_codes and FOLLOWUP_LOOKUP.search(text))
            or changes_detail(text, last, bool(INCLUSION.search(text)), wants_code)
        )
    ):
        # "what about with a biopsy?" after "which code for ureteroscopy with lithotripsy?",
        # "and for a male patient?": keep the earlier procedure, swap in the changed detail,
        # look it up again.
        stem = carried_procedure(last, text) if was_lookup(last) else last.parsed.procedure
        query = f"{stem} {text}"
        return ParsedQuestion(
            text, "lookup", [], [], topic(query, []), typed=typed, from_history=True,
            search_query=query, asks_included=asks_included, distinct=distinct_facts(text, typed),
            procedure=stem,
            ranged=found.ranged,
            earlier=list(last.subject[:1]), set_aside=screened.set_aside,
        )  # fmt: skip
    if not codes and not found.unknown and not wants_code and not declined:
        codes = _codes_from_history(turns)
        from_history = bool(codes)
    elif (
        len(codes) + len(found.unknown) == 1
        and not declined
        and (
            (
                codes
                and (ALSO.search(text) or (COMPARE.search(text) and POINTS_BACK.search(text)))
                and not _ADDED_TO.search(mask_codes(text, known))
            )
            or (found.unknown and (ALSO.search(text) or INCLUSION.search(text)) and not DESCRIBE.search(text))
        )
    ):
        # "how is that different from 52315?" after "what's 52310": the earlier code is "that".
        # "... Can the 51700 be billed too?" after a turn about 52000: the pair of the two. A code
        # we hold no record of ("they ran an EKG, 93000. bundled into the lithotripsy?") can only
        # be asked about beside the earlier one.
        earlier = [c for c in _codes_from_history(turns) if c not in codes and c not in found.unknown]
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
        and (not INCLUSION.search(text) or (guess is not None and guess.intent == "units"))
    ):
        intent = "units"  # "51797 x2 ok?": a count typed on the one code asks whether it is allowed
    fields = asked_fields(text)
    if last is not None and codes and not from_history and _asks_again(text, found.codes, last):
        intent, fields = last.parsed.intent, last.parsed.fields  # the same table question, new code
    bilateral_typed = len(codes) == 1 and any("50" in m.modifiers and m.code == codes[0] for m in typed)
    if bilateral_typed and intent in ("describe", "lookup") and not INCLUSION.search(text):
        # "can 52332-50 be used for bilateral stents?": modifier 50 typed on the one code asks
        # whether the bilateral rule allows it, as a typed count asks about units.
        intent, fields = "family", tuple(dict.fromkeys(("bilat_surg", *fields)))
    asks_what = bool(DESCRIBE.search(text) or COMPARE.search(text))
    if from_history and intent in ("describe", "lookup") and not asks_what:
        # "does it include a biopsy?" / "and a stent?" continue the inclusion thread.
        intent = "inclusion" if topic(text, []) else "describe"
    if intent == "inclusion" and codes and not topic(text, found.codes) and DESCRIBE.search(text):
        intent = "describe"  # "what does 53899 cover?" names no service: it asks what the code is
    if _asks_supply(text, codes, found.unknown, intent):
        intent, decline = "other", "supply"
    query = text if intent == "lookup" else f"{' '.join(codes)} {text}".strip()
    context = [t for t in tokenize(text) if t not in FRAME and not t.isdigit()]
    procedure = re.split(r"\bwith\b|,", text, maxsplit=1, flags=re.I)[0]
    return ParsedQuestion(
        text, intent, codes, found.unknown, topic(text, found.codes), typed=typed,
        from_history=from_history, search_query=query, context=context, decline=decline,
        asks_included=asks_included, procedure=procedure,
        distinct=distinct_facts(text, typed, len(codes), last.parsed.text if from_history and last else ""),
        ranged=found.ranged, own_codes=found.codes, service=service_phrase(text, found.codes),
        fields=fields, set_aside=screened.set_aside,
    )  # fmt: skip
