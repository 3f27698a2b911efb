"""Parsers for CMS files: PTP .txt, MUE .csv, add-on code edits .txt, PPRRVU .csv, in CMS's
published layouts and in the normalized layout of the shipped tables.

Each file is found by its header row, else read by column position. A row that does not parse is
rejected with its line number and the reason; the rest are kept.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, cast

from assistant.codes import is_code
from assistant.rulesdb import day_number

KINDS = ("ptp", "mue", "aoc", "rvu")
SETTINGS = ("practitioner", "hospital", "dme")
csv.field_size_limit(1 << 20)


@dataclass(frozen=True)
class TableFile:
    """One input file: its path, table kind, setting (PTP, MUE) and "as of" date."""

    path: Path
    kind: str
    setting: str = ""
    as_of: str = ""


@dataclass
class LoadReport:
    kind: str
    path: str
    setting: str = ""
    loaded: int = 0
    rejected: list[str] = field(default_factory=list)  # "line N: reason"
    as_of: str = ""


# -- reading ------------------------------------------------------------------------------------
def _open_text(path: Path) -> IO[str]:
    raw = path.open("rb")
    magic = raw.read(2)
    raw.seek(0)
    stream = cast(IO[bytes], gzip.GzipFile(fileobj=raw)) if magic == b"\x1f\x8b" else raw
    return io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    with _open_text(path) as handle:
        head = handle.read(65536)
        delimiter = "\t" if head.count("\t") > head.count(",") else ","
        handle.seek(0)
        for n, row in enumerate(csv.reader(handle, delimiter=delimiter), start=1):
            yield n, [c.strip() for c in row]


def _key(cell: str) -> str:
    return re.sub(r"[^a-z0-9]", "", cell.lower())


def _split_header(
    rows: Iterator[tuple[int, list[str]]], is_header: Callable[[list[str]], bool]
) -> tuple[list[str] | None, Iterator[tuple[int, list[str]]]]:
    """The header row (if one comes before the first data row) and the data rows after it."""
    buffered: list[tuple[int, list[str]]] = []
    for n, row in rows:
        if row and is_header(row):
            return [_key(c) for c in row], rows
        if row and is_code(row[0].upper()):
            buffered.append((n, row))
            break
        # blank, title and copyright lines above the data are skipped
    return None, _chain(buffered, rows)


def _chain(
    first: list[tuple[int, list[str]]], rest: Iterator[tuple[int, list[str]]]
) -> Iterator[tuple[int, list[str]]]:
    yield from first
    yield from rest


def _column(names: list[str] | None, *tests: Callable[[str], bool]) -> int | None:
    if names is None:
        return None
    for test in tests:
        for i, name in enumerate(names):
            if test(name):
                return i
    return None


_JULIAN = re.compile(r"^(\d{4})(\d{3})$")


def parse_date(value: str) -> int | None:
    """YYYYMMDD / YYYY-MM-DD / MM/DD/YYYY / YYYYDDD -> YYYYMMDD; '*', '' and 9999-12-31 -> None."""
    value = value.strip()
    if value in ("", "*") or value.startswith("9999"):
        return None
    try:
        if m := re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", value):
            return day_number(date(int(m.group(3)), int(m.group(1)), int(m.group(2))))
        digits = value.replace("-", "")
        if len(digits) == 8 and digits.isdigit():
            return day_number(date(int(digits[:4]), int(digits[4:6]), int(digits[6:])))
        if m := _JULIAN.match(value):
            day = time.strptime(f"{m.group(1)} {m.group(2)}", "%Y %j")
            return day.tm_year * 10000 + day.tm_mon * 100 + day.tm_mday
    except ValueError:
        pass
    raise ValueError(f"date {value!r} is not YYYYMMDD, YYYY-MM-DD, MM/DD/YYYY or *")


def _code(row: list[str], i: int | None, what: str) -> str:
    value = row[i].upper() if i is not None and i < len(row) else ""
    if not is_code(value):
        raise ValueError(f"{what} {value!r} is not a CPT/HCPCS code")
    return value


def _cell(row: list[str], i: int | None) -> str:
    return row[i] if i is not None and i < len(row) else ""


PTPRow = tuple[str, str, int | None, int | None, str, str, int]


def parse_ptp(path: Path, report: LoadReport) -> Iterator[PTPRow]:
    """PTP: the CMS layout (column 1, column 2, pre-1996 flag, effective, deletion, modifier,
    rationale) or the shipped one (col1, col2, deleted, modifier, rationale)."""
    names, data = _split_header(_rows(path), lambda r: _key(r[0]) in ("col1", "column1", "column_1"))
    c1: int | None
    c2: int | None
    eff: int | None
    dele: int | None
    mod: int | None
    why: int | None
    if names is None:  # no header: CMS's seven columns by position
        c1, c2, eff, dele, mod, why = 0, 1, 3, 4, 5, 6
    else:
        c1 = _column(names, lambda n: n in ("col1", "column1"))
        c2 = _column(names, lambda n: n in ("col2", "column2"))
        eff = _column(names, lambda n: n.startswith("effective"))
        dele = _column(names, lambda n: n.startswith("delet"))
        mod = _column(names, lambda n: n.startswith("modifier"))
        why = _column(names, lambda n: "rationale" in n)
    for n, row in data:
        if not any(row):
            continue
        try:
            if names is None and len(row) < 7:
                raise ValueError(f"expected 7 columns, got {len(row)}")
            modifier = _cell(row, mod)
            if modifier not in ("0", "1", "9"):
                raise ValueError(f"modifier indicator {modifier!r} is not 0, 1 or 9")
            yield (
                _code(row, c1, "column 1"),
                _code(row, c2, "column 2"),
                parse_date(_cell(row, eff)),
                parse_date(_cell(row, dele)),
                modifier,
                _cell(row, why),
                n,
            )
        except ValueError as exc:
            report.rejected.append(f"line {n}: {exc}")


_SERVICE = {
    "practitioner": "practitioner",
    "outpatienthospital": "hospital",
    "dmesupplier": "dme",
    "dme": "dme",
}
MUERow = tuple[str, str, int, str, str, int]


def parse_mue(path: Path, report: LoadReport) -> Iterator[MUERow]:
    """MUE: code, [service,] units, MAI ('2 Date of Service Edit: Policy' or '2'), rationale."""
    names, data = _split_header(_rows(path), lambda r: _key(r[0]).startswith("hcpcs") or _key(r[0]) == "code")
    code = _column(names, lambda n: n.startswith("hcpcs") or n == "code") or 0
    service = _column(names, lambda n: n == "service")
    units = _column(names, lambda n: n.endswith(("muevalues", "mueunits")) or n == "units")
    mai = _column(names, lambda n: "adjudication" in n or n == "mai")
    why = _column(names, lambda n: "rationale" in n)
    if names is None:
        units, mai, why = 1, 2, 3
    fixed = report.setting
    if names is not None and units is not None and not fixed:
        fixed = next((v for k, v in _SERVICE.items() if names[units].startswith(k)), "")
    for n, row in data:
        if not any(row):
            continue
        try:
            setting = _SERVICE.get(_key(_cell(row, service)), "") if service is not None else fixed
            if setting not in SETTINGS:
                raise ValueError("no service (practitioner, outpatient hospital or DME): pass --setting")
            value = _cell(row, units)
            if not value.isdigit():
                raise ValueError(f"units {value!r} is not a whole number")
            indicator = _cell(row, mai)[:1]
            if indicator not in ("1", "2", "3"):
                raise ValueError(f"MAI {_cell(row, mai)!r} is not 1, 2 or 3")
            yield setting, _code(row, code, "code"), int(value), indicator, _cell(row, why), n
        except ValueError as exc:
            report.rejected.append(f"line {n}: {exc}")


AOCRow = tuple[str, str, str, int | None, int | None, int]


def parse_aoc(path: Path, report: LoadReport) -> Iterator[AOCRow]:
    """Add-on code edits: add-on code, primary code ('CCCCC' for type 2), edit type, pair dates."""
    names, data = _split_header(_rows(path), lambda r: _key(r[0]).startswith("addon"))
    addon = _column(names, lambda n: n in ("addon", "addoncode")) or 0
    primary = _column(names, lambda n: n in ("primary", "primarycode"))
    kind = _column(names, lambda n: n.startswith("aoc") and "type" in n)
    eff = _column(names, lambda n: n.startswith("aocpaireffective"), lambda n: n == "effective")
    dele = _column(names, lambda n: n.startswith("aocpairdeletion"), lambda n: n == "deleted")
    if names is None:
        primary, kind = 1, 2
    for n, row in data:
        if not any(row):
            continue
        try:
            first = _cell(row, primary).upper()
            if first != "CCCCC" and not is_code(first):
                raise ValueError(f"primary code {first!r} is not a code or CCCCC")
            edit_type = _cell(row, kind)
            if edit_type not in ("1", "2", "3"):
                raise ValueError(f"edit type {edit_type!r} is not 1, 2 or 3")
            yield (
                _code(row, addon, "add-on code"),
                first,
                edit_type,
                parse_date(_cell(row, eff)),
                parse_date(_cell(row, dele)),
                n,
            )
        except ValueError as exc:
            report.rejected.append(f"line {n}: {exc}")


RVU_FIELDS = ("STATUS_CODE", "GLOB_DAYS", "MULT_PROC", "BILAT_SURG", "ASST_SURG", "CO_SURG", "TEAM_SURG")
RVURow = tuple[str, ...]


def parse_rvu(path: Path, report: LoadReport) -> Iterator[tuple[RVURow, int]]:
    """PPRRVU CSV, found by its header row (HCPCS, MOD, STATUS CODE, ... ENDO BASE); rows with a
    modifier (26, TC, 53) are skipped: the indicators that matter here are on the base row."""
    rows = _rows(path)
    header: list[str] | None = None
    for _, row in rows:
        if row and row[0].upper() == "HCPCS":
            header = [re.sub(r"[^A-Z]+", "_", c.upper()).strip("_") for c in row]
            break
    if header is None:
        report.rejected.append("no header row starting with HCPCS")
        return
    at = {name: i for i, name in reversed(list(enumerate(header)))}
    wanted = [at.get(name) for name in (*RVU_FIELDS, "ENDO_BASE")]
    for n, row in rows:
        if not any(row):
            continue
        if _cell(row, at.get("MOD")):
            continue
        try:
            code = _code(row, 0, "HCPCS")
            yield (code, *(_cell(row, i) for i in wanted)), n
        except ValueError as exc:
            report.rejected.append(f"line {n}: {exc}")


# -- detecting what a user's file is ------------------------------------------------------------
def detect_kind(path: Path) -> str:
    name = path.name.lower()
    if "aoc" in name or "add-on" in name or "addon" in name:
        return "aoc"
    if "mue" in name:
        return "mue"
    if "rvu" in name:
        return "rvu"
    head = " ".join(" ".join(r) for _, (_, r) in zip(range(12), _rows(path), strict=False)).upper()
    if "ENDO" in head or "GLOB" in head or "RVU" in head:
        return "rvu"
    if "ADD-ON" in head or "ADDON" in head or "AOC" in head:
        return "aoc"
    if "MUE" in head or "ADJUDICATION" in head:
        return "mue"
    return "ptp"


def detect_setting(path: Path, kind: str) -> str:
    if kind not in ("ptp", "mue"):
        return ""
    name = _key(path.name)
    if any(k in name for k in ("ccioph", "hospital", "outpatient", "opps")):
        return "hospital"
    if "dme" in name:
        return "dme"
    return "practitioner" if kind == "ptp" or "practitioner" in name else ""
