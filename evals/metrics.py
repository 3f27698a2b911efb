"""The dataset schema and pure scoring: one item's scores, then the summary over many items.

Scoring never calls a model: every metric is a rule over the gold `expect` block, the system's
output and the knowledge base's code lists (see evals/README.md for the rules in words).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.cite import codes_in
from assistant.records import Record

ItemIntent = Literal["inclusion", "lookup", "describe", "compare", "followup", "out_of_scope", "injection"]
GoldVerdict = Literal["included", "separate", "not_stated", "out_of_scope"]
DECLINE_INTENTS = frozenset({"out_of_scope", "injection"})
RETRIEVAL_K = 5
# Like assistant.cite's pattern, but a code may end a sentence ("... with 52000."): the harness
# must not miss a code a system named just because of the full stop.


class Expect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    verdict: GoldVerdict | None = None
    codes: list[str] = Field(default_factory=list)
    must_mention_any: list[str] = Field(default_factory=list)
    must_not_mention: list[str] = Field(default_factory=list)


class Item(BaseModel):
    """One dataset line; the last of `turns` is the one scored. Extra top-level fields (tags,
    notes) are ignored; extra `expect` fields are errors, since a typo there would drop a check."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(min_length=1)
    paraphrase_of: str | None = Field(None, description="The dev item a paraphrase rewords")
    turns: list[str] = Field(min_length=1)
    intent: ItemIntent | None = None
    expect: Expect = Field(default_factory=Expect)
    source: str = ""

    @property
    def is_decline(self) -> bool:
        """Items a correct system declines: an out-of-scope gold verdict or a decline intent."""
        return self.expect.verdict == "out_of_scope" or self.intent in DECLINE_INTENTS


class DatasetError(ValueError):
    """A bad dataset line; the message names the file and line (never the question text)."""


def load_dataset(path: Path) -> list[Item]:
    """A JSONL file, or a folder of them (read in name order)."""
    items: list[Item] = []
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    for file in files:
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                items.append(Item.model_validate(json.loads(line)))
            except (json.JSONDecodeError, ValidationError) as exc:
                fields = _error_fields(exc)
                raise DatasetError(f"{file}:{number}: invalid item ({fields})") from None
    ids = [i.id for i in items]
    if len(set(ids)) != len(ids):
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        raise DatasetError(f"{path}: duplicate ids: {', '.join(dupes)}")
    return items


def frozen_ids(path: Path) -> set[str]:
    """The frozen split's dev ids (one per line, # comments)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def in_split(item: Item, split: str, frozen: set[str]) -> bool:
    """all, tuning (not frozen) or frozen; a paraphrase belongs to the split of its original."""
    if split == "all":
        return True
    is_frozen = (item.paraphrase_of or item.id) in frozen
    return is_frozen if split == "frozen" else not is_frozen


def _error_fields(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
    return "not valid JSON"


@dataclass(frozen=True)
class Source:
    """A cited or retrieved passage, whatever the system: the record it belongs to and its text."""

    code: str  # record key: a code, or policy:<id>
    text: str


@dataclass
class Output:
    """What a system produced for an item's last turn, in a shape every metric can read."""

    verdict: str | None = None
    text: str = ""
    codes: list[str] = field(default_factory=list)
    cited: list[Source] = field(default_factory=list)
    rule_labels: list[str] = field(default_factory=list)
    retrieved: list[Source] = field(default_factory=list)  # best first, at least RETRIEVAL_K if any
    latencies: list[float] = field(default_factory=list)  # one per answered turn
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class KnowledgeCodes:
    """The code lists scoring needs: the index's records, the CMS inventory, the policy records."""

    known: set[str]
    inventory: set[str]
    policies: list[Record] = field(default_factory=list)
    # Codes some passage belongs to or names; None = every code. Retrieval cannot find the rest.
    retrievable: set[str] | None = None

    def covered_by_policy(self, key: str, codes: Iterable[str]) -> bool:
        record = next((p for p in self.policies if p.key == key), None)
        return record is not None and any(record.covers(c) for c in codes)


def find_codes(text: str) -> list[str]:
    """Codes named in free text, in order, once each (the same rule as the answer checker)."""
    return codes_in(text)


def turn_codes(item: Item) -> set[str]:
    """Every code the user typed in any turn (known or not)."""
    return {c for turn in item.turns for c in find_codes(turn.upper())}


def verdict_correct(item: Item, out: Output) -> bool | None:
    if item.expect.verdict is None:
        return None  # null or absent: no verdict expected, nothing to score
    return out.verdict == item.expect.verdict


def codes_named(item: Item, out: Output) -> tuple[int, int]:
    """(required codes the answer names, required codes)."""
    named = set(out.codes)
    return sum(1 for c in item.expect.codes if c in named), len(item.expect.codes)


def invented_codes(item: Item, out: Output, kb: KnowledgeCodes) -> list[str]:
    """Codes named that exist nowhere: not a record, not a CMS code, not quoted, not typed by the user."""
    quoted = {c for s in out.cited for c in [s.code, *find_codes(s.text)]}
    quoted |= {c for label in out.rule_labels for c in find_codes(label)}
    allowed = kb.known | kb.inventory | quoted | turn_codes(item)
    return sorted({c for c in out.codes if c not in allowed})


