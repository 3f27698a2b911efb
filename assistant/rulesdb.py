"""The CMS rules database: NCCI PTP, MUE and add-on code edits and PFS RVU indicators in SQLite.

Read-only at run time: one file, `data/rules/rules.sqlite`, built by `rules_io.build_shipped()`
(setup) or `codecite rules load` (a user's own quarterly files) and swapped in atomically. Queries
go through indexes; no table is ever loaded whole into Python. Every row keeps the file and line
it came from, so a finding can cite its exact row.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from assistant.text import unit_count

ClaimType = Literal["practitioner", "hospital"]
SCHEMA_VERSION = "2"
# Far-future deletion date CMS uses for "active"; stored as NULL.
ACTIVE = None

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE source(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, setting TEXT NOT NULL,
    file TEXT NOT NULL, as_of TEXT NOT NULL);
CREATE TABLE rationale(id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
CREATE TABLE ptp(source INTEGER NOT NULL, col1 TEXT NOT NULL, col2 TEXT NOT NULL,
    effective INTEGER, deletion INTEGER, modifier TEXT NOT NULL, rationale INTEGER NOT NULL,
    line INTEGER NOT NULL);
CREATE TABLE mue(source INTEGER NOT NULL, code TEXT NOT NULL, units INTEGER NOT NULL,
    mai TEXT NOT NULL, rationale TEXT NOT NULL, line INTEGER NOT NULL);
CREATE TABLE aoc(source INTEGER NOT NULL, addon TEXT NOT NULL, primary_code TEXT NOT NULL,
    aoc_type TEXT NOT NULL, effective INTEGER, deletion INTEGER, line INTEGER NOT NULL);
CREATE TABLE rvu(source INTEGER NOT NULL, code TEXT NOT NULL, status TEXT, glob_days TEXT,
    mult_proc TEXT, bilat_surg TEXT, asst_surg TEXT, co_surg TEXT, team_surg TEXT,
    endo_base TEXT, line INTEGER NOT NULL);
"""
INDEXES = """
CREATE INDEX ptp_pair ON ptp(col1, col2);
CREATE INDEX ptp_col2 ON ptp(col2, col1);
CREATE INDEX mue_code ON mue(code);
CREATE INDEX aoc_addon ON aoc(addon);
CREATE INDEX rvu_code ON rvu(code);
CREATE TABLE inventory(code TEXT PRIMARY KEY, status TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO inventory
    SELECT code, 'active' FROM rvu WHERE status != 'D'
    UNION SELECT col1, 'active' FROM ptp WHERE deletion IS NULL
    UNION SELECT col2, 'active' FROM ptp WHERE deletion IS NULL
    UNION SELECT code, 'active' FROM mue
    UNION SELECT addon, 'active' FROM aoc WHERE deletion IS NULL;
INSERT OR IGNORE INTO inventory SELECT col1, 'retired' FROM ptp;
INSERT OR IGNORE INTO inventory SELECT col2, 'retired' FROM ptp;
INSERT OR IGNORE INTO inventory SELECT code, 'retired' FROM rvu;
ANALYZE;
"""

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
SETTING_LABEL = {"practitioner": "practitioner", "hospital": "outpatient hospital", "dme": "DME supplier"}


