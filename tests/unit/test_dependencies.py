"""Every dependency is pinned (constraints.txt, which setup.sh installs with), and the pins of the
packages that serve HTTP or parse untrusted input are at or above the first release that fixes
each known advisory (docs/reliability.md, "Dependencies")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
# package -> (first fixed version, the advisories it fixes)
FIXED_IN: dict[str, tuple[str, str]] = {
    "gradio": ("6.16.0", "GHSA-j36p-7w88-g82j (FileExplorer path traversal)"),
    "gradio-client": ("2.6.0", "CVE-2024-47166, CVE-2024-47871, CVE-2026-28414"),
    "starlette": (
        "1.3.1",
        "CVE-2024-47874, CVE-2025-54121, CVE-2025-62727, GHSA-86qp-5c8j-p5mr, CVE-2026-54283",
    ),
    "fastapi": ("0.109.1", "CVE-2024-24762"),
    "python-multipart": ("0.0.22", "GHSA-59g5-xgcq-4qw3, GHSA-wp53-j4wj-2cfg"),
    "jinja2": ("3.1.6", "CVE-2025-27516"),
    "requests": ("2.32.4", "CVE-2024-47081"),
    "h11": ("0.16.0", "CVE-2025-43859"),
    "torch": ("2.6.0", "CVE-2025-32434 (torch.load)"),
}


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text.split("+")[0])[:4])


def pins() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not pinned with =="
            out[name.strip().lower().replace("_", "-")] = version.strip()
    return out


def test_setup_installs_with_the_constraints() -> None:
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    installs = [line for line in setup.splitlines() if "install" in line and "PIP[@]" in line]
    assert installs and all("-c constraints.txt" in line for line in installs), installs


@pytest.mark.parametrize("package", sorted(FIXED_IN))
def test_pins_are_at_or_above_the_known_fixes(package: str) -> None:
    pinned = pins()
    assert package in pinned, f"{package} is not pinned in constraints.txt"
    fixed, advisories = FIXED_IN[package]
    assert _version(pinned[package]) >= _version(fixed), (
        f"{package} {pinned[package]} < {fixed}: {advisories}"
    )
