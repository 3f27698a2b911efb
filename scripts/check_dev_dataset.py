"""Check the development evaluation set (evals/datasets/dev.jsonl) against the knowledge base and CMS tables.

Usage: .venv/bin/python scripts/check_dev_dataset.py [--dataset PATH] [--knowledge DIR] [--rules DIR]

Checks, per item (messages name the item id and field, never the question text):
- the line parses, has exactly the dataset keys (plus optional `tags`), valid intent and verdict;
- every expect.codes code has a knowledge record (front matter `code`), unless the item is out_of_scope,
  in which case none may have one (the gold says the code is unknown);
- `pair` items: verdict `included` iff an active PTP edit (deletion '*', modifier 0 or 1) joins the two
  codes in either direction, else `separate`;
- `units` items: verdict null and the MUE unit count named in must_mention_any;
- claims written in `source` are re-checked: "knowledge record C includes|reported_separately T",
  "knowledge record C silent on T", "NCCI PTP 2024-07-01 A/B active, modifier M",
  "no active NCCI PTP edit 2024-07-01 A/B", "NCCI MUE 2024-07-01 C N unit(s)", "NCCI manual ch. ... X.n";
- must_not_mention codes are invented (not in the knowledge base).
Prints counts by intent, verdict and area, and exits 1 when any check fails.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from assistant.codes import find_codes, is_code
from assistant.rules import load_rules
from assistant.rulesdb import RulesDB

ROOT = Path(__file__).resolve().parent.parent
KEYS = {"id", "turns", "intent", "expect", "source"}
OPTIONAL_KEYS = {"tags"}
EXPECT_KEYS = {"verdict", "codes", "must_mention_any", "must_not_mention"}
INTENTS = {"inclusion", "lookup", "describe", "compare", "followup", "out_of_scope", "injection"}
VERDICTS = {"included", "separate", "not_stated", "out_of_scope", None}
TAGS = {"pair", "units"}
NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7"}
# Sections present in the shipped NCCI manual excerpt (ch. VII C.1-30, H.3, I.6 and I.12-15; ch. IX D.1-8).
MANUAL_SECTIONS = {("VII", "C", n) for n in range(1, 31)} | {("VII", "H", 3), ("VII", "I", 6)}
MANUAL_SECTIONS |= {("VII", "I", n) for n in range(12, 16)} | {("IX", "D", n) for n in range(1, 9)}
AREAS = [
    ("kidney", "50010", "50599"),
    ("ureter", "50600", "50999"),
    ("bladder", "51000", "51999"),
    ("cystoscopy/ureteroscopy", "52000", "52399"),
    ("prostate", "52400", "52799"),
    ("urethra", "53000", "53899"),
]


@dataclass
class Knowledge:
    """What the checks need from knowledge/ and the rules tables."""

    rules: RulesDB
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    policies: list[dict[str, Any]] = field(default_factory=list)

    def active_edit(self, a: str, b: str) -> tuple[str, str, str] | None:
        edit = self.rules.edit_on(a, b, date.today())
        return (edit.column_1, edit.column_2, edit.modifier) if edit else None

    def active_modifier(self, c1: str, c2: str) -> str | None:
        """The modifier indicator of the active edit with c1 in column 1 and c2 in column 2."""
        edit = self.active_edit(c1, c2)
        return edit[2] if edit and edit[0] == c1 else None

    def mue(self, code: str) -> str | None:
        limit = self.rules.mue(code)
        return str(limit.units) if limit else None


def _front_matter(path: Path) -> dict[str, Any] | None:
    parts = re.split(r"^---\s*$", path.read_text(encoding="utf-8"), maxsplit=2, flags=re.M)
    if len(parts) < 3:
        return None
    data = yaml.safe_load(parts[1])
    return data if isinstance(data, dict) else None


def load_knowledge(knowledge_dir: Path, rules: RulesDB) -> Knowledge:
    kb = Knowledge(rules)
    for path in sorted(knowledge_dir.rglob("*.md")):
        data = _front_matter(path)
        if data is None:
            continue
        if data.get("type") == "policy":
            kb.policies.append(data)
        elif data.get("code"):
            kb.records[str(data["code"])] = data
    return kb


def _applies(policy: dict[str, Any], code: str) -> bool:
    for spec in policy.get("applies_to") or []:
        low, _, high = str(spec).partition("-")
        if low <= code <= (high or low):
            return True
    return False


def _service_items(kb: Knowledge, code: str, fld: str) -> list[dict[str, Any]]:
    """The record's service items in one field, plus those of policy records that apply to the code."""
    items = list(kb.records.get(code, {}).get(fld) or [])
    for policy in kb.policies:
        if _applies(policy, code):
            items += policy.get(fld) or []
    return items


