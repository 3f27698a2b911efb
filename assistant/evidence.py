"""Which structured fact settles "is X included in CODE?": the code's own `includes` /
`reported_separately` items, else those of the policy records that apply to it.

Accuracy must not hinge on a small LLM, so this verdict comes from matching the service asked
about against record items, never from generated text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.clauses import question_clause
from assistant.cues import FRAME, POINTS_BACK
from assistant.models import Verdict
from assistant.parse import ParsedQuestion
from assistant.records import Record, Service
from assistant.text import term_tokens


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
    tokens = list(dict.fromkeys(t for t in term_tokens(term) if t not in FRAME))
    if not tokens:
        return 0.0
    hits = sum(1 for t in tokens if t in topic)
    if hits == len(tokens):
        return float(len(tokens)) + 1.0  # a whole alias or name: strongest, longer = more specific
    # Part of a long service name: counts only if it covers most of the question's topic.
    return hits * 0.5 if hits and hits >= 0.6 * len(topic) else 0.0


WHOLE_TERM = 2.0  # the lowest score of a whole alias or service name


def covers(topic: set[str], term: str) -> bool:
    """The topic holds every content word of the term (a whole name)."""
    return _term_score(topic, term) >= WHOLE_TERM


def item_score(
    topic: Sequence[str], item: Service, other_codes: Sequence[str] = (), must: frozenset[str] = frozenset()
) -> float:
    """How well the item names the service; with `must`, only its names holding all those words
    count."""
    if any(c in item.codes for c in other_codes):
        return 10.0
    topic_set = set(topic)
    if not topic_set:
        return 0.0
    terms = [t for t in item.terms() if must <= set(term_tokens(t))]
    return max((_term_score(topic_set, term) for term in terms), default=0.0)


def _best(
    topic: Sequence[str],
    sources: Sequence[Record],
    other_codes: Sequence[str],
    min_score: float,
    must: frozenset[str] = frozenset(),
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
                score = item_score(topic, item, other_codes, must)
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
    question: ParsedQuestion,
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
        points_back = bool(POINTS_BACK.search(question_clause(question.text)))
        if own is None and not conflicted and question.context and points_back:
            # "... stopping the bleeding with the rollerball. Is that extra work billable on top
            # of 52601?": the question points back at the case notes, which name the service;
            # they must name it whole.
            own, conflicted = _best(question.context, [record], other_codes, WHOLE_TERM)
        if own is None and not conflicted:
            own = _named_before_head(question.topic, question.context, record)
        if own is not None or conflicted:
            return own
    found, _ = _best(question.topic, policies, other_codes, 0.0 if record is not None else WHOLE_TERM)
    return found


_NEGATIONS = frozenset({"not", "no"})
HEAD_WINDOW = 3  # the words before a head noun that may name it ("an endorectal cooling probe")


def _named_before_head(topic: Sequence[str], context: Sequence[str], record: Record) -> Evidence | None:
    """The item the case notes name whole just before the word the question asks about: "placed
    an endorectal cooling probe ... anything extra for the probe?" asks about the endorectal
    cooling device. Only a question about one thing (a negation aside): "is an epidural placed
    for post-op pain included?" names its service in full. Each place the notes use the word is
    read; the places must agree."""
    words = set(topic) - _NEGATIONS
    if len(words) != 1:
        return None
    (word,) = words
    found: list[Evidence] = []
    for i in (i for i, token in enumerate(context) if token == word and i > 0):
        best, conflicted = _best(context[max(0, i - HEAD_WINDOW) : i], [record], [], WHOLE_TERM)
        if conflicted:
            return None
        found += [best] if best is not None else []
    return found[0] if found and len({(e.kind, e.index) for e in found}) == 1 else None


def whole_item(topic: Sequence[str], record: Record, context: Sequence[str] = ()) -> Evidence | None:
    """The record's item that names the service whole (a whole alias or name), if one does and
    its matching items agree. A service asked about in one word the notes name in full ("JJ
    left in the same ureter. Is the stent billed on top?"): the item the notes name whole whose
    name holds the word asked about."""
    found, conflicted = _best(topic, [record], [], WHOLE_TERM)
    if found is None and not conflicted and context and len(set(topic)) == 1:
        found, conflicted = _best(context, [record], [], WHOLE_TERM, must=frozenset(topic))
    return None if conflicted else found


@dataclass(frozen=True)
class ServiceTerm:
    """A name the knowledge base gives one code: a record's title, or a service item naming
    exactly one code ("post-void residual by bladder scan" -> 51798)."""

    term: str
    code: str


def service_terms(records: Sequence[Record]) -> list[ServiceTerm]:
    terms = [ServiceTerm(r.title, r.key) for r in records if r.type == "procedure"]
    for record in records:
        for item in (*record.includes, *record.reported_separately):
            if len(item.codes) == 1:
                terms += [ServiceTerm(t, item.codes[0]) for t in item.terms()]
    return terms


def map_service(topic: Sequence[str], terms: Sequence[ServiceTerm], exclude: str) -> str | None:
    """The one code the service asked about is named as, by a whole title or alias match; None
    when nothing matches whole or the best matches name different codes (no guess)."""
    topic_set = set(topic)
    if not topic_set:
        return None
    scored = [(_term_score(topic_set, t.term), t.code) for t in terms if t.code != exclude]
    best = max((s for s, _ in scored), default=0.0)
    if best < WHOLE_TERM + 1.0:  # a two-word name at least: one shared word is no mapping
        return None
    codes = {c for s, c in scored if s == best}
    return codes.pop() if len(codes) == 1 else None
