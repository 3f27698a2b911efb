"""Dev-only: rebuild assistant/rules_data/ (the shipped CMS extract) from ../shared/reference/cms.

The product never reads ../shared; this script copies what it needs into the package.
Skips with a message when ../shared is absent.
"""

import csv
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CMS = ROOT.parent / "shared" / "reference" / "cms"
OUT = ROOT / "assistant" / "rules_data"


def rows(path: Path, delimiter: str = "\t") -> list[dict[str, str]]:
    lines = [ln for ln in path.read_text().splitlines() if ln and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter=delimiter))


def write(name: str, header: list[str], data: list[list[str]]) -> None:
    with gzip.open(OUT / name, "wt", encoding="utf-8", newline="") as handle:
        w = csv.writer(handle, delimiter="\t", lineterminator="\n")
        w.writerow(header)
        w.writerows(data)


def main() -> int:
    if not CMS.is_dir():
        print(f"skipped: {CMS} not found (dev-only script)")
        return 0
    OUT.mkdir(exist_ok=True)
    ptp: dict[tuple[str, str, str], list[str]] = {}  # one pair may have several periods
    for f in (
        "ncci_ptp_practitioner_2024q3_urinary_col1.tsv",
        "ncci_ptp_practitioner_2024q3_urinary_col2.tsv",
    ):
        for r in rows(CMS / f):
            ptp[(r["column_1"], r["column_2"], r["deletion_date"])] = [
                r["column_1"],
                r["column_2"],
                r["deletion_date"],
                r["modifier_indicator"],
                r["ptp_edit_rationale"],
            ]
    write("ptp.tsv.gz", ["column_1", "column_2", "deletion", "modifier", "rationale"], sorted(ptp.values()))
    mue = [
        [r["hcpcs_code"], r["mue_units"], r["mue_mai"], r["mue_rationale"]]
        for r in rows(CMS / "ncci_mue_practitioner_2024q3_urinary.tsv")
    ]
    write("mue.tsv.gz", ["code", "units", "mai", "rationale"], mue)
    rvu = [
        [r["HCPCS"], r["STATUS_CODE"], r["GLOB_DAYS"], r["MULT_PROC"], r["ENDO_BASE"], r["BILAT_SURG"]]
        for r in rows(CMS / "pprrvu2025_oct_urinary.csv", ",")
        if not r["MOD"]
    ]
    write("rvu.tsv.gz", ["code", "status", "glob_days", "mult_proc", "endo_base", "bilat_surg"], rvu)
    inv = [
        [r["code"], "active" if r["in_pprrvu_2025oct"] == "1" else "retired"]
        for r in rows(CMS / "urinary_code_inventory_50010_53899.csv", ",")
    ]
    write("inventory.tsv.gz", ["code", "status"], inv)
    meta = {
        "ptp_as_of": "2024-07-01",
        "mue_as_of": "2024-07-01",
        "rvu_as_of": "2025-10 (RVU25D)",
        "source": "CMS NCCI practitioner PTP and MUE files (2024-07-01) and the CMS PFS RVU file "
        "(2025 October), urinary extract 50010-53899; see assistant/rules_data/README.md",
    }
    (OUT / "meta.json").write_text(json.dumps(meta, indent=1) + "\n")
    print(f"ptp {len(ptp)} mue {len(mue)} rvu {len(rvu)} inventory {len(inv)} -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