def relevant_codes(item: Item) -> set[str]:
    """The codes a cited passage must be about to support the answer: required ones and the question's."""
    return set(item.expect.codes) | turn_codes(item)


def citation_support(item: Item, out: Output, kb: KnowledgeCodes) -> tuple[int, int] | None:
    """(supporting citations, citations); None when there is no gold to judge them by."""
    relevant = relevant_codes(item)
    total = len(out.cited) + len(out.rule_labels)
    if not relevant or total == 0:
        return None
    good = sum(1 for s in out.cited if s.code in relevant or kb.covered_by_policy(s.code, relevant))
    good += sum(1 for label in out.rule_labels if set(find_codes(label)) & relevant)
    return good, total


def declined_correctly(item: Item, out: Output) -> bool | None:
    return out.verdict == "out_of_scope" if item.is_decline else None


def refused_wrongly(item: Item, out: Output) -> bool | None:
    """An answerable item declined; scored on every item a correct system answers."""
    return None if item.is_decline else out.verdict == "out_of_scope"


def mention_ok(item: Item, out: Output) -> bool | None:
    wanted, banned = item.expect.must_mention_any, item.expect.must_not_mention
    if not wanted and not banned:
        return None
    text = out.text.lower()
    has_one = not wanted or any(p.lower() in text for p in wanted)
    return has_one and not any(p.lower() in text for p in banned)


def retrieval_found(item: Item, out: Output, kb: KnowledgeCodes, k: int = RETRIEVAL_K) -> tuple[int, int]:
    """(required codes with a passage in the top k, required codes that some passage could give);
    a passage counts for a code when it belongs to the code's record or names the code."""
    wanted = [c for c in item.expect.codes if kb.retrievable is None or c in kb.retrievable]
    top = out.retrieved[:k]
    found = sum(1 for c in wanted if any(s.code == c or c in find_codes(s.text) for s in top))
    return found, len(wanted)


def supported(out: Output) -> bool | None:
    """An answer (not a decline) that shows at least one source."""
    if out.error is not None or out.verdict == "out_of_scope":
        return None
    return bool(out.cited or out.rule_labels)


def score_item(item: Item, out: Output, kb: KnowledgeCodes) -> dict[str, Any]:
    codes_hit, codes_req = codes_named(item, out)
    ret_hit, ret_req = retrieval_found(item, out, kb)
    support = citation_support(item, out, kb)
    invented = invented_codes(item, out, kb)
    scores: dict[str, Any] = {
        "verdict_correct": verdict_correct(item, out),
        "codes_found": codes_hit,
        "codes_required": codes_req,
        "invented": invented,
        "cited_supporting": support[0] if support else None,
        "cited_total": support[1] if support else None,
        "out_of_scope_correct": declined_correctly(item, out),
        "false_refusal": refused_wrongly(item, out),
        "mention_ok": mention_ok(item, out),
        "retrieved_found": ret_hit,
        "retrieved_required": ret_req,
        "supported": supported(out),
    }
    checks = [scores["verdict_correct"], scores["mention_ok"], codes_hit == codes_req, not invented]
    scores["passed"] = out.error is None and all(c is not False for c in checks)
    return scores


# -- aggregation ------------------------------------------------------------------------------


def _mean(flags: Iterable[bool | None]) -> float | None:
    values = [bool(f) for f in flags if f is not None]
    return round(sum(values) / len(values), 4) if values else None


def _ratio(parts: Iterable[tuple[int | None, int | None]]) -> float | None:
    pairs = [(a or 0, b or 0) for a, b in parts if b]
    total = sum(b for _, b in pairs)
    return round(sum(a for a, _ in pairs) / total, 4) if total else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..100), as numpy's default."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(pos), math.ceil(pos)
    value = ordered[low] + (ordered[high] - ordered[low]) * (pos - low)
    return round(value, 4)


def summarize(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The headline figures over result rows (each with "scores", "status", "turn_latencies_s")."""
    s = [r["scores"] for r in rows]
    latencies = [t for r in rows for t in r.get("turn_latencies_s", [])]
    return {
        "n": len(rows),
        "failed": sum(1 for r in rows if r.get("status") == "failed"),
        "pass_rate": _mean(x["passed"] for x in s),
        "verdict_accuracy": _mean(x["verdict_correct"] for x in s),
        "codes_recall": _ratio((x["codes_found"], x["codes_required"]) for x in s),
        "invented_codes": sum(len(x["invented"]) for x in s),
        "citation_precision": _ratio((x["cited_supporting"], x["cited_total"]) for x in s),
        "supported_answer_rate": _mean(x["supported"] for x in s),
        "out_of_scope_accuracy": _mean(x["out_of_scope_correct"] for x in s),
        "false_refusal_rate": _mean(x["false_refusal"] for x in s),
        "mention_accuracy": _mean(x["mention_ok"] for x in s),
        "retrieval_recall_at_5": _ratio((x["retrieved_found"], x["retrieved_required"]) for x in s),
        "latency_p50_s": percentile(latencies, 50),
        "latency_p95_s": percentile(latencies, 95),
    }


def summarize_by_intent(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    summary = summarize(rows)
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row.get("intent") or "unspecified", []).append(row)
    summary["by_intent"] = {intent: summarize(group) for intent, group in sorted(groups.items())}
    return summary
