"""CMS rules: NCCI PTP edits, MUE units and RVU indicators, and the answers built from them.

Storage is one normalized TSV per table plus meta.json ("as of" dates, sources), in
`assistant/rules_data/` (the shipped urinary extract) or `data_dir/rules/` once a user loads
their own quarterly CMS files with `codecite rules load` (see `rules_io.py`).
"""

from __future__ import annotations

import csv
import gzip
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import NamedTuple

from assistant.cite import Numbered
from assistant.models import RuleCitation, Verdict
from assistant.records import Record

SHIPPED = Path(__file__).with_name("rules_data")
MODIFIER_MEANING = {
    "0": "never reported together: no modifier can bypass this edit",
    "1": "reported together only with an appropriate NCCI modifier (e.g. 59 or XS/XU) when the "
    "services are truly distinct: a separate site, session or lesion",
    "9": "the edit is not applied",
}
MAI_MEANING = {
    "1": "a claim-line edit: units above the limit on one line are denied, separate lines may be appealed",
    "2": "a date-of-service edit based on policy: an absolute daily limit that is not exceeded on appeal",
    "3": "a date-of-service edit based on clinical benchmarks: more units need documented necessity"
    " on appeal",
}
MULT_PROC_MEANING = {
    "0": "no multiple-procedure payment adjustment",
    "2": "standard multiple-surgery payment rules (later procedures paid at a reduced rate)",
    "3": "special endoscopy rules: endoscopies of the same family are paid relative to the base code",
    "4": "special diagnostic imaging rules",
    "9": "the concept does not apply",
}


class PTPEdit(NamedTuple):
    column_1: str
    column_2: str
    deletion: str  # YYYYMMDD or "*" (active)
    modifier: str
    rationale: str
    effective: str = ""

    def active_on(self, day: str) -> bool:
        return self.deletion == "*" or self.deletion > day


@dataclass
class RulesDB:
    ptp: dict[tuple[str, str], list[PTPEdit]] = field(default_factory=dict)  # a pair may have periods
    mue: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # code -> units, mai, rationale
    rvu: dict[str, dict[str, str]] = field(default_factory=dict)  # code -> indicators
    inventory: dict[str, str] = field(default_factory=dict)  # code -> active | retired
    meta: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path) -> RulesDB:
        db = cls(meta=json.loads((directory / "meta.json").read_text()))
        # 100k+ rows: a plain split is several times faster than csv.DictReader here.
        with gzip.open(directory / "ptp.tsv.gz", "rt", encoding="utf-8") as handle:
            next(handle)  # header: column_1 column_2 deletion modifier rationale [effective]
            for line in handle:
                fields = line.rstrip("\n").split("\t")
                edit = PTPEdit(*fields[:5], fields[5] if len(fields) > 5 else "")
                db.ptp.setdefault((edit.column_1, edit.column_2), []).append(edit)
        db.mue = {
            r["code"]: (r["units"], r["mai"], r["rationale"]) for r in _read_tsv(directory / "mue.tsv.gz")
        }
        db.rvu = {r["code"]: r for r in _read_tsv(directory / "rvu.tsv.gz")}
        db.inventory = {r["code"]: r["status"] for r in _read_tsv(directory / "inventory.tsv.gz")}
        return db

    @property
    def today(self) -> str:
        return date.today().strftime("%Y%m%d")

    def edit_between(self, a: str, b: str) -> tuple[PTPEdit | None, PTPEdit | None]:
        """(active edit, deleted edit) between two codes in either column order."""
        edits = [*self.ptp.get((a, b), []), *self.ptp.get((b, a), [])]
        active = next((e for e in edits if e.active_on(self.today) and e.modifier != "9"), None)
        ended = sorted((e for e in edits if not e.active_on(self.today)), key=lambda e: e.deletion)
        deleted = ended[-1] if ended else None
        return active, deleted

    def is_retired(self, code: str) -> bool:
        return self.inventory.get(code) == "retired"

    def knows(self, code: str) -> bool:
        return code in self.inventory


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _date(value: str) -> str:
    return f"{value[:4]}-{value[4:6]}-{value[6:]}" if len(value) == 8 and value.isdigit() else value


def ptp_citation(edit: PTPEdit, as_of: str) -> RuleCitation:
    return RuleCitation(
        kind="ptp",
        label=f"CMS NCCI PTP {as_of}: {edit.column_1} / {edit.column_2}, modifier {edit.modifier}",
        detail=f"Column 1 {edit.column_1}, column 2 {edit.column_2}; modifier indicator {edit.modifier} "
        f"({MODIFIER_MEANING.get(edit.modifier, 'unknown')}); rationale: {edit.rationale}"
        + ("" if edit.deletion == "*" else f"; deleted {_date(edit.deletion)}"),
        as_of=as_of,
    )


