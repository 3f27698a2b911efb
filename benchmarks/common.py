"""Pieces every benchmark shares: percentiles, resident memory, the machine's load."""

from __future__ import annotations

import os
import resource
from pathlib import Path

# The questions the latency figures are taken over: a mix of table, record and lookup questions.
QUESTIONS = [
    "is ureteropyelography included in 50576?",
    "does it include fulguration?",
    "which code for ureteroscopy with laser lithotripsy and a stent?",
    "can I bill 52000 with 52332?",
    "how many units of 52204?",
    "is fluoroscopy included in 52356?",
    "what is 50570?",
    "is a biopsy included in 52354?",
    "what is the base code for 50576?",
    "what is 99999?",
]


def pct(values: list[float], q: float) -> float:
    """The q-quantile (nearest rank) of `values`; 0.0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def rss_mb() -> float:
    """Current (not peak) resident memory of this process."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load() -> dict[str, float | int]:
    """The machine's load average and cores: timings on shared cores mean little without them."""
    one, five, fifteen = os.getloadavg()
    return {
        "load_1m": round(one, 2),
        "load_5m": round(five, 2),
        "load_15m": round(fifteen, 2),
        "cores": os.cpu_count() or 0,
    }
