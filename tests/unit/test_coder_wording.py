"""Wordings coders use, read by the question reader's components (cues, sides, spellings, a code
offered for checking, a courtesy turn, a code named twice), each checked on its own."""

from __future__ import annotations

import pytest

from assistant.conversation import Conversation, Turn
from assistant.courtesy import REPLY, is_courtesy
from assistant.cues import INCLUSION
from assistant.distinct import distinct_facts
from assistant.intent import IntentGuess
from assistant.models import Answer
from assistant.parse import ParsedQuestion, classify, parse
from assistant.qualifier_words import stated_values
from assistant.service import Assistant
from assistant.text import tokenize

KNOWN = {"51575", "38770", "51728", "52260", "52265", "52332", "52235", "53454", "76000", "53850", "53852"}


def read(text: str, turns: list[Turn] | None = None) -> ParsedQuestion:
    return parse(text, turns or [], KNOWN)


def turn(question: str, subject: list[str]) -> Turn:
    return Turn(question, read(question), Answer(text="(answer)", subject_codes=subject))


@pytest.mark.parametrize(
    ("variant", "spelling"),
    [("hydrodistention", "hydrodistension"), ("anaesthesia", "anesthesia"), ("dilatation", "dilation")],
)
def test_spelling_variants_tokenize_alike(variant: str, spelling: str) -> None:
    assert tokenize(variant) == tokenize(spelling)


@pytest.mark.parametrize(
    ("text", "sides"),
    [
        ("the tumor sat right over the L orifice so they left a L JJ", ()),
        ("stent left in the right ureter", ()),
        ("stone in the left ureter, stent in the right kidney", ("opposite_sides",)),
    ],
)
def test_right_as_an_adverb_and_left_as_a_verb_name_no_side(text: str, sides: tuple[str, ...]) -> None:
    assert distinct_facts(text, [], 2) == sides


@pytest.mark.parametrize(
    "question",
    [
        "Do we get anything for the rectal line, or is it built into 51728?",
        "does the rectal catheter get its own line with 51728?",
    ],
)
def test_coders_words_for_bundled_ask_about_inclusion(question: str) -> None:
    assert read(question).intent == "inclusion"


def test_a_comparison_of_three_codes_is_no_claim() -> None:
    assert read("What distinguishes 53850, 53852 and 53454?").intent == "describe"


def test_fee_schedule_words_in_the_case_notes_do_not_make_a_pair_a_fee_question() -> None:
    q = read(
        "radical cystectomy with bilat pelvic lymphadenectomy, billing 51575. surgeon also put down "
        "38770 for the node dissection, is it part of the cystectomy code"
    )
    assert q.intent == "pair" and q.codes == ["51575", "38770"]
    assert read("is 51575 bilateral, and what is the global period of 38770?").intent == "family"


def test_a_code_named_again_bare_is_the_same_claim_line() -> None:
    q = read("53454 + 76000-26 - fluoro used to find the port. does 76000 go thru with it?")
    assert q.claim_lines == ["53454", "76000-26"]
    assert read("is 52000 ok with 52332-59? we billed 52000-XS").claim_lines == ["52332-59", "52000-XS"]
    assert read("52332-LT and 52332-RT").claim_lines == ["52332-LT", "52332-RT"]


def test_a_new_code_with_it_is_paired_with_the_earlier_one() -> None:
    q = read("and 52332 with it?", [turn("billing 52235 for a 4 cm tumor", ["52235"])])
    assert q.codes == ["52235", "52332"]


@pytest.mark.parametrize(
    "question",
    [
        "hydrodistention for IC, done in the office w/ lido only, no GA - is it 52260?",
        "cysto with hydrodistension under local = 52260 right?",
        "hydrodistension for interstitial cystitis, would that be coded as 52260?",
    ],
)
def test_a_code_offered_for_a_description_is_checked_by_a_lookup(question: str) -> None:
    q = read(question)
    assert (q.intent, q.proposed, q.codes, q.earlier) == ("lookup", "52260", [], ["52260"])
    assert "52260" not in q.search_query  # the offered code does not steer the search


def test_a_code_offered_after_a_lookup_checks_that_lookup() -> None:
    first = read("hydrodistention for IC, done in the office w/ lido only, no GA")
    earlier = Turn("(q)", first, Answer(text="(answer)", subject_codes=["52265"]))
    q = read("so is that still 52 260?", [earlier])
    assert (q.intent, q.proposed, q.from_history) == ("lookup", "52260", True)
    assert "lido" in q.search_query


