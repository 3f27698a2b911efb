"""Build the rules database from CMS files: the shipped tables, or a user's current quarterly files.

Parsers read CMS's published layouts (PTP .txt, MUE .csv, add-on code edits .txt, PPRRVU .csv) and
the normalized layout of the shipped tables, found by their header row, else by column position.
A row that does not parse is rejected with its line number; the rest are kept. A build is written
beside the target and swapped in with `os.replace`, so readers see the old file or the new one,
never half of one; a lock refuses a second writer.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import gzip
import io
import json
import os
import re
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO

from assistant.codes import is_code
from assistant.rulesdb import INDEXES, SCHEMA, SCHEMA_VERSION, RulesError, day_number

SHIPPED = Path(__file__).with_name("rules_data")
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
    stream: IO[bytes] = gzip.GzipFile(fileobj=raw) if magic == b"\x1f\x8b" else raw  # type: ignore[assignment]
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


# -- building -----------------------------------------------------------------------------------
class _Builder:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.rationales: dict[str, int] = {}
        self.sources: dict[tuple[str, str, str, str], int] = {}

    def source(self, kind: str, setting: str, file: str, as_of: str) -> int:
        key = (kind, setting, file, as_of)
        if key not in self.sources:
            cur = self.db.execute("INSERT INTO source(kind, setting, file, as_of) VALUES (?,?,?,?)", key)
            self.sources[key] = int(cur.lastrowid or 0)
        return self.sources[key]

    def rationale(self, text: str) -> int:
        if text not in self.rationales:
            cur = self.db.execute("INSERT INTO rationale(text) VALUES (?)", (text,))
            self.rationales[text] = int(cur.lastrowid or 0)
        return self.rationales[text]

    def add(self, table: TableFile) -> LoadReport:
        report = LoadReport(table.kind, str(table.path), table.setting, as_of=table.as_of)
        name, db = table.path.name, self.db
        if table.kind == "ptp":
            sid = self.source("ptp", table.setting, name, table.as_of)
            latest = 0
            rows = []
            for c1, c2, eff, dele, mod, why, n in parse_ptp(table.path, report):
                latest = max(latest, eff or 0)
                rows.append((sid, c1, c2, eff, dele, mod, self.rationale(why), n))
                if len(rows) >= 50000:
                    db.executemany("INSERT INTO ptp VALUES (?,?,?,?,?,?,?,?)", rows)
                    report.loaded += len(rows)
                    rows = []
            db.executemany("INSERT INTO ptp VALUES (?,?,?,?,?,?,?,?)", rows)
            report.loaded += len(rows)
            if not table.as_of and latest:
                report.as_of = f"{str(latest)[:4]}-{str(latest)[4:6]}-{str(latest)[6:]}"
                db.execute("UPDATE source SET as_of = ? WHERE id = ?", (report.as_of, sid))
        elif table.kind == "mue":
            mue_rows = [
                (self.source("mue", s, name, table.as_of), code, units, mai, why, n)
                for s, code, units, mai, why, n in parse_mue(table.path, report)
            ]
            db.executemany("INSERT INTO mue VALUES (?,?,?,?,?,?)", mue_rows)
            report.loaded = len(mue_rows)
        elif table.kind == "aoc":
            sid = self.source("aoc", "", name, table.as_of)
            aoc_rows = [(sid, *row) for row in parse_aoc(table.path, report)]
            db.executemany("INSERT INTO aoc VALUES (?,?,?,?,?,?,?)", aoc_rows)
            report.loaded = len(aoc_rows)
        elif table.kind == "rvu":
            sid = self.source("rvu", "", name, table.as_of)
            rvu_rows = [(sid, *row, n) for row, n in parse_rvu(table.path, report)]
            db.executemany("INSERT INTO rvu VALUES (?,?,?,?,?,?,?,?,?,?,?)", rvu_rows)
            report.loaded = len(rvu_rows)
        else:
            raise ValueError(f"unknown table kind {table.kind!r}: expected one of {', '.join(KINDS)}")
        if report.loaded == 0:
            raise ValueError(f"{table.path}: no valid {table.kind} rows ({len(report.rejected)} rejected)")
        return report

    def keep(self, old: Path, replaced: set[tuple[str, str]]) -> None:
        """Copy the tables a load does not replace from the current database."""
        self.db.execute("ATTACH DATABASE ? AS old", (f"file:{old}?mode=ro",))
        columns = {
            "ptp": "col1, col2, effective, deletion, modifier, rationale, line",
            "mue": "code, units, mai, rationale, line",
            "aoc": "addon, primary_code, aoc_type, effective, deletion, line",
            "rvu": "code, status, glob_days, mult_proc, bilat_surg, asst_surg, co_surg, team_surg, "
            "endo_base, line",
        }
        self.db.execute("CREATE TEMP TABLE rmap(old INTEGER PRIMARY KEY, new INTEGER NOT NULL)")
        for rid, text in self.db.execute("SELECT id, text FROM old.rationale").fetchall():
            self.db.execute("INSERT INTO rmap VALUES (?, ?)", (rid, self.rationale(text)))
        for sid, kind, setting, file, as_of in self.db.execute("SELECT * FROM old.source").fetchall():
            if (kind, setting) in replaced or (kind, "*") in replaced:
                continue
            new = self.source(kind, setting, file, as_of)
            if kind == "ptp":  # rationale ids differ between databases: map them
                self.db.execute(
                    "INSERT INTO ptp SELECT ?, col1, col2, effective, deletion, modifier, rmap.new, line "
                    "FROM old.ptp JOIN rmap ON rmap.old = old.ptp.rationale WHERE source = ?",
                    (new, sid),
                )
            else:
                self.db.execute(
                    f"INSERT INTO {kind} SELECT ?, {columns[kind]} FROM old.{kind} WHERE source = ?",
                    (new, sid),
                )
        self.db.commit()
        self.db.execute("DETACH DATABASE old")


@contextlib.contextmanager
def writer_lock(target: Path, wait: bool = False) -> Iterator[None]:
    """One writer at a time: a second is refused at once, or waits (`wait`); the lock dies with
    its process, so a killed build never leaves a stale lock."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with (target.parent / f".{target.name}.lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RulesError(f"another process is writing {target}; try again when it finishes") from None
        yield


