"""Evaluation metrics on hand-made outputs: each failure lowers the right figure, and only it.

Also the baseline's pieces (splitter, verdict keywords) and a whole run with the fake embedder
and fake LLM on the sample knowledge base.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from assistant.config import Settings
from assistant.embed import HashingEmbeddings
from assistant.index import build_index
from assistant.records import Record
from evals import run
from evals.baseline import parse_verdict, split_text
from evals.metrics import (
    DatasetError,
    Item,
    KnowledgeCodes,
    Output,
    Source,
    find_codes,
    load_dataset,
    percentile,
    score_item,
    summarize,
    summarize_by_intent,
)
from evals.report import write_report

POLICY = Record.model_validate(
    {
        "type": "policy",
        "policy_id": "endoscopy-fluoro",
        "title": "Fluoroscopy is part of endoscopy",
        "family": "policies",
        "applies_to": ["50551-50580"],
        "sources": ["NCCI ch. VII"],
        "code_set_year": 2025,
    }
)
KB = KnowledgeCodes(
    known={"50576", "50570", "52000", "52332"}, inventory={"74425", "76000"}, policies=[POLICY]
)
ITEM = Item.model_validate(
    {
        "id": "t1",
        "turns": ["Is ureteropyelography included in 50576?"],
        "intent": "inclusion",
        "expect": {
            "verdict": "separate",
            "codes": ["50576"],
            "must_mention_any": ["separately"],
            "must_not_mention": ["bundled"],
        },
    }
)
GOOD_TEXT = "No, not included: ureteropyelography S&I (74425) is reported separately from 50576 [1]."


def good_output(**changes: Any) -> Output:
    out = Output(
        verdict="separate",
        text=GOOD_TEXT,
        codes=["74425", "50576"],
        cited=[Source("50576", "Reported separately from 50576: ureteropyelography (74425).")],
        retrieved=[Source("50576", "50576 summary"), Source("50570", "50570 summary")],
        latencies=[0.2],
    )
    for key, value in changes.items():
        setattr(out, key, value)
    return out


def summary_of(out: Output, item: Item = ITEM) -> dict[str, Any]:
    row = {"id": item.id, "intent": item.intent, "status": "ok", "turn_latencies_s": out.latencies}
    return summarize([{**row, "scores": score_item(item, out, KB)}])


def changed(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    return {k for k in before if before[k] != after[k]}


BASE = summary_of(good_output())


def test_a_correct_answer_scores_full_marks() -> None:
    assert BASE["verdict_accuracy"] == 1.0
    assert BASE["codes_recall"] == 1.0
    assert BASE["invented_codes"] == 0
    assert BASE["citation_precision"] == 1.0
    assert BASE["mention_accuracy"] == 1.0
    assert BASE["retrieval_recall_at_5"] == 1.0
    assert BASE["pass_rate"] == 1.0
    assert BASE["out_of_scope_accuracy"] is None  # no decline item in the set
    assert BASE["false_refusal_rate"] == 0.0


def test_wrong_verdict_lowers_verdict_accuracy_only() -> None:
    after = summary_of(good_output(verdict="included"))
    assert after["verdict_accuracy"] == 0.0
    assert changed(BASE, after) == {"verdict_accuracy", "pass_rate"}


def test_invented_code_is_counted() -> None:
    text = GOOD_TEXT + " Also bill 99999."
    after = summary_of(good_output(text=text, codes=["74425", "50576", "99999"]))
    assert after["invented_codes"] == 1
    assert changed(BASE, after) == {"invented_codes", "pass_rate"}


def test_codes_from_records_inventory_citations_or_the_question_are_not_invented() -> None:
    item = ITEM.model_copy(update={"turns": ["Is 0596T included in 50576?"]})
    cited = [Source("50576", "see also 53855")]
    out = good_output(codes=["50570", "76000", "53855", "0596T"], cited=cited)
    assert score_item(item, out, KB)["invented"] == []


def test_missed_code_lowers_codes_recall() -> None:
    after = summary_of(good_output(codes=["74425"]))
    assert after["codes_recall"] == 0.0
    assert changed(BASE, after) == {"codes_recall", "pass_rate"}


def test_unsupported_citation_lowers_citation_precision() -> None:
    cited = [*good_output().cited, Source("52000", "52000: bladder endoscopy.")]
    after = summary_of(good_output(cited=cited))
    assert after["citation_precision"] == 0.5
    assert changed(BASE, after) == {"citation_precision"}


def test_policy_and_rule_citations_support_when_they_cover_the_codes() -> None:
    out = good_output(
        cited=[Source("policy:endoscopy-fluoro", "Fluoroscopy is part of endoscopy.")],
        rule_labels=["CMS NCCI PTP 2024-07-01: 50576 / 50570, modifier 1", "CMS MUE: 52000 units 1"],
    )
    assert score_item(ITEM, out, KB)["cited_supporting"] == 2
    assert score_item(ITEM, out, KB)["cited_total"] == 3


def test_mention_failures_lower_mention_accuracy() -> None:
    missing = summary_of(good_output(text="No [1]. 74425 and 50576."))
    banned = summary_of(good_output(text=GOOD_TEXT + " It is not bundled."))
    for after in (missing, banned):
        assert after["mention_accuracy"] == 0.0
        assert changed(BASE, after) == {"mention_accuracy", "pass_rate"}


def test_retrieval_miss_lowers_recall_at_5() -> None:
    far = [Source("52000", "x")] * 5 + [Source("50576", "50576 summary")]  # the hit is 6th
    after = summary_of(good_output(retrieved=far))
    assert after["retrieval_recall_at_5"] == 0.0
    assert changed(BASE, after) == {"retrieval_recall_at_5"}


def test_a_passage_naming_a_code_without_record_counts_for_retrieval() -> None:
    item = ITEM.model_copy(update={"expect": ITEM.expect.model_copy(update={"codes": ["74425", "99213"]})})
    out = good_output(retrieved=[Source("50576", "reported with its own radiology code, 74425.")])
    assert score_item(item, out, KB)["retrieved_found"] == 1
    # A code no passage in the index gives (99213 here) cannot be retrieved, so it is not asked for.
    kb = KnowledgeCodes(KB.known, KB.inventory, KB.policies, retrievable={"50576", "74425"})
    assert (
        score_item(item, out, kb)["retrieved_found"],
        score_item(item, out, kb)["retrieved_required"],
    ) == (1, 1)


def test_out_of_scope_items_and_false_refusals() -> None:
    decline = Item.model_validate(
        {"id": "o", "turns": ["Is a biopsy included in 99213?"], "intent": "out_of_scope"}
    )
    answered = summary_of(good_output(verdict="included", codes=["99213"]), decline)
    declined = summary_of(good_output(verdict="out_of_scope", codes=["99213"]), decline)
    assert answered["out_of_scope_accuracy"] == 0.0 and declined["out_of_scope_accuracy"] == 1.0
    assert declined["invented_codes"] == 0  # echoing the user's own code is not inventing one
    refused = summary_of(good_output(verdict="out_of_scope"))
    assert refused["false_refusal_rate"] == 1.0 and refused["verdict_accuracy"] == 0.0


def test_null_verdict_is_not_scored_and_failed_items_count_as_wrong() -> None:
    describe = Item.model_validate({"id": "d", "turns": ["What is 52000?"], "expect": {"verdict": None}})
    assert score_item(describe, good_output(verdict="included"), KB)["verdict_correct"] is None
    failed = score_item(ITEM, Output(error="boom"), KB)
    assert failed["verdict_correct"] is False and failed["codes_found"] == 0 and failed["passed"] is False


def test_aggregation_is_micro_averaged_and_grouped_by_intent() -> None:
    rows = [
        {
            "id": "a",
            "intent": "inclusion",
            "scores": score_item(ITEM, good_output(), KB),
            "turn_latencies_s": [1],
        },
        {
            "id": "b",
            "intent": None,
            "scores": score_item(ITEM, good_output(codes=[]), KB),
            "turn_latencies_s": [3],
        },
    ]
    summary = summarize_by_intent(rows)
    assert summary["codes_recall"] == 0.5 and summary["n"] == 2
    assert set(summary["by_intent"]) == {"inclusion", "unspecified"}
    assert summary["by_intent"]["inclusion"]["codes_recall"] == 1.0
    assert summary["latency_p50_s"] == 2.0


def test_percentile_interpolates() -> None:
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile([5.0], 95) == 5.0
    assert percentile([], 50) is None


def test_find_codes_keeps_a_code_that_ends_a_sentence() -> None:
    assert find_codes("Report 52000. Then 0596T, not $12345 or 50576.5") == ["52000", "0596T"]


def test_dataset_errors_name_the_line_not_the_question(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text(
        json.dumps({"id": "x", "turns": ["secret question"], "expect": {"verdit": "included"}}) + "\n"
    )
    with pytest.raises(DatasetError, match=r"d.jsonl:1: .*verdit") as info:
        load_dataset(path)
    assert "secret" not in str(info.value)
    path.write_text(json.dumps({"id": "x", "turns": ["q"], "tags": ["extra fields are fine"]}) + "\n")
    assert load_dataset(path)[0].id == "x"


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("Ureteropyelography is not included in 50576; it is reported separately.", "separate"),
        ("Yes, 52000 is bundled into 52332.", "included"),
        ("It is not reported separately.", "included"),
        ("The context does not say.", "not_stated"),
        ("I don't know.", "out_of_scope"),
        ("52000 is a diagnostic cystoscopy.", None),
    ],
)
def test_baseline_verdict_keywords(text: str, verdict: str | None) -> None:
    assert parse_verdict(text) == verdict


def test_splitter_keeps_chunks_under_size_with_overlap() -> None:
    text = "\n\n".join(f"Paragraph {i} " + "word " * 40 for i in range(20))
    chunks = split_text(text, size=500, overlap=250)
    assert len(chunks) > 1 and all(len(c) <= 500 for c in chunks)
    assert chunks[1].startswith(chunks[0].split("\n")[-1])  # the last paragraph carries over
    assert all(len(c) <= 300 for c in split_text("x" * 1000, size=300, overlap=0))


def test_report_has_both_columns_and_ratios(tmp_path: Path) -> None:
    rows = [{"id": "a", "intent": "inclusion", "status": "ok", "verdict": "separate",
             "expected_verdict": "separate", "scores": score_item(ITEM, good_output(), KB),
             "turn_latencies_s": [0.5]}]  # fmt: skip
    worse = [{**rows[0], "scores": score_item(ITEM, good_output(verdict="included"), KB)}]
    path = write_report(tmp_path, summarize_by_intent(rows), rows, summarize_by_intent(worse), worse)
    text = path.read_text()
    assert "| Verdict accuracy | 1.000 | 0.000 | ∞ | +100.0 pts |" in text
    assert (tmp_path / "accuracy_by_intent.png").stat().st_size > 0 and (tmp_path / "latency.png").is_file()


def test_whole_run_with_fake_models(
    tmp_path: Path, sample_knowledge: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI end to end, CodeCite and baseline, on the sample records with fake models."""
    settings = Settings.model_validate(
        {
            "knowledge_dir": str(sample_knowledge),
            "data_dir": str(tmp_path / "data"),
            "embedder": {"provider": "fake"},
        }
    )
    build_index(settings, HashingEmbeddings(), progress=False)
    monkeypatch.setenv("CODECITE_KNOWLEDGE_DIR", str(sample_knowledge))
    monkeypatch.setenv("CODECITE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CODECITE_EMBEDDER__PROVIDER", "fake")
    dataset = tmp_path / "d.jsonl"
    lines = [
        {"id": "a", "turns": ["Is ureteropyelography included in 50576?"], "intent": "inclusion",
         "expect": {"verdict": "separate", "codes": ["50576"]}},
        {"id": "b", "turns": ["Is a biopsy included in 50576?", "and fluoroscopy?"], "intent": "followup",
         "expect": {"verdict": "included", "codes": ["50576"]}},
    ]  # fmt: skip
    dataset.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    out = tmp_path / "out"
    assert run.main(["--dataset", str(dataset), "--out", str(out), "--provider", "fake", "--baseline"]) == 0
    results = [json.loads(x) for x in (out / "results.jsonl").read_text().splitlines()]
    assert [r["status"] for r in results] == ["ok", "ok"]
    assert len(results[1]["turn_latencies_s"]) == 2
    base = json.loads((out / "baseline_summary.json").read_text())
    assert base["n"] == 2 and base["system"] == "baseline"
    assert "| metric | CodeCite | baseline | ratio | difference |" in (out / "report.md").read_text()