@pytest.mark.parametrize(
    "question",
    [
        "Is that 52260 billable with fulguration of bleeders?",
        "Is it 52000 included in the TURBT?",
        "would that 52000 include the urethral dilation?",
        "The code is 52000, does it include urethral dilation?",
    ],
)
def test_a_question_about_a_code_is_no_code_offered_for_checking(question: str) -> None:
    assert read(question).proposed == ""


def test_a_size_stated_beside_an_offered_code_is_kept_as_typed() -> None:
    q = read("TURBT of a 1.5 cm tumor - is it 52235?")
    assert q.proposed == "52235" and "1.5 cm" in q.search_query


def test_a_follow_up_after_thanks_reads_the_turn_before_the_thanks() -> None:
    lookup = read("hydrodistention for IC, done in the office w/ lido only, no GA")
    earlier = Turn("(q)", lookup, Answer(text="(answer)", subject_codes=["52265"]))
    thanks = Turn("thanks!", read("thanks!"), Answer(text="(reply)"))
    q = read("so is that still 52260?", [earlier, thanks])
    assert (q.intent, q.proposed) == ("lookup", "52260") and "lido" in q.search_query


def test_a_modifier_question_about_one_code_is_not_paired_with_an_unrelated_earlier_one() -> None:
    q = read("does 52235 need a modifier?", [turn("what is 52332?", ["52332"])])
    assert q.codes == ["52235"]
    paired = read("can I bill 52332 with a modifier?", [turn("billing 52235 for a 4 cm tumor", ["52235"])])
    assert paired.codes == ["52235", "52332"]


def test_a_code_asked_about_alone_is_described_not_checked() -> None:
    assert read("is 52260 right?").proposed == ""
    assert read("what is 52260?").intent == "describe"


def test_lidocaine_and_no_ga_state_local_anaesthesia() -> None:
    assert stated_values("done in the office w/ lido only, no GA") == {"anesthesia": "local"}
    assert stated_values("no general anesthesia") == {"anesthesia": "local"}
    assert stated_values("under general anesthesia") == {"anesthesia": "general"}
    # Lidocaine jelly is routine under general anaesthesia too: it states nothing on its own.
    assert stated_values("lidocaine jelly then converted to GA") == {"anesthesia": "general"}
    assert stated_values("pt was not awake") == {}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("hydrodistension under GA with local lidocaine instilled", "general"),  # local given under a GA
        ("local infiltration at the end, case done under general anesthesia", "general"),
        ("sorry, it was under local, not general", "local"),
        ("not under GA, just local", "local"),
    ],
)
def test_a_general_anaesthetic_decides_the_case_unless_it_is_denied(text: str, value: str) -> None:
    assert stated_values(text) == {"anesthesia": value}


@pytest.mark.parametrize(
    ("text", "courtesy"),
    [
        ("perfect thank you!! u saved my friday", True),
        ("thanks!", True),
        ("ok great", True),
        ("ok perfect so what about with a stent", False),
        ("thanks, is it the same for TURP?", False),
        ("great, 52204 too", False),
        ("the perfect stent placement", False),
        ("Great, now the left side", False),
        ("thanks. the stone was actually 3 cm", False),
        ("got it. bilateral", False),
        ("thanks, you are a lifesaver", True),
        ("ok thanks I will code it that way", True),
        ("perfect that's what i figured. thanks so much, you've been a lifesaver today!", True),
        ("thanks. they also did a biopsy", False),
        ("that's right thanks, and the stent too", False),
        ("ok thx, that saves me an appeal. have a good weekend!", True),
        ("thanks - saves me looking up 52332", False),
    ],
)
def test_a_courtesy_turn_is_told_from_a_follow_up(text: str, courtesy: bool) -> None:
    assert is_courtesy(text) == courtesy


def test_thanks_after_a_question_is_not_answered_with_it_again(unit_assistant: Assistant) -> None:
    chat = Conversation()
    unit_assistant.ask("Is ureteropyelography included in 50576?", chat)
    thanks = unit_assistant.ask("perfect thank you!!", chat)
    assert thanks.text == REPLY and not thanks.codes and thanks.verdict is None
    # The next follow-up still reads the coding turn before the thanks.
    assert unit_assistant.ask("does it include fulguration?", chat).question_codes == ["50576"]


def _falsify(confidence: float) -> IntentGuess:
    return IntentGuess("falsify", confidence, {"falsify": confidence, "inclusion": 1.0 - confidence})


