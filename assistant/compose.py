"""Extractive answers: the verdict's wording and the passages it rests on, with [n] markers.

Every sentence here is built from a knowledge record or a retrieved passage, so the core of an
answer is right even when no LLM is configured.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant import compose_qualifiers, compose_rules, courtesy
from assistant.cite import Numbered
from assistant.decide.base import (
    ClaimFacts,
    Decision,
    Declined,
    Describe,
    FamilyFacts,
    GeneralRule,
    InclusionFacts,
    Lookup,
    NameTheCode,
    NotCovered,
    NotFound,
    PairFacts,
    ReadAs,
    RetiredCodes,
    RetiredRecord,
    Several,
    TableOnly,
    UnitsFacts,
)
from assistant.evidence import Evidence
from assistant.models import Hit, Passage
from assistant.records import Record
from assistant.text import tokenize


def _best_passage(
    hits: Sequence[Hit], code: str, topic: Sequence[str], fields: Sequence[str]
) -> Passage | None:
    """The passage of `code` (in the given fields) that shares most words with the topic."""
    wanted = set(topic)
    candidates = [h.passage for h in hits if h.passage.code == code and h.passage.field in fields]
    if not candidates:
        return None
    return max(candidates, key=lambda p: (len(wanted & set(tokenize(p.text))), -candidates.index(p)))


def out_of_scope(unknown: Sequence[str], scope: str) -> str:
    listed = ", ".join(unknown)
    return (
        f"{listed} is not covered: it is neither in the knowledge base nor in the CMS tables, so I "
        f"can't say what it includes or how it is reported; check the number. ({scope}.)"
    )


def table_only(facts: Sequence[tuple[str, str]], scope: str) -> str:
    """Codes the CMS tables know but the knowledge base does not describe."""
    listed = ", ".join(code for code, _ in facts)
    said = " ".join(f"From the CMS tables, {code}: {text}." for code, text in facts if text)
    return (
        f"{listed} is outside the knowledge base ({scope}), so there is no record of what it "
        f"includes and I can't give a verdict on its services. {said} To check it with other codes, "
        'name them together ("can I bill A with B?") or use the claim check.'
    ).strip()


# Said when an instruction to the assistant was removed from the question before answering.
SET_ASIDE = (
    "\n\nNote: the message also held an instruction to the assistant; it was set aside, and this "
    "answer rests on the sources only."
)
DECLINE_MESSAGES = {
    "clinical": "I can't give medical advice, a diagnosis or treatment guidance: CodeCite answers "
    "procedure-coding questions only. Please ask the treating clinician.",
    "payer": "Our sources are the CMS NCCI edits, the CMS fee schedule and our own procedure records; "
    "they do not hold any payer's coverage criteria, prior-authorization rules, rates or appeal "
    "processes. Check the payer's policy for that.",
    "supply": "Drug and supply codes (HCPCS Level II, such as J-codes and A-codes) are outside what "
    "CodeCite describes: its records cover procedure codes 50010-53899. A drug code's billing unit "
    "is set by its HCPCS descriptor (for example per mg or per vial), so check the HCPCS file and "
    "the payer's policy. Whether a supply or drug is billed with a procedure code here is answered "
    "from the NCCI tables: ask it as a pair (for example A4338 with 51702).",
    "courtesy": courtesy.REPLY,
    "falsify": "I can't help report a service that was not performed or is not documented, change "
    "the documentation or the date of service, or get a claim past an edit it should not pass: a "
    "claim reports what was done, on the date it was done, as the record documents it. I can "
    "explain which codes and modifiers the record does support.",
}


# The supply decline names the codes asked about before the general message.
SUPPLY_NAMED = "{codes} {verb} HCPCS Level II, which our records do not describe. "


def declined(reason: str = "", codes: Sequence[str] = ()) -> str:
    text = DECLINE_MESSAGES.get(
        reason,
        "I can only answer procedure-coding questions from the knowledge base, with its sources; "
        "I can't follow that request.",
    )
    if reason == "supply" and codes:
        named = codes[:3]
        text = SUPPLY_NAMED.format(codes=", ".join(named), verb="is" if len(named) == 1 else "are") + text
    if reason == "payer" and codes:
        # Name what was asked about, and what the sources can say about it instead.
        named = ", ".join(codes[:3])
        text += f" For {named} I can give the NCCI edits, the units allowed and the fee-schedule indicators."
    return text


def not_found() -> str:
    return "I could not find this in the knowledge base, so I can't answer it with a source."


def retired(record: Record, numbered: Numbered) -> str:
    n = numbered.add_id(f"{record.key}#summary-0")
    current = ", ".join(record.replaced_by)
    redirect = f" Use {current} instead." if current else " Report the current code for the service done."
    return f"{record.code} is a retired code, no longer active [{n}].{redirect}"


def inclusion(
    topic: Sequence[str],
    record: Record,
    evidence: Evidence | None,
    hits: Sequence[Hit],
    numbered: Numbered,
    service: str = "",
    asks_included: bool = True,
) -> str:
    code = record.key
    if evidence is None:
        asked = f'"{service}"' if service else " ".join(topic) or "that service"
        n = numbered.add_id(f"{code}#summary-0")
        return (
            f"Not stated: the sources do not say whether {asked} is included in {code}. "
            f"What they do say: {record.title} [{n}]."
        )
    n = numbered.add_id(evidence.passage_id)
    item = evidence.item
    codes = f" ({', '.join(item.codes)})" if item.codes else ""
    if record.type == "policy":
        where = f"the procedures it covers under a general coding rule ({record.title})"
    elif evidence.record_key == code:
        where = code
    else:
        where = f"{code} under a general coding rule"
    named = f"{item.service.capitalize()}{codes}"
    mid_sentence = f"{named[:1].lower()}{named[1:]}"
    # Answer the question as asked: "is X included?" -> "Yes, included"; "can I bill X?" -> "No".
    if evidence.verdict == "included" and asks_included:
        lead = f"Yes, included. {named} is part of {where} and is not reported separately [{n}]."
    elif evidence.verdict == "included":
        lead = f"No, {mid_sentence} is not reported separately: it is part of {where} [{n}]."
    elif asks_included:
        lead = f"No, not included. {named} is reported separately from {where} [{n}]."
    else:
        lead = f"Yes, {mid_sentence} is reported separately from {where} [{n}]."
    reason = f" {item.reason}" if item.reason else ""
    extra = _best_passage(hits, code, topic, ("body",))
    more = ""
    if extra is not None and set(topic) & set(tokenize(extra.text)):
        more = f" The record adds: {extra.text} [{numbered.add(extra)}]"
    return f"{lead}{reason}{more}"


def describe(records: Sequence[Record], hits: Sequence[Hit], numbered: Numbered, topic: Sequence[str]) -> str:
    if len(records) > 1:
        lines = [f"- {r.key}: {r.title} [{numbered.add_id(f'{r.key}#summary-0')}]" for r in records[:10]]
        more = f"\n(and {len(records) - 10} more)" if len(records) > 10 else ""
        return "The knowledge base has these codes:\n" + "\n".join(lines) + more
    record = records[0]
    n = numbered.add_id(f"{record.key}#summary-0")
    parts = [f"{record.key}: {record.title} [{n}]."]
    body = [h.passage for h in hits if h.passage.code == record.key and h.passage.field == "body"]
    best = _best_passage(hits, record.key, topic, ("body",))
    for p in ([best] if best else []) + [p for p in body if p is not best][:1]:
        parts.append(f"{p.text} [{numbered.add(p)}]")
    return " ".join(parts)


def lookup(
    ranked: Sequence[str],
    hits: Sequence[Hit],
    records: dict[str, Record],
    numbered: Numbered,
    lead: str = "The closest match in the knowledge base is",
) -> tuple[str, list[str]]:
    """Name the best-ranked record with a passage that shows why, and the runners-up."""
    if not ranked:
        return not_found(), []
    best = records[ranked[0]]
    n = numbered.add_id(f"{best.key}#summary-0")
    text = f"{lead} {best.key}: {best.title} [{n}]."
    body = next((h.passage for h in hits if h.passage.code == best.key and h.passage.field == "body"), None)
    body = body or numbered.get(f"{best.key}#body-0")
    if body is not None:
        text += f" {body.text} [{numbered.add(body)}]"
    others = [records[c] for c in ranked[1:3]]
    if others:
        # Alternatives, not support: named (each opens its record) but not cited as a source.
        listed = "; ".join(f"{r.key} ({r.title})" for r in others)
        text += f" If that does not fit, also consider {listed}."
    return text, list(ranked)


def general_rule(record: Record, hits: Sequence[Hit], numbered: Numbered) -> str:
    """A question about coding in general, answered by the policy record it matches best."""
    n = numbered.add_id(f"{record.key}#summary-0")
    text = f"General coding rule: {record.title} [{n}]."
    for p in [h.passage for h in hits if h.passage.code == record.key and h.passage.field == "body"][:2]:
        text += f" {p.text} [{numbered.add(p)}]"
    return text


def _no_description(codes: Sequence[str], scope: str) -> str:
    if not codes:
        return ""
    return (
        f"We hold no description of {', '.join(codes)} ({scope}); this answer comes from the "
        "CMS tables only. "
    )


def render(
    d: Decision, hits: Sequence[Hit], numbered: Numbered, records: dict[str, Record], scope: str
) -> str:
    """The extractive answer for a decision: every sentence from a record, a passage or a row."""
    f = d.detail
    if isinstance(f, Declined):
        return declined(f.reason, f.codes)
    if isinstance(f, NotCovered):
        return out_of_scope(f.codes, scope)
    if isinstance(f, TableOnly):
        return table_only(f.facts, scope)
    prefix = _no_description(d.undescribed, scope)
    if isinstance(f, ClaimFacts):
        return prefix + compose_rules.claim(f)
    if isinstance(f, PairFacts):
        return prefix + compose_rules.pair(f, records, numbered)
    if isinstance(f, UnitsFacts):
        return prefix + compose_rules.units(f, records, numbered)
    if isinstance(f, FamilyFacts):
        return prefix + compose_rules.family(f, records, numbered)
    if isinstance(f, Several):
        return prefix + "\n".join(
            compose_rules.units(one, records, numbered)
            if isinstance(one, UnitsFacts)
            else compose_rules.family(one, records, numbered)
            for one in f.facts
        )
    if isinstance(f, RetiredCodes):
        return prefix + compose_rules.retired_codes(f, records, numbered)
    if isinstance(f, RetiredRecord):
        return retired(f.record, numbered)
    if isinstance(f, ReadAs):
        record = records.get(f.code)
        named = f"{f.code} ({record.title})" if record else f.code
        lead = (
            f'No record of {f.pair.first} names "{f.words}"; the knowledge base names that service {named}. '
        )
        return lead + compose_rules.pair(f.pair, records, numbered)
    if isinstance(f, InclusionFacts):
        return inclusion(f.topic, f.record, f.evidence, hits, numbered, f.asked, f.asks_included)
    if isinstance(f, Describe):
        return describe(f.records, hits, numbered, f.topic)
    if isinstance(f, NameTheCode):
        return "Not stated: name the code to get a verdict. " + lookup(f.ranked, hits, records, numbered)[0]
    if isinstance(f, GeneralRule):
        return general_rule(f.record, hits, numbered)
    if isinstance(f, Lookup):
        if f.count is not None:
            return compose_qualifiers.count_text(f.count, records, numbered)
        text = lookup(f.ranked, hits, records, numbered, compose_qualifiers.lead(f.chosen))[0]
        before, after = (
            compose_qualifiers.proposal(f.proposed, f.ranked, f.chosen) if f.proposed else ("", "")
        )
        return " ".join(p for p in (before, text, compose_qualifiers.extra(f), after) if p)
    assert isinstance(f, NotFound)
    return not_found()
