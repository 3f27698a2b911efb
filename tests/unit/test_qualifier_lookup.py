"""Lookups and follow-ups decided by the qualifier families (knowledge/qualifiers/)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from assistant.cite import Numbered
from assistant.compose_qualifiers import count_text, family_line
from assistant.decide import DECIDERS
from assistant.decide.base import Context, Lookup
from assistant.decide.lookup import Counting, LookingUp
from assistant.parse import ParsedQuestion
from assistant.qualifiers import QualifierSet, load_qualifiers
from assistant.records import Record
from assistant.rulesdb import RulesDB
from tests.conftest import KNOWLEDGE

MakeContext = Callable[[list[str]], Context]


@pytest.fixture(scope="module")
def qualifiers() -> QualifierSet:
    return load_qualifiers(KNOWLEDGE)


@pytest.fixture
def context(qualifiers: QualifierSet, shipped_rules: RulesDB) -> MakeContext:
    def make(ranked: list[str]) -> Context:
        return Context(
            records={}, rules=shipped_rules, policies=[], hits=[], weak=False,
            rank=lambda: list(ranked), qualifiers=qualifiers,
        )  # fmt: skip

    return make


def lookup(text: str, codes: list[str] | None = None, from_history: bool = False) -> ParsedQuestion:
    return ParsedQuestion(text, "lookup", codes or [], [], [], search_query=text, from_history=from_history)


def decided(q: ParsedQuestion, ctx: Context) -> Lookup:
    detail = LookingUp().decide(q, ctx).detail
    assert isinstance(detail, Lookup)
    return detail


@pytest.mark.parametrize(
    ("ranked", "text", "code"),
    [
        (["53230", "53240"], "excision of urethral diverticulum in a pt and for a male patient?", "53235"),
        (["52234", "52235"], "TURBT, single tumor what if it measured 6 cm instead?", "52240"),
        (["52234"], "TURBT fulguration of a 0.4 cm lesion - code?", "52224"),
        (["52235"], "resected tumors, largest 4.5 cm, total burden about 6 cm", "52235"),
        (["52317"], "cystolitholapaxy, bladder stone and a 3.5 cm stone?", "52318"),
        (["50240", "50220"], "partial nephrectomy and done laparoscopically?", "50543"),
        (["50780"], "ureteral reimplant, single ureter and if done lap with cysto and stent?", "50947"),
        (["52341"], "stricture of ureter treated with laser via ureteroscope", "52344"),
        (["53451"], "adjustable continence balloon, one side only", "53452"),
        (["53665", "53600"], "female urethral dilation, first treatment", "53660"),  # default: local
    ],
)
def test_the_stated_details_pick_the_family_member(
    context: MakeContext, ranked: list[str], text: str, code: str
) -> None:
    detail = decided(lookup(text), context(ranked))
    assert detail.ranked[0] == code
    assert detail.chosen is not None and detail.chosen.code == code
    assert detail.chosen.replaced == (None if ranked[0] == code else ranked[0])


def test_a_size_on_a_tier_bound_is_flagged(context: MakeContext) -> None:
    detail = decided(lookup("TURBT of a 2.0 cm tumour"), context(["52235"]))
    assert detail.chosen is not None and (detail.chosen.code, detail.chosen.on_bound) == ("52234", True)


def test_no_stated_detail_keeps_the_search_order(context: MakeContext) -> None:
    detail = decided(lookup("urethral diverticulum excision"), context(["53230", "53235"]))
    assert detail.ranked == ["53230", "53235"] and detail.chosen is None


def test_a_stated_detail_looks_past_a_top_match_outside_the_family(context: MakeContext) -> None:
    ranked = ["53410", "50660", "53215"]
    follow = decided(lookup("total urethrectomy male?", from_history=True), context(ranked))
    assert follow.ranked[0] == "53215"
    # A first question stating the detail a neighbour's family splits on is read the same way
    # ("TURBT, large tumor 6cm" ranked a ureter tumour code first).
    fresh = decided(lookup("total urethrectomy male?"), context(ranked))
    assert fresh.ranked[0] == "53215" and fresh.chosen is not None and fresh.chosen.replaced == "53410"
    unstated = decided(lookup("total urethrectomy?"), context(ranked))
    assert unstated.ranked[0] == "53410" and unstated.chosen is None
    sized = ParsedQuestion(
        "what if it measured 6 cm instead?", "lookup", [], [], [],
        search_query="TURBT what if it measured 6 cm instead?", from_history=True,
    )  # fmt: skip
    assert decided(sized, context(["52204", "52235"])).ranked[0] == "52240"


def test_a_count_after_a_lookup_is_the_first_code_plus_add_on_units(context: MakeContext) -> None:
    q = ParsedQuestion(
        "They ended up placing 4 implants total. How do I report it?", "inclusion", ["52441"], [], [],
        from_history=True,
    )  # fmt: skip
    ctx = context(["52441"])
    assert Counting().applies(q, ctx)
    decision = Counting().decide(q, ctx)
    assert isinstance(decision.detail, Lookup) and decision.detail.count is not None
    split = decision.detail.count
    assert (split.first, split.add_on, split.total) == ("52441", "52442", 4)
    assert decision.subject == ["52441", "52442"]
    assert [r.kind for r in decision.rules] == ["aoc", "mue"]
    text = count_text(split, {}, Numbered({}))
    assert "52441 x1 + 52442 x3" in text and "MUE for 52442 is 6" in text


def test_a_count_follow_up_and_no_count(context: MakeContext) -> None:
    detail = decided(lookup("prostatic urethral lift and 4 implants?", from_history=True), context(["52441"]))
    assert detail.count is not None and detail.count.total == 4
    no_count = ParsedQuestion("is the cystoscopy included in 52441?", "inclusion", ["52441"], [], [])
    assert not Counting().applies(no_count, context(["52441"]))
    inclusion = ParsedQuestion(
        "is the cystoscopy included in 52441 with 4 implants?",
        "inclusion",
        ["52441"],
        [],
        [],
        asks_included=True,
    )
    assert not Counting().applies(inclusion, context(["52441"]))


def test_both_sides_on_a_code_that_does_not_split_by_side(context: MakeContext) -> None:
    detail = decided(
        lookup("percutaneous cryoablation of a kidney tumor, what if it's bilateral?"), context(["50593"])
    )
    assert detail.sides is not None and detail.sides.row is not None
    assert (detail.sides.code, detail.sides.row.bilat_surg) == ("50593", "1")


def test_counting_comes_before_inclusion() -> None:
    names = [d.name for d in DECIDERS]
    assert names.index("count") < names.index("inclusion")


def test_the_family_line_names_every_member_with_its_values(qualifiers: QualifierSet) -> None:
    tiers = next(f for f in qualifiers.families if f.family == "bladder-tumour-by-size")
    line = family_line(tiers)
    assert "52224 under 0.5 cm" in line and "52240 over 5 cm" in line and "splits by size" in line


def test_a_detail_the_top_match_states_itself_keeps_it(
    qualifiers: QualifierSet, shipped_rules: RulesDB
) -> None:
    """52356 (ureteroscopy, stone, stent) has no family; its neighbour 52353's family splits on
    the scope, which the question states, but so does 52356's own title."""
    top = Record(
        code="52356", title="Ureteroscopy through the bladder with lithotripsy and a double-J stent",
        family="ureteroscopy", sources=["s"], code_set_year=2025,
    )  # fmt: skip
    neighbour = top.model_copy(
        update={"code": "52353", "title": "Ureteroscopy through the bladder with lithotripsy"}
    )
    ctx = Context(
        records={"52356": top, "52353": neighbour}, rules=shipped_rules, policies=[], hits=[], weak=False,
        rank=lambda: ["52356", "52353"], qualifiers=qualifiers,
    )  # fmt: skip
    detail = decided(lookup("which code for ureteroscopy with laser lithotripsy and a stent?"), ctx)
    assert detail.ranked[0] == "52356"


def test_a_follow_up_chooses_in_the_family_of_the_code_answered_before(context: MakeContext) -> None:
    text = "cysto basket extraction of a ureteral stone and if done through the ureteroscope instead?"
    q = replace(lookup(text, from_history=True), earlier=["52320"])
    # The search ranks a fragmentation code first; the code answered before (52320, cystoscope)
    # splits on the scope the turn changes, so its ureteroscope member is chosen.
    assert decided(q, context(["52353", "52330"])).ranked[0] == "52352"
    assert decided(lookup(text, from_history=True), context(["52353", "52330"])).ranked[0] == "52353"
