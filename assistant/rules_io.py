"""Import a user's current quarterly CMS files (PTP, MUE, RVU) in CMS's published layouts.

Rows that do not parse are rejected with their line number; the rest are kept. The result is
written to `data_dir/rules/` (via a temp directory and an atomic rename) and replaces the
shipped extract for the tables that were loaded.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.rules import SHIPPED

CODE = re.compile(r"^(\d{5}|\d{4}[A-Z]|[A-Z]\d{4})$")
DATE = re.compile(r"^\d{8}$")
HEADERS = {
    "ptp": ["column_1", "column_2", "deletion", "modifier", "rationale", "effective"],
    "mue": ["code", "units", "mai", "rationale"],
    "rvu": ["code", "status", "glob_days", "mult_proc", "endo_base", "bilat_surg"],
    "inventory": ["code", "status"],
}


@dataclass
class LoadReport:
    kind: str
    path: str
    loaded: int = 0
    rejected: list[str] = field(default_factory=list)  # "line N: reason"
    as_of: str = ""


def _rows(path: Path) -> list[tuple[int, list[str]]]:
    raw = path.read_bytes()
    text = (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8-sig", errors="replace")
    delimiter = "\t" if text.count("\t") > text.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return [(n, [c.strip() for c in row]) for n, row in enumerate(reader, start=1)]


def detect_kind(path: Path) -> str:
    head = " ".join(" ".join(r) for _, r in _rows(path)[:12]).upper()
    if "ENDO" in head or "GLOB" in head or "RVU" in head:
        return "rvu"
    if "MUE" in head or "ADJUDICATION" in head or "MAI" in head:
        return "mue"
    return "ptp"


def _data_rows(rows: Sequence[tuple[int, list[str]]]) -> Iterable[tuple[int, list[str]]]:
    """Skip the title and header lines CMS puts above the data (up to the first code row)."""
    started = False
    for n, row in rows:
        if not any(row) or (row[0].startswith("#") and not started):
            continue
        started = started or bool(CODE.match(row[0]))
        if started:
            yield n, row


def parse_ptp(path: Path, report: LoadReport) -> list[list[str]]:
    """PTP: column 1, column 2, pre-1996 flag, effective date, deletion date, modifier, rationale."""
    out: list[list[str]] = []
    for n, row in _data_rows(_rows(path)):
        if len(row) < 7:
            report.rejected.append(f"line {n}: expected 7 columns, got {len(row)}")
            continue
        c1, c2, _, eff, dele, mod, why = row[:7]
        problem = (
            f"column 1 {c1!r} is not a code"
            if not CODE.match(c1)
            else f"column 2 {c2!r} is not a code"
            if not CODE.match(c2)
            else f"effective date {eff!r} is not YYYYMMDD"
            if not DATE.match(eff)
            else f"deletion date {dele!r} is not YYYYMMDD or *"
            if dele != "*" and not DATE.match(dele)
            else f"modifier indicator {mod!r} is not 0, 1 or 9"
            if mod not in ("0", "1", "9")
            else ""
        )
        if problem:
            report.rejected.append(f"line {n}: {problem}")
            continue
        out.append([c1, c2, dele, mod, why, eff])
    if out and not report.as_of:
        latest = max(r[5] for r in out)
        report.as_of = f"{latest[:4]}-{latest[4:6]}-{latest[6:]}"
    return out


def parse_mue(path: Path, report: LoadReport) -> list[list[str]]:
    """MUE: code, units, MAI (e.g. '2 Date of Service Edit: Policy'), rationale."""
    out: list[list[str]] = []
    for n, row in _data_rows(_rows(path)):
        if len(row) < 3:
            report.rejected.append(f"line {n}: expected 4 columns, got {len(row)}")
            continue
        mai = row[2][:1]
        if not row[1].isdigit():
            report.rejected.append(f"line {n}: units {row[1]!r} is not a whole number")
        elif mai not in ("1", "2", "3"):
            report.rejected.append(f"line {n}: MAI {row[2]!r} is not 1, 2 or 3")
        else:
            out.append([row[0], row[1], mai, row[3] if len(row) > 3 else ""])
    return out


def parse_rvu(path: Path, report: LoadReport) -> list[list[str]]:
    """PPRRVU CSV: found by its header row (HCPCS, MOD, STATUS CODE, GLOB DAYS, MULT PROC, ...)."""
    rows = _rows(path)
    header_at = next((i for i, (_, r) in enumerate(rows) if r and r[0].upper() == "HCPCS"), None)
    if header_at is None:
        report.rejected.append("no header row starting with HCPCS")
        return []
    names = [re.sub(r"[^A-Z]+", "_", c.upper()).strip("_") for c in rows[header_at][1]]

    def col(row: list[str], *keys: str) -> str:
        for key in keys:
            if key in names and names.index(key) < len(row):
                return row[names.index(key)]
        return ""

    out: list[list[str]] = []
    for n, row in rows[header_at + 1 :]:
        if not row or not any(row):
            continue
        if not CODE.match(row[0]):
            report.rejected.append(f"line {n}: {row[0]!r} is not a code")
        elif not col(row, "MOD"):
            out.append(
                [
                    row[0],
                    col(row, "STATUS_CODE", "STATUS"),
                    col(row, "GLOB_DAYS"),
                    col(row, "MULT_PROC"),
                    col(row, "ENDO_BASE"),
                    col(row, "BILAT_SURG"),
                ]
            )
    return out


PARSERS = {"ptp": parse_ptp, "mue": parse_mue, "rvu": parse_rvu}


def _write(directory: Path, kind: str, rows: list[list[str]]) -> None:
    with gzip.open(directory / f"{kind}.tsv.gz", "wt", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(HEADERS[kind])
        writer.writerows(rows)


def load_cms_files(
    paths: Sequence[Path], data_dir: Path, kind: str | None = None, as_of: str | None = None
) -> list[LoadReport]:
    """Parse each file and swap a new rules directory in; tables not given keep their current data."""
    current = data_dir / "rules" if (data_dir / "rules" / "meta.json").is_file() else SHIPPED
    staging = data_dir / "rules.new"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(current, staging)
    meta = json.loads((staging / "meta.json").read_text())
    reports: list[LoadReport] = []
    for path in paths:
        if not path.is_file():
            raise FileNotFoundError(f"rules file not found: {path}")
        table = kind or detect_kind(path)
        report = LoadReport(table, str(path), as_of=as_of or "")
        rows = PARSERS[table](path, report)
        report.loaded = len(rows)
        if not rows:
            raise ValueError(f"{path}: no valid {table} rows ({len(report.rejected)} rejected)")
        _write(staging, table, rows)
        report.as_of = report.as_of or as_of or "unknown (pass --as-of)"
        meta[f"{table}_as_of"] = report.as_of
        meta[f"{table}_source"] = path.name
        reports.append(report)
    (staging / "meta.json").write_text(json.dumps(meta, indent=1) + "\n")
    target = data_dir / "rules"
    old = data_dir / "rules.old"
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return reports