def day_number(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def show_day(value: int | None) -> str:
    if value is None:
        return "none"
    text = str(value)
    return f"{text[:4]}-{text[4:6]}-{text[6:]}"


@dataclass(frozen=True)
class Source:
    """Where a row came from: the table kind, setting, file name and its "as of" date."""

    kind: str
    setting: str
    file: str
    as_of: str

    @property
    def label(self) -> str:
        setting = f" {SETTING_LABEL.get(self.setting, self.setting)}" if self.setting else ""
        names = {"ptp": "NCCI PTP", "mue": "NCCI MUE", "aoc": "NCCI add-on code edits", "rvu": "PFS RVU"}
        return f"CMS {names.get(self.kind, self.kind)}{setting} {self.as_of}"


@dataclass(frozen=True)
class PTPEdit:
    column_1: str
    column_2: str
    effective: int | None  # YYYYMMDD; None when the file has no effective dates
    deletion: int | None  # YYYYMMDD, the last day in effect; None = active
    modifier: str
    rationale: str
    source: Source
    line: int

    def in_effect(self, day: date) -> bool:
        n = day_number(day)
        return (self.effective is None or self.effective <= n) and (
            self.deletion is None or n <= self.deletion
        )

    @property
    def citation(self) -> str:
        state = "active" if self.deletion is None else f"deleted after {show_day(self.deletion)}"
        return (
            f"{self.source.label}: column 1 {self.column_1}, column 2 {self.column_2}, modifier "
            f"indicator {self.modifier}, {state} ({self.source.file} line {self.line})"
        )


@dataclass(frozen=True)
class MUELimit:
    code: str
    units: int
    mai: str
    rationale: str
    source: Source
    line: int

    @property
    def citation(self) -> str:
        return (
            f"{self.source.label}: {self.code}, {unit_count(self.units)}, MAI {self.mai} "
            f"({self.source.file} line {self.line})"
        )


@dataclass(frozen=True)
class AddOnEdit:
    addon: str
    primary: str  # "CCCCC" for type 2: CMS names no primaries
    aoc_type: str  # 1 only these primaries; 2 none specified; 3 some listed, others possible
    source: Source
    line: int


@dataclass(frozen=True)
class RVURow:
    code: str
    status: str
    glob_days: str
    mult_proc: str
    bilat_surg: str
    asst_surg: str
    co_surg: str
    team_surg: str
    endo_base: str
    source: Source
    line: int

    @property
    def is_add_on(self) -> bool:
        return self.glob_days == "ZZZ"

    @property
    def citation(self) -> str:
        return f"{self.source.label}: {self.code} ({self.source.file} line {self.line})"


class RulesError(RuntimeError):
    """The rules database is missing or unreadable; the message says how to fix it."""


class RulesDB:
    """Read-only queries over one rules database file."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise RulesError(f"no rules database at {path}: run `codecite rules build`")
        self.path = path
        try:
            self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            self.meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
            self._sources = {
                row[0]: Source(*row[1:]) for row in self._db.execute("SELECT * FROM source").fetchall()
            }
        except sqlite3.DatabaseError as exc:
            raise RulesError(
                f"rules database {path} is unreadable ({exc}): run `codecite rules build`"
            ) from None
        self._rationales: dict[int, str] = {}

    def close(self) -> None:
        self._db.close()

    def _rationale(self, rid: int) -> str:
        if rid not in self._rationales:
            row = self._db.execute("SELECT text FROM rationale WHERE id = ?", (rid,)).fetchone()
            self._rationales[rid] = row[0] if row else ""
        return self._rationales[rid]

    def _sources_of(self, kind: str, setting: str | None = None) -> list[int]:
        return [
            sid
            for sid, s in self._sources.items()
            if s.kind == kind and (setting is None or s.setting == setting)
        ]

    def has_table(self, kind: str, setting: str | None = None) -> bool:
        return bool(self._sources_of(kind, setting))

    def sources(self) -> list[Source]:
        return list(self._sources.values())

    def as_of(self, kind: str, setting: str | None = None) -> str:
        found = [self._sources[s].as_of for s in self._sources_of(kind, setting)]
        return ", ".join(dict.fromkeys(found)) or "not loaded"

    # -- PTP ------------------------------------------------------------------------------
    def _edits(self, where: str, args: tuple[str, ...], setting: str) -> list[PTPEdit]:
        ids = self._sources_of("ptp", setting)
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self._db.execute(
            f"SELECT col1, col2, effective, deletion, modifier, rationale, source, line FROM ptp "
            f"WHERE ({where}) AND source IN ({marks})",
            (*args, *ids),
        ).fetchall()
        return [
            PTPEdit(c1, c2, eff, dele, mod, self._rationale(rid), self._sources[sid], line)
            for c1, c2, eff, dele, mod, rid, sid, line in rows
        ]

    def edits(self, a: str, b: str, setting: ClaimType = "practitioner") -> list[PTPEdit]:
        """Every row (active and deleted) between two codes, in either column order."""
        return self._edits("(col1 = ? AND col2 = ?) OR (col1 = ? AND col2 = ?)", (a, b, b, a), setting)

    def edit_on(self, a: str, b: str, day: date, setting: ClaimType = "practitioner") -> PTPEdit | None:
        """The edit in effect on `day` between two codes (indicator 9 rows are not edits)."""
        live = [e for e in self.edits(a, b, setting) if e.in_effect(day) and e.modifier != "9"]
        return live[0] if live else None

    def last_deleted(self, a: str, b: str, day: date, setting: ClaimType = "practitioner") -> PTPEdit | None:
        ended = [e for e in self.edits(a, b, setting) if not e.in_effect(day)]
        return max(ended, key=lambda e: e.deletion or 0) if ended else None

    def column_2_of(self, code: str, setting: ClaimType = "practitioner") -> list[PTPEdit]:
        """Rows where `code` is column 1: the codes bundled into it."""
        return self._edits("col1 = ?", (code,), setting)

    def column_1_of(self, code: str, setting: ClaimType = "practitioner") -> list[PTPEdit]:
        """Rows where `code` is column 2: the codes it is bundled into."""
        return self._edits("col2 = ?", (code,), setting)

    # -- MUE, add-on edits, RVU ----------------------------------------------------------------
    def mue(self, code: str, setting: str = "practitioner") -> MUELimit | None:
        ids = self._sources_of("mue", setting)
        if not ids:
            return None
        row = self._db.execute(
            f"SELECT units, mai, rationale, source, line FROM mue WHERE code = ? "
            f"AND source IN ({','.join('?' * len(ids))})",
            (code, *ids),
        ).fetchone()
        if row is None:
            return None
        units, mai, rationale, sid, line = row
        return MUELimit(code, units, mai, rationale, self._sources[sid], line)

    def add_on_edits(self, code: str, day: date) -> list[AddOnEdit]:
        n = day_number(day)
        rows = self._db.execute(
            "SELECT primary_code, aoc_type, source, line FROM aoc WHERE addon = ? "
            "AND (effective IS NULL OR effective <= ?) AND (deletion IS NULL OR ? <= deletion)",
            (code, n, n),
        ).fetchall()
        return [AddOnEdit(code, p, t, self._sources[s], line) for p, t, s, line in rows]

    def rvu(self, code: str) -> RVURow | None:
        row = self._db.execute(
            "SELECT code, status, glob_days, mult_proc, bilat_surg, asst_surg, co_surg, team_surg, "
            "endo_base, source, line FROM rvu WHERE code = ?",
            (code,),
        ).fetchone()
        if row is None:
            return None
        code_, status, glob, mult, bilat, asst, co, team, base, sid, line = row
        return RVURow(
            code_,
            status or "",
            glob or "",
            mult or "",
            bilat or "",
            asst or "",
            co or "",
            team or "",
            base or "",
            self._sources[sid],
            line,
        )

    # -- inventory ------------------------------------------------------------------------
    def status(self, code: str) -> str | None:
        """'active', 'retired' (only in deleted edits or deleted RVU rows), or None (unknown)."""
        row = self._db.execute("SELECT status FROM inventory WHERE code = ?", (code,)).fetchone()
        return row[0] if row else None

    def knows(self, code: str) -> bool:
        return self.status(code) is not None

    def is_retired(self, code: str) -> bool:
        return self.status(code) == "retired"

    def codes_between(self, low: str, high: str) -> dict[str, str]:
        """Inventory codes in [low, high] with their status."""
        rows = self._db.execute(
            "SELECT code, status FROM inventory WHERE code BETWEEN ? AND ? ORDER BY code", (low, high)
        ).fetchall()
        return dict(rows)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for table in ("ptp", "mue", "aoc", "rvu", "inventory"):
            out[table] = self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        return out
