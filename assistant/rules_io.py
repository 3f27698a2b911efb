"""Build the rules database: from the shipped tables, or from a user's current quarterly files.

A build is written beside the target and swapped in with `os.replace`, so readers see the old
file or the new one, never half of one; a lock refuses a second writer.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from assistant import locks
from assistant.rules_parse import (
    KINDS,
    LoadReport,
    TableFile,
    detect_kind,
    detect_setting,
    parse_aoc,
    parse_mue,
    parse_ptp,
    parse_rvu,
)
from assistant.rulesdb import INDEXES, SCHEMA, SCHEMA_VERSION, RulesError

SHIPPED = Path(__file__).with_name("rules_data")


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
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(locks.writer_lock(target, wait))
        except locks.LockedError as exc:
            raise RulesError(str(exc)) from None
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
