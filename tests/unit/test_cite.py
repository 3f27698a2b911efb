from assistant.cite import check_generated, contradicts, grounded, remove_codes, strip_bad_markers

PASSAGES = [
    "Included in 50576: fulguration of lesions in the kidney or renal pelvis.",
    "Reported separately from 50576: radiological supervision and interpretation (74425).",
]


def test_markers_pointing_nowhere_are_removed() -> None:
    text, removed = strip_bad_markers("Yes [1]. Also [7].", 2)
    assert removed and text == "Yes [1]. Also."


def test_codes_outside_the_allowed_set_are_removed() -> None:
    text, removed = remove_codes("Report 50576 with 12345 and 0596T.", {"50576"})
    assert removed == ["12345", "0596T"]
    assert "12345" not in text and "50576" in text


def test_contradiction_of_the_verdict_is_detected() -> None:
    assert contradicts("This service is reported separately.", "included")
    assert contradicts("Fulguration is included in the code.", "separate")
    assert not contradicts("Fulguration is included in the code.", "included")


def test_grounding_needs_a_marker_and_shared_words() -> None:
    assert grounded("Fulguration of kidney lesions is part of the code [1].", PASSAGES)
    assert not grounded("Fulguration of kidney lesions is part of the code.", PASSAGES)
    assert not grounded("The passage is cited in the answer [1].", PASSAGES)


def test_check_generated_flags_invented_codes_and_keeps_grounded_text() -> None:
    checked = check_generated(
        "Fulguration of kidney lesions belongs to 50576, not 99999 [1].", "included", PASSAGES, {"50576"}, []
    )
    assert checked.accepted
    assert "99999" not in checked.text
    assert "removed_codes:99999" in checked.flags


def test_check_generated_drops_contradictions() -> None:
    checked = check_generated("Fulguration is reported separately [1].", "included", PASSAGES, {"50576"}, [])
    assert not checked.accepted and "dropped_contradiction" in checked.flags


def test_explanation_that_copies_a_passage_or_the_prompt_is_dropped() -> None:
    copied = "Included in 50576: fulguration of lesions in the kidney or renal pelvis [1]."
    assert "dropped_copy" in check_generated(copied, "included", PASSAGES, {"50576"}, []).flags
    echoed = "The passage is: [1] (50576) fulguration of kidney lesions belongs here [1]."
    assert "dropped_copy" in check_generated(echoed, "included", PASSAGES, {"50576"}, []).flags
    own_words = "Burning away kidney lesions with current is the fulguration this code names [1]."
    assert check_generated(own_words, "included", PASSAGES, {"50576"}, []).accepted