def _item_matches(item: dict[str, Any], term: str) -> bool:
    term = term.lower().strip()
    if term in [str(c).lower() for c in item.get("codes") or []]:
        return True
    words = [str(item.get("service", "")), *[str(a) for a in item.get("aliases") or []]]
    return any(term in w.lower() for w in words)


def _mentioned(kb: Knowledge, code: str, term: str) -> bool:
    """Whether any word of the term shows up in a service item of either field."""
    texts = [
        " ".join(
            [str(i.get("service", "")), *map(str, i.get("aliases") or []), *map(str, i.get("codes") or [])]
        )
        for fld in ("includes", "reported_separately")
        for i in _service_items(kb, code, fld)
    ]
    joined = " ".join(texts).lower()
    return any(re.search(rf"\b{re.escape(w)}", joined) for w in term.lower().split())


def check_shape(item: Any, line_no: int) -> list[str]:
    if not isinstance(item, dict):
        return [f"line {line_no}: not a JSON object"]
    iid = item.get("id", f"line {line_no}")
    errors = [f"{iid}: missing key {k}" for k in sorted(KEYS - item.keys())]
    errors += [f"{iid}: unexpected key {k}" for k in sorted(item.keys() - KEYS - OPTIONAL_KEYS)]
    if errors:
        return errors
    expect = item["expect"]
    if not isinstance(expect, dict) or set(expect) != EXPECT_KEYS:
        return [f"{iid}: expect must have exactly {sorted(EXPECT_KEYS)}"]
    turns = item["turns"]
    if not (isinstance(turns, list) and turns and all(isinstance(t, str) and t.strip() for t in turns)):
        errors.append(f"{iid}: turns must be a non-empty list of non-empty strings")
    elif item["intent"] == "followup" and len(turns) != 2:
        errors.append(f"{iid}: a followup item has exactly two turns")
    if item["intent"] not in INTENTS:
        errors.append(f"{iid}: intent {item['intent']!r} not in {sorted(INTENTS)}")
    if expect["verdict"] not in VERDICTS:
        errors.append(f"{iid}: expect.verdict {expect['verdict']!r} is not a verdict")
    for key in ("codes", "must_mention_any", "must_not_mention"):
        if not (isinstance(expect[key], list) and all(isinstance(v, str) for v in expect[key])):
            errors.append(f"{iid}: expect.{key} must be a list of strings")
    errors += [f"{iid}: expect.codes has a malformed code {c!r}" for c in expect["codes"] if not is_code(c)]
    if not isinstance(item["source"], str) or len(item["source"]) < 10:
        errors.append(f"{iid}: source must name the public fact")
    tags = item.get("tags", [])
    if not isinstance(tags, list) or set(tags) - TAGS:
        errors.append(f"{iid}: tags must be a list drawn from {sorted(TAGS)}")
    return errors


def check_codes(item: dict[str, Any], kb: Knowledge) -> list[str]:
    iid, expect = item["id"], item["expect"]
    if expect["verdict"] == "out_of_scope":
        return [
            f"{iid}: out_of_scope gold but {c} has a knowledge record"
            for c in expect["codes"]
            if c in kb.records
        ]
    errors = [
        f"{iid}: expect.codes {c} is in neither the knowledge base nor the CMS tables"
        for c in expect["codes"]
        if c not in kb.records and not kb.rules.knows(c)
    ]
    if item["intent"] in ("out_of_scope", "injection"):
        errors.append(f"{iid}: intent {item['intent']} needs verdict out_of_scope")
    for phrase in expect["must_not_mention"]:
        errors += [
            f"{iid}: must_not_mention {c} is a real knowledge-base code"
            for c in find_codes(phrase)
            if c in kb.records
        ]
    return errors


def check_pair(item: dict[str, Any], kb: Knowledge) -> list[str]:
    iid, expect = item["id"], item["expect"]
    if len(expect["codes"]) != 2:
        return [f"{iid}: a pair item names exactly two codes"]
    edit = kb.active_edit(*expect["codes"])
    wanted = "included" if edit else "separate"
    if expect["verdict"] != wanted:
        return [f"{iid}: pair verdict {expect['verdict']!r} but the PTP table says {wanted!r} ({edit})"]
    return []