def build(
    target: Path, tables: Sequence[TableFile], meta: dict[str, str], keep_from: Path | None = None
) -> list[LoadReport]:
    """Write a new database from `tables` (plus, from `keep_from`, the tables they don't replace).

    The caller holds `writer_lock(target)`."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.building")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    try:
        db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
        builder = _Builder(db)
        reports = [builder.add(t) for t in tables]
        db.commit()
        if keep_from is not None and keep_from.is_file():
            builder.keep(keep_from, {(t.kind, t.setting or "*") for t in tables})
        db.executescript(INDEXES)
        meta = {**meta, "schema_version": SCHEMA_VERSION, "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ")}
        db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
        db.commit()
        if db.execute("SELECT count(*) FROM inventory").fetchone()[0] == 0:
            raise RulesError("the new rules database holds no codes; the current one is kept")
    except BaseException:
        db.close()
        tmp.unlink(missing_ok=True)
        raise
    db.close()
    os.replace(tmp, target)  # atomic: open readers keep the old file
    return reports


def shipped_tables() -> list[TableFile]:
    listing = json.loads((SHIPPED / "tables.json").read_text())
    return [TableFile(SHIPPED / t["file"], t["kind"], t.get("setting", ""), t["as_of"]) for t in listing]


def shipped_fingerprint() -> str:
    parts = [f"{t.path.name}:{t.path.stat().st_size}" for t in shipped_tables()]
    return "|".join([SCHEMA_VERSION, *parts])


def _build_shipped(target: Path, log: Callable[[str], None] | None) -> list[LoadReport]:
    started = time.perf_counter()
    if log:
        log(f"building the CMS rules database at {target} (about a minute)...")
    reports = build(target, shipped_tables(), {"origin": "shipped", "fingerprint": shipped_fingerprint()})
    if log:
        log(f"rules database ready in {time.perf_counter() - started:.0f}s")
    return reports


def build_shipped(target: Path, log: Callable[[str], None] | None = None) -> list[LoadReport]:
    """Rebuild the database from the shipped tables (refused while another writer runs)."""
    with writer_lock(target):
        return _build_shipped(target, log)


def _current(target: Path) -> bool:
    if not target.is_file():
        return False
    try:
        with contextlib.closing(sqlite3.connect(f"file:{target}?mode=ro", uri=True)) as db:
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.DatabaseError:
        return False
    return bool(meta) and (
        meta.get("origin") != "shipped" or meta.get("fingerprint") == shipped_fingerprint()
    )


def ensure_rules(target: Path, log: Callable[[str], None] | None = None) -> Path:
    """The database at `target`, built from the shipped tables when missing, unreadable, or built
    from older shipped tables. One holding a user's own files is never rebuilt over. Processes
    that start together wait for one build instead of racing."""
    if _current(target):
        return target
    with writer_lock(target, wait=True):
        if not _current(target):
            _build_shipped(target, log or (lambda m: print(m, file=sys.stderr)))
    return target


def load_user_files(
    paths: Sequence[Path],
    target: Path,
    kind: str | None = None,
    setting: str | None = None,
    as_of: str | None = None,
) -> list[LoadReport]:
    """Load a user's CMS files; each replaces the same table (and setting) of the current database."""
    tables: list[TableFile] = []
    for path in paths:
        if not path.is_file():
            raise FileNotFoundError(f"rules file not found: {path}")
        table_kind = kind or detect_kind(path)
        table_setting = setting or detect_setting(path, table_kind)
        if table_kind == "ptp" and table_setting not in ("practitioner", "hospital"):
            raise ValueError(f"{path}: PTP setting must be practitioner or hospital (pass --setting)")
        tables.append(TableFile(path, table_kind, table_setting, as_of or ""))
    ensure_rules(target)
    with writer_lock(target):
        reports = build(target, tables, {"origin": "user"}, keep_from=target)
    for report in reports:
        report.as_of = report.as_of or "unknown (pass --as-of)"
    return reports
