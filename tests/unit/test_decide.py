"""Each decider alone, fed a hand-built ParsedQuestion (a fake parser) and a Context."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from assistant.decide import DECIDERS, Context, Decision, decide
from assistant.decide.base import (
    ClaimFacts,
    Declined,
    Describe,
    FamilyFacts,
    GeneralRule,
    InclusionFacts,
    Lookup,
    NameTheCode,
    NotCovered,
    PairFacts,
    TableOnly,
    UnitsFacts,
)
from assistant.models import Hit, Intent
from assistant.parse import ParsedQuestion
from assistant.records import Record, Service
from assistant.rulesdb import RulesDB
from assistant.service import Assistant

pytestmark = pytest.mark.unit

MakeContext = Callable[..., Context]


def question(
    intent: Intent, codes: list[str], topic: list[str] | None = None, **kw: object
) -> ParsedQuestion:
    return ParsedQuestion(" ".join(codes), intent, codes, [], topic or [], **kw)  # type: ignore[arg-type]


@pytest.fixture
def records(unit_assistant: Assistant) -> dict[str, Record]:
    return unit_assistant.index.records


@pytest.fixture
def context(records: dict[str, Record], tiny_rules: RulesDB) -> MakeContext:
    def make(codes: list[str] | None = None, **kw: object) -> Context:
        base: dict[str, object] = {
            "records": records,
            "rules": tiny_rules,
            "policies": [r for r in records.values() if r.type == "policy"],
            "hits": [],
            "weak": False,
            "rank": lambda: ["52356", "52353"],
            "codes": codes or [],
        }
        base.update(kw)
        return Context(**base)  # type: ignore[arg-type]

    return make


def test_a_declined_turn_is_declined_whatever_codes_it_names(context: MakeContext) -> None:
    d = decide(question("other", ["52000"], decline="clinical"), context(["52000"]))
    assert isinstance(d.detail, Declined) and d.detail.reason == "clinical"
    assert (d.verdict, d.decided_by) == ("out_of_scope", "scope")


def test_a_code_known_nowhere_is_not_covered(context: MakeContext) -> None:
    d = decide(question("inclusion", []), context(unknown=["99999"]))
    assert isinstance(d.detail, NotCovered) and d.detail.codes == ["99999"]


def test_three_codes_are_checked_as_one_claim(context: MakeContext) -> None:
    codes = ["52356", "52332", "52000"]
    d = decide(question("pair", codes), context(codes))
    assert isinstance(d.detail, ClaimFacts)
    assert (d.verdict, d.decided_by, d.claim_effect) == ("included", "claim", "not_billable")
    assert any("52356" in r.label and "52000" in r.label for r in d.rules)


@pytest.mark.parametrize(
    ("pair", "verdict", "effect", "modifier"),
    [
        (["52356", "52000"], "included", "not_billable", "0"),
        (["52332", "52356"], "included", "needs_modifier", "1"),
        (["52000", "50570"], "separate", "billable", None),
    ],
)
def test_a_pair_is_decided_by_the_ptp_edit(
    context: MakeContext, pair: list[str], verdict: str, effect: str, modifier: str | None
) -> None:
    d = decide(question("pair", pair), context(pair))
    assert isinstance(d.detail, PairFacts)
    assert (d.verdict, d.claim_effect, d.decided_by) == (verdict, effect, "ptp")
    assert (d.detail.active.modifier if d.detail.active else None) == modifier
    assert len(d.rules) == 1 and ("no edit" in d.rules[0].label) == (modifier is None)


def test_units_and_family_come_from_the_mue_and_rvu_tables(context: MakeContext) -> None:
    units = decide(question("units", ["52000"]), context(["52000"]))
    assert isinstance(units.detail, UnitsFacts) and units.detail.limit is not None
    assert (units.detail.limit.units, units.decided_by, units.verdict) == (1, "mue", None)
    family = decide(question("family", ["52332"]), context(["52332"]))
    assert isinstance(family.detail, FamilyFacts) and family.detail.row is not None
    assert (family.detail.row.endo_base, family.decided_by) == ("52000", "rvu")


def test_a_code_only_the_tables_know_gets_table_facts(context: MakeContext) -> None:
    d = decide(question("describe", []), context(["52442"], table_only=["52442"]))
    assert isinstance(d.detail, TableOnly) and d.detail.facts[0][0] == "52442"
    assert d.decided_by == "tables" and any(r.kind == "mue" for r in d.rules)


def test_inclusion_uses_the_record_fact(context: MakeContext) -> None:
    d = decide(question("inclusion", ["50576"], ["ureteropyelograph"]), context(["50576"]))
    assert isinstance(d.detail, InclusionFacts) and d.detail.evidence is not None
    assert (d.verdict, d.decided_by, d.claim_effect) == ("separate", "record", "billable")


def test_inclusion_without_a_matching_fact_is_not_stated(context: MakeContext) -> None:
    d = decide(question("inclusion", ["50576"], ["anesthesia"]), context(["50576"]))
    assert isinstance(d.detail, InclusionFacts) and d.detail.evidence is None
    assert (d.verdict, d.decided_by) == ("not_stated", "none")


def test_inclusion_without_a_code_asks_for_one(context: MakeContext) -> None:
    d = decide(question("inclusion", [], ["zzz"]), context())
    assert isinstance(d.detail, NameTheCode) and d.detail.ranked[0] == "52356"
    assert d.verdict == "not_stated" and d.subject == ["52356"]


def test_describe_and_lookup(context: MakeContext) -> None:
    described = decide(question("describe", ["52000"]), context(["52000"]))
    assert isinstance(described.detail, Describe) and described.decided_by == "record"
    looked_up = decide(question("lookup", []), context())
    assert isinstance(looked_up.detail, Lookup) and looked_up.subject == ["52356"]
    assert looked_up.decided_by == "search"


def test_every_decider_has_a_name_and_the_last_always_applies(context: MakeContext) -> None:
    names = [d.name for d in DECIDERS]
    assert len(set(names)) == len(names)
    assert DECIDERS[-1].applies(question("lookup", []), context())


def test_deciders_are_tried_in_order() -> None:
    class Never:
        name = "never"

        def applies(self, q: ParsedQuestion, ctx: Context) -> bool:
            return False

        def decide(self, q: ParsedQuestion, ctx: Context) -> Decision:
            raise AssertionError("not applicable")

    with pytest.raises(LookupError):
        decide(question("lookup", []), None, [Never()])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("facts", "modifier"),
    [(("opposite_sides",), "RT and LT"), (("separate_lesion",), "XS"), (("separate_session",), "XE")],
)
def test_a_modifier_1_edit_with_distinct_facts_is_reportable_with_the_modifier(
    context: MakeContext,
    records: dict[str, Record],
    unit_assistant: Assistant,
    facts: tuple[str, ...],
    modifier: str,
) -> None:
    from assistant.cite import Numbered
    from assistant.compose import render

    d = decide(question("pair", ["52332", "52356"], distinct=facts), context(["52332", "52356"]))
    assert (d.verdict, d.claim_effect, d.decided_by) == ("separate", "needs_modifier", "ptp")
    text = render(d, [], Numbered(unit_assistant.searcher.passages), records, "scope")
    assert text.startswith("Yes, with a modifier") and modifier in text and "document" in text


def test_a_modifier_0_edit_stays_bundled_whatever_the_question_says(context: MakeContext) -> None:
    d = decide(
        question("pair", ["52000", "52356"], distinct=("separate_session",)), context(["52000", "52356"])
    )
    assert (d.verdict, d.claim_effect) == ("included", "not_billable")


def test_a_service_named_in_words_is_read_as_its_code_and_the_tables_decide(context: MakeContext) -> None:
    from assistant.decide.base import ReadAs
    from assistant.evidence import ServiceTerm
    from assistant.text import tokenize

    terms = [ServiceTerm("electronic uroflow study", "51741"), ServiceTerm("uroflow study", "51741")]
    q = question("inclusion", ["52000"], tokenize("the uroflow study before it"), service="the uroflow study")
    d = decide(q, context(["52000"], terms=terms))
    assert isinstance(d.detail, ReadAs) and d.detail.code == "51741"
    assert (d.verdict, d.decided_by) == ("separate", "ptp") and "no edit" in d.rules[0].label
    # One shared word is no reading: nothing is guessed.
    vague = decide(question("inclusion", ["52000"], tokenize("study")), context(["52000"], terms=terms))
    assert isinstance(vague.detail, InclusionFacts) and vague.verdict == "not_stated"


def test_a_pair_answer_cites_the_record_item_that_names_the_other_code(
    context: MakeContext, records: dict[str, Record], unit_assistant: Assistant
) -> None:
    from assistant.cite import Numbered
    from assistant.compose import render

    numbered = Numbered(unit_assistant.searcher.passages)
    render(
        decide(question("pair", ["52000", "52356"]), context(["52000", "52356"])), [], numbered, records, ""
    )
    cited = [p.id for p in numbered.passages]
    assert cited[0].startswith("52356#includes-") and "52000" in numbered.passages[0].text


def test_a_fee_schedule_question_leads_with_the_indicator_asked(
    context: MakeContext, records: dict[str, Record], unit_assistant: Assistant
) -> None:
    from assistant.cite import Numbered
    from assistant.compose import render

    d = decide(question("family", ["52332"], fields=("bilat_surg",)), context(["52332"]))
    assert isinstance(d.detail, FamilyFacts) and d.detail.asked == ("bilat_surg",)
    text = render(d, [], Numbered(unit_assistant.searcher.passages), records, "")
    assert text.index("bilateral indicator") < text.index("global period") < text.index("multiple-procedure")


def test_a_payer_decline_names_the_code_and_what_the_sources_hold(
    context: MakeContext, records: dict[str, Record], unit_assistant: Assistant
) -> None:
    from assistant.cite import Numbered
    from assistant.compose import render

    d = decide(question("other", ["52000"], decline="payer", own_codes=["52000"]), context(["52000"]))
    text = render(d, [], Numbered(unit_assistant.searcher.passages), records, "")
    assert "payer's policy" in text and "For 52000" in text


def test_a_table_question_about_several_codes_answers_each(context: MakeContext) -> None:
    from assistant.decide.base import Several

    d = decide(question("units", ["52000", "52332"]), context(["52000", "52332"]))
    assert isinstance(d.detail, Several) and [f.code for f in d.detail.facts] == ["52000", "52332"]
    assert len(d.rules) == 2


def test_units_typed_over_the_mue_are_called_out(
    context: MakeContext, records: dict[str, Record], unit_assistant: Assistant
) -> None:
    from assistant.cite import Numbered
    from assistant.codes import mentions
    from assistant.compose import render

    d = decide(question("units", ["52332"], typed=mentions("52332 x9")), context(["52332"]))
    assert isinstance(d.detail, UnitsFacts) and d.detail.typed == 9
    text = render(d, [], Numbered(unit_assistant.searcher.passages), records, "")
    assert "over that limit" in text and "whole claim line" in text


def test_a_pair_answer_cites_the_generated_line_when_no_written_item_names_the_code(
    context: MakeContext, unit_assistant: Assistant, shipped_rules: RulesDB
) -> None:
    from assistant.bundling import FIELDS
    from assistant.cite import Numbered, codes_in
    from assistant.compose import render

    # 50557 bundles 50575 with modifier 0, and no written item of 50557 names 50575.
    records = unit_assistant.index.records
    assert not any("50575" in item.codes for item in records["50557"].includes)
    numbered = Numbered(unit_assistant.searcher.passages)
    pair = decide(question("pair", ["50557", "50575"]), context(["50557", "50575"], rules=shipped_rules))
    render(pair, [], numbered, records, "")
    first = numbered.passages[0]
    assert first.field in FIELDS and first.code == "50557" and "50575" in codes_in(first.text)


def _procedure(code: str, includes: list[Service], separate: list[Service] | None = None) -> Record:
    return Record(
        code=code, title=f"Procedure {code}", family="test", sources=["s"], code_set_year=2025,
        includes=includes, reported_separately=separate or [],
    )  # fmt: skip


def test_a_codeless_inclusion_question_is_anchored_when_the_best_matches_agree(
    context: MakeContext,
) -> None:
    drain = Service(service="bladder catheterization", aliases=["catheter insertion"], codes=["51702"])
    records = {
        "51702": _procedure("51702", []),  # the catheter itself ranks first and names no item
        "52601": _procedure("52601", [drain]),
        "52630": _procedure("52630", [drain]),
    }
    q = question("inclusion", [], ["catheter", "insert"])
    # These records only: no general policy (the sample's catheter policy would answer first).
    only = {"policies": [], "rank": lambda: ["51702", "52601", "52630"]}
    agree = decide(q, context(records=records, **only))
    assert (agree.verdict, agree.subject) == ("included", ["52601"])
    # Top matches that disagree on the item leave the code to the coder.
    records["52630"] = _procedure("52630", [], [drain])
    split = decide(q, context(records=records, **only))
    assert isinstance(split.detail, NameTheCode) and split.verdict == "not_stated"


def test_a_general_question_takes_the_policy_its_passages_support_best(
    context: MakeContext, unit_assistant: Assistant
) -> None:
    passages = unit_assistant.engine.searcher.passages
    policies = sorted({p.code for p in passages.values() if p.record_type == "policy"})
    lone, backed = policies[0], policies[1]
    by_code = {code: passages.by_codes([code]) for code in (lone, backed)}
    hits = [
        Hit(passage=by_code[lone][0], score=0.033),  # one passage of a neighbouring rule on top
        Hit(passage=by_code[backed][0], score=0.032),
        Hit(passage=by_code[backed][1], score=0.031),
    ]
    d = decide(question("lookup", []), context(hits=hits))
    assert isinstance(d.detail, GeneralRule) and d.detail.record.key == backed
    alone = decide(question("lookup", []), context(hits=hits[:1]))
    assert isinstance(alone.detail, GeneralRule) and alone.detail.record.key == lone
