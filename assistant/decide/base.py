"""What a decider gets (`Context`), what it returns (`Decision`), and the Protocol it meets.

A `Decision` holds facts, never wording: `compose.render` turns it into text with [n] markers.
Its `detail` says what kind of answer it is, with the facts that answer needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from assistant.claim import ClaimReport
from assistant.codes import is_evaluation_and_management
from assistant.evidence import Evidence, ServiceTerm
from assistant.models import ClaimEffect, DecidedBy, Hit, RuleCitation, Verdict
from assistant.parse import ParsedQuestion
from assistant.qualifiers import Family, QualifierSet
from assistant.records import Record
from assistant.rulesdb import MUELimit, PTPEdit, RulesDB, RVURow


@dataclass(frozen=True)
class Declined:
    reason: str  # clinical, payer, falsify, injection, other
    codes: list[str] = field(default_factory=list)  # codes of ours the declined turn names


@dataclass(frozen=True)
class NotCovered:
    codes: list[str]  # known nowhere: not in the knowledge base, not in the CMS tables


@dataclass(frozen=True)
class TableOnly:
    facts: list[tuple[str, str]]  # (code, what the tables say) for codes we hold no record of


@dataclass(frozen=True)
class ClaimFacts:
    report: ClaimReport
    asked: list[str]


@dataclass(frozen=True)
class PairFacts:
    first: str
    second: str
    active: PTPEdit | None
    deleted: PTPEdit | None
    as_of: str
    asks_included: bool
    distinct: tuple[str, ...]  # the facts the question states that make the services distinct

    @property
    def bypassed(self) -> bool:
        """A modifier-1 edit the question's own facts allow around (an E/M visit follows the 25/57
        rule instead)."""
        edit = self.active
        return (
            edit is not None
            and edit.modifier == "1"
            and bool(self.distinct)
            and not is_evaluation_and_management(edit.column_2)
        )


@dataclass(frozen=True)
class UnitsFacts:
    code: str
    limit: MUELimit | None
    as_of: str
    typed: int | None = None  # the units typed on the code ("52204 x3")


@dataclass(frozen=True)
class FamilyFacts:
    code: str
    row: RVURow | None
    as_of: str
    primaries: list[str] = field(default_factory=list)  # an add-on code's primaries (CMS AOC table)
    asked: tuple[str, ...] = ()  # the RVU indicators the question names (`rvu_fields.FIELDS`)


@dataclass(frozen=True)
class Several:
    """The same table fact for each code asked about ("MUE for 52000 and 52332?")."""

    facts: list[UnitsFacts | FamilyFacts]


@dataclass(frozen=True)
class RetiredCodes:
    codes: list[str]  # retired per the tables (only deleted edits)


@dataclass(frozen=True)
class RetiredRecord:
    record: Record


@dataclass(frozen=True)
class InclusionFacts:
    record: Record
    evidence: Evidence | None
    topic: list[str]
    asked: str = ""  # the service in the coder's words
    asks_included: bool = True  # "is it included?" rather than "can I bill it?"


@dataclass(frozen=True)
class ReadAs:
    """A service named in words, read as the code the knowledge base names it with."""

    words: str
    code: str
    pair: PairFacts


@dataclass(frozen=True)
class NameTheCode:
    ranked: list[str]  # an inclusion question without a code: candidates to name


@dataclass(frozen=True)
class Describe:
    records: list[Record]
    topic: list[str]


@dataclass(frozen=True)
class QualifierChoice:
    """The code a qualifier family gives for the details a question states."""

    family: Family
    code: str
    stated: tuple[tuple[str, str], ...]  # (axis, value) the choice rests on, sizes as "3.5 cm"
    replaced: str | None = None  # the code search ranked first, when the details chose another
    on_bound: bool = False  # a stated size sits exactly on a tier bound


@dataclass(frozen=True)
class CountSplit:
    """A count of what a first-plus-each-additional family counts: the first code once, the add-on
    for the rest."""

    first: str
    add_on: str
    total: int
    add_on_limit: MUELimit | None
    noun: str  # what is counted, e.g. "implants"


@dataclass(frozen=True)
class SidesNote:
    """Both sides stated for a code that does not split by side: its RVU bilateral indicator."""

    code: str
    row: RVURow | None


@dataclass(frozen=True)
class Lookup:
    ranked: list[str]
    chosen: QualifierChoice | None = None
    count: CountSplit | None = None
    sides: SidesNote | None = None
    proposed: str = ""  # the code the coder offered, checked against the best match


@dataclass(frozen=True)
class GeneralRule:
    record: Record


@dataclass(frozen=True)
class NotFound:
    pass


Detail = (
    Declined
    | NotCovered
    | TableOnly
    | ClaimFacts
    | PairFacts
    | UnitsFacts
    | FamilyFacts
    | Several
    | RetiredCodes
    | RetiredRecord
    | InclusionFacts
    | ReadAs
    | NameTheCode
    | Describe
    | Lookup
    | GeneralRule
    | NotFound
)


@dataclass
class Decision:
    """The verdict and what it rests on; `compose.render` words it."""

    detail: Detail
    verdict: Verdict | None
    decided_by: DecidedBy
    claim_effect: ClaimEffect = "unknown"
    rules: list[RuleCitation] = field(default_factory=list)
    subject: list[str] = field(default_factory=list)  # codes of ours the answer is about
    undescribed: list[str] = field(default_factory=list)  # codes answered from the tables alone


@dataclass
class Context:
    """What deciders may consult, built once per turn by the chain."""

    records: dict[str, Record]
    rules: RulesDB | None
    policies: list[Record]
    hits: list[Hit]
    weak: bool  # retrieval found nothing close
    rank: Callable[[], list[str]]  # codes best matching the question, best first (lazy)
    service_codes: list[str] = field(default_factory=list)  # codes records name as services
    terms: list[ServiceTerm] = field(default_factory=list)  # names the knowledge base gives codes
    titles: list[ServiceTerm] = field(default_factory=list)  # procedure records' whole titles
    table_only: list[str] = field(default_factory=list)  # codes only the CMS tables know
    unknown: list[str] = field(default_factory=list)  # codes known nowhere
    codes: list[str] = field(default_factory=list)  # every code in play, in the order typed
    qualifiers: QualifierSet | None = None  # families whose codes differ by a clinical detail


class Decider(Protocol):
    """One kind of question: whether it applies to this turn, and its decision."""

    name: str

    def applies(self, q: ParsedQuestion, ctx: Context) -> bool: ...

    def decide(self, q: ParsedQuestion, ctx: Context) -> Decision: ...