def _summary(code: str, records: dict[str, Record], numbered: Numbered) -> str:
    record = records.get(code)
    if record is None:
        return code
    return f"{code} ({record.title}) [{numbered.add_id(f'{code}#summary-0')}]"


def _pair(
    codes: Sequence[str], db: RulesDB, records: dict[str, Record], numbered: Numbered
) -> tuple[str, Verdict | None, list[RuleCitation]]:
    a, b = codes[0], codes[1]
    as_of = db.meta.get("ptp_as_of", "")
    active, deleted = db.edit_between(a, b)
    if active is not None:
        c1, c2 = active.column_1, active.column_2
        text = (
            f"Yes, bundled: an active NCCI edit makes {c2} a column 2 code of {c1}, so {c2} is included "
            f"when both are done at the same session and only {_summary(c1, records, numbered)} is reported. "
            f"Modifier indicator {active.modifier}: {MODIFIER_MEANING.get(active.modifier, '')}. "
            f"Rationale: {active.rationale}. Also see {_summary(c2, records, numbered)}."
        )
        return text, "included", [ptp_citation(active, as_of)]
    text = (
        f"No active NCCI PTP edit pairs {_summary(a, records, numbered)} and "
        f"{_summary(b, records, numbered)} (edits as of {as_of}), so NCCI does not bundle them and "
        "each is reported separately when both are done; other payer rules may still apply."
    )
    cites = [ptp_citation(deleted, as_of)] if deleted is not None else []
    if deleted is not None:
        text += f" An earlier edit between them was deleted on {_date(deleted.deletion)}."
    return text, "separate", cites


def _units(
    code: str, db: RulesDB, records: dict[str, Record], numbered: Numbered
) -> tuple[str, list[RuleCitation]]:
    as_of = db.meta.get("mue_as_of", "")
    if code not in db.mue:
        return f"The MUE table (as of {as_of}) has no limit for {_summary(code, records, numbered)}.", []
    units, mai, rationale = db.mue[code]
    cite = RuleCitation(
        kind="mue",
        label=f"CMS NCCI MUE {as_of}: {code}, {units} unit(s), MAI {mai}",
        detail=f"MAI {mai}: {MAI_MEANING.get(mai, 'unknown')}; rationale: {rationale}",
        as_of=as_of,
    )
    text = (
        f"At most {units} unit(s) of {_summary(code, records, numbered)} per day under the NCCI "
        f"medically unlikely edit (MAI {mai}: {MAI_MEANING.get(mai, '')})."
    )
    return text, [cite]


def _family(
    code: str, db: RulesDB, records: dict[str, Record], numbered: Numbered
) -> tuple[str, list[RuleCitation]]:
    as_of = db.meta.get("rvu_as_of", "")
    row = db.rvu.get(code)
    if row is None:
        return f"The RVU file ({as_of}) has no indicators for {_summary(code, records, numbered)}.", []
    base = row.get("endo_base") or ""
    mult = row.get("mult_proc", "")
    parts = [f"{_summary(code, records, numbered)}: global period {row.get('glob_days', '?')} days"]
    parts.append(f"multiple-procedure indicator {mult} ({MULT_PROC_MEANING.get(mult, 'see the RVU file')})")
    if base:
        parts.append(
            f"endoscopic base code {_summary(base, records, numbered)}; when several endoscopies of "
            "this family are done at one session, the base code is not reported with them and "
            "payment follows the multiple-endoscopy rule"
        )
    cite = RuleCitation(
        kind="rvu",
        label=f"CMS PFS RVU {as_of}: {code}",
        detail=f"GLOB_DAYS {row.get('glob_days')}, MULT_PROC {mult}, ENDO_BASE {base or 'none'}",
        as_of=as_of,
    )
    return "; ".join(parts) + ".", [cite]


def answer_rules(
    intent: str, codes: Sequence[str], db: RulesDB, records: dict[str, Record], numbered: Numbered
) -> tuple[str, Verdict | None, list[RuleCitation]]:
    """Answer pair, units and family questions from the tables; the verdict comes from PTP."""
    retired = [c for c in codes if db.is_retired(c)]
    if retired:
        return (
            f"{', '.join(retired)} is a retired code with no active edits; "
            f"see {_summary(retired[0], records, numbered)}.",
            "not_stated",
            [],
        )
    if intent == "pair" and len(codes) >= 2:
        return _pair(codes, db, records, numbered)
    if intent == "units":
        text, cites = _units(codes[0], db, records, numbered)
        return text, None, cites
    text, cites = _family(codes[0], db, records, numbered)
    return text, None, cites


def load_rules(data_dir: Path, override: Path | None = None) -> RulesDB:
    """The user's loaded tables when present, else the shipped extract."""
    for directory in (override, data_dir / "rules", SHIPPED):
        if directory is not None and (directory / "meta.json").is_file():
            return RulesDB.load(directory)
    raise FileNotFoundError(f"no rules data in {data_dir / 'rules'} or {SHIPPED}")