def test_a_failing_item_is_recorded_and_the_run_goes_on() -> None:
    def explode(item: Item, out: Output) -> None:
        out.latencies.append(0.1)
        raise RuntimeError(f"model crashed on {item.turns[0]}")

    row = run.run_one(ITEM, explode, KB)
    assert row["status"] == "failed" and row["turn_latencies_s"] == [0.1]
    assert "ureteropyelography" not in row["error"]  # the question text never reaches the record
    assert row["scores"]["verdict_correct"] is False


def test_frozen_split_and_paraphrase_folder(tmp_path: Path) -> None:
    from evals.metrics import frozen_ids, in_split, load_dataset

    folder = tmp_path / "para"
    folder.mkdir()
    (folder / "a.jsonl").write_text('{"id": "d1-p1", "paraphrase_of": "d1", "turns": ["x"]}\n')
    (folder / "b.jsonl").write_text('{"id": "d2-p1", "paraphrase_of": "d2", "turns": ["y"]}\n')
    ids = tmp_path / "frozen.txt"
    ids.write_text("# comment\nd2\n")
    items = load_dataset(folder)
    frozen = frozen_ids(ids)
    assert [i.id for i in items] == ["d1-p1", "d2-p1"]
    assert [i.id for i in items if in_split(i, "frozen", frozen)] == ["d2-p1"]
    assert [i.id for i in items if in_split(i, "tuning", frozen)] == ["d1-p1"]
    assert len([i for i in items if in_split(i, "all", frozen)]) == 2


def test_shipped_frozen_split_is_a_third_of_dev() -> None:
    from evals.metrics import frozen_ids, load_dataset
    from evals.run import DEV, FROZEN

    frozen = frozen_ids(FROZEN)
    dev = {i.id for i in load_dataset(DEV)}
    assert frozen <= dev and 0.25 < len(frozen) / len(dev) < 0.45