def _numbers(phrase: str) -> set[str]:
    found = set(re.findall(r"\d+", phrase))
    return found | {NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", phrase.lower()) if w in NUMBER_WORDS}


def check_units(item: dict[str, Any], kb: Knowledge) -> list[str]:
    iid, expect = item["id"], item["expect"]
    if len(expect["codes"]) != 1 or expect["verdict"] is not None:
        return [f"{iid}: a units item names one code and has verdict null"]
    units = kb.mue(expect["codes"][0])
    if units is None:
        return [f"{iid}: no MUE row for {expect['codes'][0]}"]
    if not any(units in _numbers(p) for p in expect["must_mention_any"]):
        return [f"{iid}: must_mention_any does not name the MUE unit count {units}"]
    return []


def _record_claim(iid: str, verdict: str | None, code: str, fld: str, term: str, kb: Knowledge) -> list[str]:
    if code not in kb.records:
        return [f"{iid}: source cites record {code}, which does not exist"]
    if not any(_item_matches(i, term) for i in _service_items(kb, code, fld)):
        return [f"{iid}: source says record {code} {fld} {term!r}, but no {fld} item matches"]
    wanted = "included" if fld == "includes" else "separate"
    return [] if verdict == wanted else [f"{iid}: source is {code} {fld} but verdict is {verdict!r}"]


def check_source(item: dict[str, Any], kb: Knowledge) -> list[str]:
    iid, src, verdict = item["id"], item["source"], item["expect"]["verdict"]
    errors: list[str] = []
    for code, fld, term in re.findall(
        r"knowledge record (\w{5}) (includes|reported_separately) ([^;]+)", src
    ):
        errors += _record_claim(iid, verdict, code, fld, term, kb)
    for code, term in re.findall(r"knowledge record (\w{5}) silent on ([^;]+)", src):
        if _mentioned(kb, code, term):
            errors.append(
                f"{iid}: source says record {code} is silent on {term!r}, but a service item mentions it"
            )
        if verdict != "not_stated":
            errors.append(f"{iid}: a 'silent on' source needs verdict not_stated")
    for c1, c2, mod in re.findall(r"PTP 2024-07-01 (\w{5})/(\w{5}) active, modifier (\d)", src):
        if kb.active_modifier(c1, c2) != mod:
            errors.append(
                f"{iid}: source claims active edit {c1}/{c2} modifier {mod}; table has "
                f"{kb.active_modifier(c1, c2)}"
            )
    for a, b in re.findall(r"no active NCCI PTP edit 2024-07-01 (\w{5})/(\w{5})", src):
        if kb.active_edit(a, b):
            errors.append(f"{iid}: source claims no active edit {a}/{b}, table has {kb.active_edit(a, b)}")
    for code, units in re.findall(r"MUE 2024-07-01 (\w{5}) (\d+) unit", src):
        if kb.mue(code) != units:
            errors.append(f"{iid}: source claims MUE {code} = {units}, table has {kb.mue(code)}")
    for chapter, sections in re.findall(r"manual ch\. (VII|IX) ((?:[A-Z]\.\d+(?:, | and )?)+)", src):
        for letter, num in re.findall(r"([A-Z])\.(\d+)", sections):
            if (chapter, letter, int(num)) not in MANUAL_SECTIONS:
                errors.append(f"{iid}: source cites manual ch. {chapter} {letter}.{num}, not in the excerpt")
    return errors


def area_of(code: str) -> str:
    return next((name for name, low, high in AREAS if low <= code <= high), "other")


def check_item(item: dict[str, Any], kb: Knowledge) -> list[str]:
    errors = check_codes(item, kb)
    tags = item.get("tags", [])
    if "pair" in tags:
        errors += check_pair(item, kb)
    if "units" in tags:
        errors += check_units(item, kb)
    return errors + check_source(item, kb)


def read_items(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    items: list[dict[str, Any]] = []
    errors: list[str] = []
    seen: set[str] = set()
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"line {line_no}: not valid JSON ({exc.msg})")
            continue
        shape = check_shape(item, line_no)
        if shape:
            errors += shape
            continue
        if item["id"] in seen:
            errors.append(f"line {line_no}: duplicate id {item['id']}")
        seen.add(item["id"])
        items.append(item)
    return items, errors


def summary(items: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    tags = Counter(t for i in items for t in i.get("tags", []))
    areas = Counter(
        area_of(i["expect"]["codes"][0])
        for i in items
        if i["expect"]["verdict"] != "out_of_scope" and i["expect"]["codes"]
    )
    return {
        "intent": dict(Counter(i["intent"] for i in items)),
        "verdict": dict(Counter(str(i["expect"]["verdict"]) for i in items)),
        "tags": dict(tags),
        "area": dict(areas),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=ROOT / "evals/datasets/dev.jsonl")
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--rules", type=Path, default=ROOT / "data/rules/rules.sqlite")
    args = parser.parse_args(argv)
    kb = load_knowledge(args.knowledge, load_rules(args.rules))
    items, errors = read_items(args.dataset)
    for item in items:
        errors += check_item(item, kb)
    print(f"{len(items)} items, {len(kb.records)} knowledge records, {len(kb.policies)} policy records")
    for name, counts in summary(items).items():
        print(f"  {name}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    for error in errors:
        print(f"ERROR {error}")
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
