"""Is a service included in a code? The code's own record facts, then the policy records that
apply to it (`assistant.evidence`); without a code, only a general policy can settle it."""

from __future__ import annotations

from dataclasses import replace

from assistant.decide.base import (
    Context,
    Decision,
    GeneralRule,
    InclusionFacts,
    NameTheCode,
    ReadAs,
    RetiredRecord,
)
from assistant.decide.tables import pair_facts, pair_verdict
from assistant.evidence import Evidence, find_evidence, map_service, whole_item
from assistant.models import ClaimEffect, DecidedBy
from assistant.parse import ParsedQuestion
from assistant.records import Record
from assistant.text import term_tokens


def _decision(q: ParsedQuestion, record: Record, evidence: Evidence | None, ctx: Context) -> Decision:
    if evidence is None:
        return Decision(
            InclusionFacts(record, None, q.topic, q.service), "not_stated", "none", subject=q.codes
        )
    source = ctx.records.get(evidence.record_key)
    by: DecidedBy = "policy" if source is not None and source.type == "policy" else "record"
    effect: ClaimEffect = "not_billable" if evidence.verdict == "included" else "billable"
    return Decision(
        InclusionFacts(record, evidence, q.topic, q.service, q.asks_included),
        evidence.verdict,
        by,
        effect,
        subject=q.codes,
    )


class Inclusion:
    """A code named (or carried from the conversation) and a service asked about."""

    name = "inclusion"

    def applies(self, q: ParsedQuestion, ctx: Context) -> bool:
        return q.intent in ("inclusion", "pair") and bool(q.codes)

    def decide(self, q: ParsedQuestion, ctx: Context) -> Decision:
        record = ctx.records[q.codes[0]]
        if record.type == "retired":
            return Decision(RetiredRecord(record), "not_stated", "record", subject=q.codes)
        policies = [p for p in ctx.policies if p.covers(record.key)]
        evidence = find_evidence(q, record, policies, [*q.codes[1:], *ctx.service_codes])
        if evidence is None and ctx.rules is not None:
            # No record fact names it: a service the knowledge base names as one code ("bladder
            # scan" -> 51798) goes to the PTP table with this code.
            code = map_service(q.topic, ctx.terms, record.key)
            if code is not None:
                facts = pair_facts(record.key, code, q, ctx.rules)
                verdict, effect, cite = pair_verdict(facts)
                read = ReadAs(q.service or " ".join(q.topic), code, facts)
                return Decision(read, verdict, "ptp", effect, [cite], subject=q.codes)
        return _decision(q, record, evidence, ctx)


class InclusionWithoutCode:
    """No code named: a general policy that matches the service as a whole, else ask for the code."""

    name = "inclusion_without_code"

    def applies(self, q: ParsedQuestion, ctx: Context) -> bool:
        return q.intent == "inclusion" and not q.codes

    def decide(self, q: ParsedQuestion, ctx: Context) -> Decision:
        evidence = find_evidence(q, None, ctx.policies)
        if evidence is not None:
            return _decision(q, ctx.records[evidence.record_key], evidence, ctx)
        # "... with a laparoscopic radical nephrectomy?": a procedure named by its whole title is
        # that code; the rest of the question is the service asked about.
        code = map_service(q.context, ctx.titles, exclude="")
        if code is not None:
            named = set(term_tokens(ctx.records[code].title))
            topic = [t for t in q.topic if t not in named]
            if topic:
                return Inclusion().decide(replace(q, codes=[code], topic=topic), ctx)
        if ctx.hits and ctx.hits[0].passage.record_type == "policy":
            # "What does a pelvic exenteration include?": the general rule retrieval leads with.
            return Decision(GeneralRule(ctx.records[ctx.hits[0].passage.code]), None, "policy")
        ranked = ctx.rank()
        anchor = _anchor(q, ranked, ctx)
        if anchor is not None:
            return Inclusion().decide(replace(q, codes=[anchor]), ctx)
        return Decision(NameTheCode(ranked), "not_stated", "none", subject=ranked[:1])


def _anchor(q: ParsedQuestion, ranked: list[str], ctx: Context) -> str | None:
    """The procedure a codeless inclusion question is about, when the best matches agree: "foley
    left in after a TURP - can I charge the catheter insertion?" ranks 51702 (the catheter
    itself), 52601 and 52630, and both TURP records name the drainage catheter as an included
    item. The best-ranked record naming the service whole, as a service with codes of its own,
    when every top-three record that names it gives the same verdict; None otherwise (the coder is
    asked for the code). An item without other codes is the procedure itself ("uretero w/ laser
    lith + stent cpt" asks for 52356, not whether lithotripsy is part of it)."""
    # The words asked about first; only when no record names them whole, the case notes'
    # fuller name for them ("a JJ left in ... is the stent billed?").
    for context in ((), q.context):
        named = [
            (code, found)
            for code in ranked[:3]
            if code in ctx.records
            and (found := whole_item(q.topic, ctx.records[code], context)) is not None
            and set(found.item.codes) - {code}
        ]
        if named:
            return named[0][0] if len({found.verdict for _, found in named}) == 1 else None
    return None