@pytest.mark.parametrize(
    "text",
    [
        "had to take a chunk of the 12th rib to get in. anything extra i can add for the rib?",
        "it was bilateral tho, so 52300-50 right?",
    ],
)
def test_a_falsify_guess_without_a_sign_of_misreporting_is_answered(text: str) -> None:
    assert classify(text, 0, False, _falsify(0.8))[0] != "injection"


@pytest.mark.parametrize(
    "text",
    [
        "bill 52204 even though no biopsy was taken",
        "can we put DOS 1/2 on the claim so the new plan pays",
        "add XS so it gets past the edit",
        "the stent was opened but never placed, can we still bill 52332?",
    ],
)
def test_a_falsify_guess_with_a_sign_of_misreporting_is_declined(text: str) -> None:
    assert classify(text, 0, False, _falsify(0.8)) == ("injection", "falsify")


def test_a_sure_falsify_guess_is_declined_whatever_the_wording() -> None:
    assert classify("anything extra i can add?", 0, False, _falsify(0.97)) == ("injection", "falsify")


@pytest.mark.parametrize(
    ("text", "earlier", "facts"),
    [
        ("the exchange was the R kidney and the new tube went in on the L", "", ("opposite_sides",)),
        ("and on the L they did 50760 too", "R ureteral reimplant 50780, stent?", ("opposite_sides",)),
        ("and on the L they did 50760 too", "L ureteral reimplant 50780, stent?", ()),
        ("1 L of saline, R/O stone", "", ()),
        ("pt also had a separate 2 cm primary bladder stone, crushed", "", ("separate_lesion",)),
        ("for a separate mid ureter injury", "", ("separate_lesion",)),
        ("is the stent separate from the stone removal?", "", ()),
        ("the stone had nothing to do with the patch they biopsied", "", ("separate_lesion",)),
        ("tube change this morning, then to the ED tonight for a re-insertion", "", ("separate_session",)),
        ("seen this morning and the stent went in the same morning", "", ()),
    ],
)
def test_sides_in_letters_or_across_turns_and_separate_problems_are_distinct(
    text: str, earlier: str, facts: tuple[str, ...]
) -> None:
    assert distinct_facts(text, [], 2, earlier) == facts


def test_same_operation_changes_a_detail_while_same_op_asks_about_the_session() -> None:
    assert not INCLUSION.search("Same operation but the patient is male.")
    assert INCLUSION.search("were both done in the same op?")


def test_a_leading_falsify_guess_with_its_cue_is_declined_below_the_usual_confidence() -> None:
    wasted = "doc didnt end up placing it. can we still bill 52332 since the stent was wasted?"
    assert classify(wasted, 1, False, _falsify(0.65)) == ("injection", "falsify")
    assert classify("anything extra i can add for the rib?", 0, False, _falsify(0.65))[0] != "injection"


@pytest.mark.parametrize(
    "follow_up",
    [
        "ok. cardiology ran a 12-lead EKG during the case, 93000. does the EKG get bundled into it?",
        "someone coded 93000 for the EKG. can that go on too?",
    ],
)
def test_a_code_we_hold_no_record_of_is_asked_about_beside_the_earlier_code(follow_up: str) -> None:
    """An inclusion question on a code outside the records can only be about it with the earlier
    procedure; a describe question about such a code stays its own."""
    earlier = turn("cysto with stent 52332, right side", ["52332"])
    q = read(follow_up, [earlier])
    assert q.codes == ["52332"] and q.unknown_codes == ["93000"] and q.intent == "pair"
    alone = read("different question, nothing to do with that case: what does 93000 describe?", [earlier])
    assert alone.codes == []


def test_codes_set_against_each_other_with_v_are_compared() -> None:
    assert read("53850 v 53852 v 52235, which is which?").intent == "describe"


def _clinical(confidence: float) -> IntentGuess:
    return IntentGuess("clinical", confidence, {"clinical": confidence, "injection": 1.0 - confidence})


def test_a_question_naming_the_coding_rule_books_is_not_declined_as_clinical_unless_sure() -> None:
    rule = "What is the NCCI rule on bladder neck reconstruction after prostate removal?"
    assert classify(rule, 0, False, _clinical(0.65))[0] != "other"
    assert classify(rule, 0, False, _clinical(0.9)) == ("other", "clinical")
    assert classify("should he have the prostate removed?", 0, False, _clinical(0.65)) == (
        "other",
        "clinical",
    )


def test_a_service_added_to_the_code_named_keeps_that_code_alone() -> None:
    earlier = turn("cysto with stent 52332, right side", ["52332"])
    assert read("can I add fulguration to 52235?", [earlier]).codes == ["52235"]
    assert read("can I add 52235 for the tumor?", [earlier]).codes == ["52332", "52235"]
