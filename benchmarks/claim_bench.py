"""Claim check and rules database figures (not a test): build, open, query, claim, memory.

Usage: .venv/bin/python -m benchmarks.claim_bench [--skip-build] [--skip-baseline]
Prints each figure beside its target and, for memory and load time, a ratio against the old
design that loaded the practitioner PTP table into Python dicts.
"""

from __future__ import annotations

import argparse
import gzip
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from assistant.claim_checks import check_claim
from assistant.claim_kb import knowledge_from_files
from assistant.rules_io import SHIPPED, build_shipped, ensure_rules
from assistant.rulesdb import RulesDB

ROOT = Path(__file__).resolve().parent.parent
CLAIM = ["52356", "52332-RT", "52000", "76000", "52005-LT", "51702", "52442x3", "52441", "50590-RT", "43239"]


def rss_mb() -> float:
    """Current (not peak) resident memory of this process."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def dict_baseline() -> tuple[float, float]:
    """Seconds and MB to load the practitioner PTP table into a dict, as the old design did."""
    before, t0 = rss_mb(), time.perf_counter()
    table: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    with gzip.open(SHIPPED / "ncci_ptp_practitioner_2024-07-01_all.tsv.gz", "rt") as handle:
        next(handle)
        for line in handle:
            c1, c2, deleted, modifier, rationale = line.rstrip("\n").split("\t")
            table.setdefault((c1, c2), []).append((deleted, modifier, rationale))
    return time.perf_counter() - t0, rss_mb() - before


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-build", action="store_true", help="Use data/rules/rules.sqlite as it is.")
    parser.add_argument("--skip-baseline", action="store_true", help="Skip the dict-loading baseline.")
    args = parser.parse_args()
    database = ROOT / "data" / "rules" / "rules.sqlite"
    if not args.skip_build:
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            reports = build_shipped(Path(tmp) / "rules.sqlite")
            built = time.perf_counter() - t0
            size = (Path(tmp) / "rules.sqlite").stat().st_size / 1e6
        rows = sum(r.loaded for r in reports)
        print(f"build from shipped tables: {built:.1f} s for {rows:,} rows, {size:.0f} MB (target < 120 s)")
    ensure_rules(database)

    before, t0 = rss_mb(), time.perf_counter()
    db = RulesDB(database)
    opened = time.perf_counter() - t0
    t0 = time.perf_counter()
    db.edit_on("52000", "52332", date.today())
    first_query = time.perf_counter() - t0
    print(
        f"open read-only: {opened * 1000:.1f} ms; first pair query: {first_query * 1000:.1f} ms"
        " (target < 100 ms)"
    )

    pairs = []
    for _ in range(500):
        t0 = time.perf_counter()
        db.edit_on("52356", "52332", date.today())
        pairs.append(time.perf_counter() - t0)
    print(f"pair query warm: p50 {pct(pairs, 0.5) * 1e3:.2f} ms, p95 {pct(pairs, 0.95) * 1e3:.2f} ms")

    kb = knowledge_from_files(ROOT / "knowledge")
    base_rss = rss_mb()
    claims = []
    for _ in range(200):
        t0 = time.perf_counter()
        check_claim(CLAIM, db, kb)
        claims.append(time.perf_counter() - t0)
    print(
        f"10-line claim warm: p50 {pct(claims, 0.5) * 1e3:.1f} ms, p95 {pct(claims, 0.95) * 1e3:.1f} ms "
        f"(target < 50 ms; n={len(claims)})"
    )
    print(
        f"RSS: {before:.0f} MB before opening, +{base_rss - before:.0f} MB with the database open and the "
        f"knowledge records loaded, +{rss_mb() - base_rss:.1f} MB after 200 claims (target: +50 MB)"
    )

    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "assistant.cli", "check", "52000", "52332", "--json"],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import assistant.cli"], check=True, cwd=ROOT)
    imports = time.perf_counter() - t0
    print(
        f"cold `codecite check 52000 52332 --json`: {cold:.2f} s wall; "
        f"starting Python and importing the CLI alone: {imports:.2f} s"
    )

    if not args.skip_baseline:
        seconds, mb = dict_baseline()
        speedup = seconds / max(opened + first_query, 1e-6)
        print(
            f"baseline, practitioner PTP loaded into dicts: {seconds:.1f} s, +{mb:.0f} MB "
            f"(opening SQLite and answering the first pair is {speedup:.0f}x "
            f"faster and uses {mb / max(base_rss - before, 1):.0f}x less memory)"
        )


if __name__ == "__main__":
    main()
