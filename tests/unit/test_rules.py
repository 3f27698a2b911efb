"""CMS rules: the shipped extract, and loading files in CMS's published layouts."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from assistant.rules import SHIPPED, RulesDB, load_rules
from assistant.rules_io import load_cms_files


@pytest.fixture(scope="module")
def shipped() -> RulesDB:
    return RulesDB.load(SHIPPED)


def test_shipped_extract_50576_50570_modifier_1(shipped: RulesDB) -> None:
    active, _ = shipped.edit_between("50570", "50576")
    assert active is not None and (active.column_1, active.column_2, active.modifier) == (
        "50576",
        "50570",
        "1",
    )


def test_shipped_extract_52332_52000_modifier_0(shipped: RulesDB) -> None:
    active, _ = shipped.edit_between("52000", "52332")
    assert active is not None and (active.column_1, active.modifier) == ("52332", "0")


def test_pair_with_no_edit(shipped: RulesDB) -> None:
    assert shipped.edit_between("50080", "53850") == (None, None)


def test_units_and_indicators(shipped: RulesDB) -> None:
    assert shipped.mue["52204"][:2] == ("1", "2")
    assert shipped.rvu["50576"]["endo_base"] == "50570"
    assert shipped.is_retired("50578") and not shipped.is_retired("50576")
    assert shipped.meta["ptp_as_of"] == "2024-07-01"


PTP_CMS = """Column1/Column 2 Edits
Column 1\tColumn 2\t*=in existence prior to 1996\tEffective Date\tDeletion Date\tModifier\tRationale
52332\t52000\t\t20240101\t*\t0\tCPT Manual or CMS manual coding instruction
52353\t52332\t\t20240101\t*\t1\tStandards of medical/surgical practice
5235\t52000\t\t20240101\t*\t1\tbad code
52356\t52000\t\t2024-01-01\t*\t1\tbad date
52356\t52332\t\t20250401\t*\t7\tbad modifier
"""
MUE_CMS = """HCPCS/CPT Code,Practitioner Services MUE Values,MUE Adjudication Indicator,MUE Rationale
52204,1,2 Date of Service Edit: Policy,CMS Policy
52000,x,3 Date of Service Edit: Clinical,Clinical
"""


def test_load_synthetic_cms_files_rejects_bad_rows_with_line_numbers(tmp_path: Path) -> None:
    ptp, mue = tmp_path / "ptp.txt", tmp_path / "mue.csv"
    ptp.write_text(PTP_CMS)
    mue.write_text(MUE_CMS)
    reports = load_cms_files([ptp, mue], tmp_path / "data")
    assert (reports[0].kind, reports[0].loaded) == ("ptp", 2)
    assert reports[0].rejected == [
        "line 5: column 1 '5235' is not a code",
        "line 6: effective date '2024-01-01' is not YYYYMMDD",
        "line 7: modifier indicator '7' is not 0, 1 or 9",
    ]
    assert reports[0].as_of == "2024-01-01"
    assert (reports[1].kind, reports[1].loaded, reports[1].rejected) == (
        "mue",
        1,
        ["line 3: units 'x' is not a whole number"],
    )
    db = load_rules(tmp_path / "data")
    assert db.edit_between("52000", "52332")[0] is not None
    assert db.edit_between("50570", "50576") == (None, None)  # the loaded table replaced the default
    assert db.meta["ptp_as_of"] == "2024-01-01"
    assert "50576" in db.rvu  # tables not loaded keep the shipped data


def test_cli_rules_load_reports_counts(tmp_path: Path) -> None:
    ptp = tmp_path / "ptp.txt"
    ptp.write_text(PTP_CMS)
    result = CliRunner().invoke(
        cli,
        ["rules", "load", str(ptp), "--as-of", "2025-10-01"],
        env={"CODECITE_DATA_DIR": str(tmp_path / "data")},
    )
    assert result.exit_code == 0, result.output
    assert "ptp: 2 rows loaded, 3 rejected" in result.output and "as of 2025-10-01" in result.output
    assert "rejected line 5" in result.output


def test_cli_missing_file_is_a_clean_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["rules", "load", str(tmp_path / "nope.txt")], env={"CODECITE_DATA_DIR": str(tmp_path / "data")}
    )
    assert result.exit_code == 1 and "rules file not found" in result.output
