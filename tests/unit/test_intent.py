"""The question classifier: features that ignore codes, training, caching, and the shipped data."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.intent import (
    TRAINING,
    IntentModel,
    features,
    load_model,
    mask,
    read_examples,
    train,
    with_shorthand_spelt_out,
)

TINY = [
    ("is fluoroscopy included in 52000", "inclusion"),
    ("can i bill 52000 with 52332", "inclusion"),
    ("is the biopsy bundled into 52204", "inclusion"),
    ("how many units of 52204 per day", "units"),
    ("max units 52000", "units"),
    ("mue for 51798", "units"),
    ("what is the global period of 50590", "fee_schedule"),
    ("global days for 52356", "fee_schedule"),
    ("what is the base code of 50576", "fee_schedule"),
]


def test_codes_and_numbers_are_masked() -> None:
    assert mask("Is 52000 x2 ok with G0101?") == "is  code  x 9  ok with  code ?"
    assert features("units of 52000") == features("units of 43239")


def test_a_model_trained_on_examples_reads_typos(tmp_path: Path) -> None:
    model = train(TINY)
    assert model.predict("is fluoro bundeled in 50576").intent == "inclusion"
    assert model.predict("how many unit of 52332 a day?").intent == "units"
    assert model.predict("globel period 52353").intent == "fee_schedule"
    model.save(tmp_path / "m.npz")
    again = IntentModel.load(tmp_path / "m.npz")
    assert again.predict("max units 52310").intent == "units"


def test_model_is_trained_once_and_cached(tmp_path: Path) -> None:
    data = tmp_path / "intents.jsonl"
    data.write_text("\n".join(f'{{"text": "{t}", "intent": "{i}"}}' for t, i in TINY) + "\n")
    load_model(tmp_path / "cache", data)
    (cached,) = (tmp_path / "cache").glob("intent-*.npz")
    before = cached.stat().st_mtime_ns
    load_model(tmp_path / "cache", data)
    assert cached.stat().st_mtime_ns == before


def test_bad_training_line_names_the_file_and_line(tmp_path: Path) -> None:
    data = tmp_path / "intents.jsonl"
    data.write_text('{"text": "a", "intent": "units"}\n{"oops": 1}\n')
    with pytest.raises(ValueError, match=r"intents\.jsonl:2"):
        read_examples(data)


def test_shipped_training_data_covers_every_label() -> None:
    labels = {label for _, label in read_examples(TRAINING)}
    assert labels >= {"inclusion", "units", "fee_schedule", "lookup", "describe", "compare"}
    assert labels >= {"clinical", "payer", "falsify", "injection", "other"}


def test_training_sees_each_example_with_its_shorthand_spelt_out() -> None:
    """Questions reach the model spelt out, so it trains on that form as well as the typed one."""
    examples = with_shorthand_spelt_out([("PCNL or URS, which is better for him?", "clinical")])
    assert examples[0] == ("PCNL or URS, which is better for him?", "clinical")
    assert len(examples) == 2 and "ureteroscopy" in examples[1][0]
