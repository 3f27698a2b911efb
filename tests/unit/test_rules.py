"""The rules database: the shipped whole-section tables, and loading files in CMS's layouts."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from assistant.rules_io import RulesError, load_user_files, writer_lock
from assistant.rules_parse import parse_date
from assistant.rulesdb import RulesDB

TODAY = date(2026, 12, 1)


def test_shipped_urinary_edits(shipped_rules: RulesDB) -> None:
    edit = shipped_rules.edit_on("50570", "50576", TODAY)
    assert edit is not None and (edit.column_1, edit.column_2, edit.modifier) == ("50576", "50570", "1")
    edit = shipped_rules.edit_on("52000", "52332", TODAY)
    assert edit is not None and (edit.column_1, edit.modifier) == ("52332", "0")
    assert "ncci_ptp_practitioner_2024-07-01_all.tsv.gz line" in edit.citation
    assert shipped_rules.edit_on("50080", "53850", TODAY) is None


def test_shipped_tables_cover_every_section(shipped_rules: RulesDB) -> None:
    edit = shipped_rules.edit_on("43235", "43239", TODAY)
    assert edit is not None and (edit.column_1, edit.modifier) == ("43239", "0")
    edit = shipped_rules.edit_on("27447", "27486", TODAY)
    assert edit is not None and edit.modifier == "1" and "Mutually exclusive" in edit.rationale
    hospital = shipped_rules.edit_on("52000", "52332", TODAY, "hospital")
    assert hospital is not None and hospital.source.setting == "hospital"
    assert {s.kind for s in shipped_rules.sources()} == {"ptp", "mue", "aoc", "rvu"}


def test_units_indicators_and_inventory(shipped_rules: RulesDB) -> None:
    limit = shipped_rules.mue("52204")
    assert limit is not None and (limit.units, limit.mai) == (1, "2")
    hospital = shipped_rules.mue("52204", "hospital")
    assert hospital is not None and hospital.source.setting == "hospital"
    row = shipped_rules.rvu("50576")
    assert row is not None and row.endo_base == "50570"
    assert shipped_rules.is_retired("50578") and not shipped_rules.is_retired("50576")
    assert shipped_rules.status("99999") is None and shipped_rules.knows("G0101")
    assert [e.primary for e in shipped_rules.add_on_edits("52442", TODAY)] == ["52441"]
    assert shipped_rules.as_of("ptp", "practitioner") == "2024-07-01"


def test_deleted_edit_applies_only_up_to_its_deletion_date(tiny_rules: RulesDB) -> None:
    assert tiny_rules.edit_on("52353", "52310", date(2024, 3, 31)) is not None
    assert tiny_rules.edit_on("52353", "52310", date(2024, 4, 1)) is None
    deleted = tiny_rules.last_deleted("52353", "52310", date(2024, 4, 1))
    assert deleted is not None and "deleted after 2024-03-31" in deleted.citation


def test_indicator_9_is_not_an_edit(tiny_rules: RulesDB) -> None:
    assert tiny_rules.edits("50570", "50576") and tiny_rules.edit_on("50570", "50576", TODAY) is None


def test_database_opens_read_only(tiny_rules_path: Path) -> None:
    db = RulesDB(tiny_rules_path)
    with pytest.raises(sqlite3.OperationalError):
        db._db.execute("DELETE FROM ptp")


def test_missing_or_broken_database_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="codecite rules build"):
        RulesDB(tmp_path / "none.sqlite")
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"not a database at all" * 100)
    with pytest.raises(RulesError, match="unreadable"):
        RulesDB(broken)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20240101", 20240101),
        ("2024-01-01", 20240101),
        ("01/02/2024", 20240102),
        ("2024032", 20240201),
        ("*", None),
        ("", None),
        ("9999-12-31", None),
    ],
)
def test_parse_date(text: str, expected: int | None) -> None:
    assert parse_date(text) == expected


HEADER = (
    "Column 1\tColumn 2\t*=in existence prior to 1996\tEffective Date\tDeletion Date *=no data\t"
    "Modifier 0=not allowed 1=allowed 9=not applicable\tPTP Edit Rationale"
)
PTP_CMS = f"""Column1/Column 2 Edits
{HEADER}
52332\t52000\t\t20240101\t*\t0\tCPT Manual or CMS manual coding instruction
52353\t52332\t\t20240101\t*\t1\tStandards of medical/surgical practice
5235\t52000\t\t20240101\t*\t1\tbad code
52356\t52000\t\t2024-13-01\t*\t1\tbad date
52356\t52332\t\t20250401\t*\t7\tbad modifier
52310\t52000\t\t20250101\t*\t1\tnot yet in effect on the test's date
"""
MUE_CMS = """HCPCS/CPT Code,Practitioner Services MUE Values,MUE Adjudication Indicator,MUE Rationale
52204,1,2 Date of Service Edit: Policy,CMS Policy
52000,x,3 Date of Service Edit: Clinical,Clinical
"""
AOC_CMS = """Add-on Code\tPrimary Code\tAOC Edit Type\tAOC Pair Effective Date\tAOC Pair Deletion Date
52442\t52441\t1\t20180101\t*
52442\tABCDE\t1\t20180101\t*
"""


def test_load_cms_files_rejects_bad_rows_with_line_numbers(tiny_rules_path: Path, tmp_path: Path) -> None:
    ptp, mue, aoc = (
        tmp_path / "ccipra-v313.txt",
        tmp_path / "MCR_MUE_PractitionerServices.csv",
        tmp_path / "aoc.txt",
    )
    ptp.write_text(PTP_CMS)
    mue.write_text(MUE_CMS)
    aoc.write_text(AOC_CMS)
    reports = load_user_files([ptp, mue, aoc], tiny_rules_path)
    assert [(r.kind, r.setting, r.loaded) for r in reports] == [
        ("ptp", "practitioner", 3),
        ("mue", "practitioner", 1),
        ("aoc", "", 1),
    ]
    assert reports[0].rejected == [
        "line 5: column 1 '5235' is not a CPT/HCPCS code",
        "line 6: date '2024-13-01' is not YYYYMMDD, YYYY-MM-DD, MM/DD/YYYY or *",
        "line 7: modifier indicator '7' is not 0, 1 or 9",
    ]
    assert reports[0].as_of == "2025-01-01"  # the latest effective date in the file
    assert reports[1].rejected == ["line 3: units 'x' is not a whole number"]
    assert reports[2].rejected == ["line 3: primary code 'ABCDE' is not a code or CCCCC"]
    db = RulesDB(tiny_rules_path)
    assert db.edit_on("52000", "52332", TODAY) is not None
    assert db.edit_on("50590", "52005", TODAY) is None  # the loaded PTP table replaced the old one
    assert db.edit_on("52310", "52000", date(2024, 6, 1)) is None  # effective dates are honoured
    assert db.rvu("52442") is not None  # the RVU table was not loaded: kept
    assert db.as_of("ptp", "practitioner") == "2025-01-01" and db.meta["origin"] == "user"


def test_second_writer_is_refused(tiny_rules_path: Path, tmp_path: Path) -> None:
    ptp = tmp_path / "ptp.txt"
    ptp.write_text(PTP_CMS)
    with writer_lock(tiny_rules_path), pytest.raises(RulesError, match="another process"):
        load_user_files([ptp], tiny_rules_path)


def test_failed_load_keeps_the_current_database(tiny_rules_path: Path, tmp_path: Path) -> None:
    empty = tmp_path / "ptp.txt"
    empty.write_text(
        "Column 1\tColumn 2\tx\tEffective\tDeletion\tModifier\tRationale\n5235\t52000\t\t1\t*\t1\tx\n"
    )
    before = tiny_rules_path.read_bytes()
    with pytest.raises(ValueError, match="no valid ptp rows"):
        load_user_files([empty], tiny_rules_path)
    assert tiny_rules_path.read_bytes() == before
    assert not list(tiny_rules_path.parent.glob("*.building"))


def test_cli_rules_load_reports_counts(tiny_rules_path: Path, tmp_path: Path) -> None:
    ptp = tmp_path / "ptp.txt"
    ptp.write_text(PTP_CMS)
    result = CliRunner().invoke(
        cli,
        ["rules", "load", str(ptp), "--as-of", "2025-10-01"],
        env={"CODECITE_RULES_PATH": str(tiny_rules_path)},
    )
    assert result.exit_code == 0, result.output
    assert (
        "ptp practitioner: 3 rows loaded, 3 rejected" in result.output and "as of 2025-10-01" in result.output
    )
    assert "rejected line 5" in result.output
    shown = CliRunner().invoke(cli, ["rules", "show"], env={"CODECITE_RULES_PATH": str(tiny_rules_path)})
    assert '"as_of": "2025-10-01"' in shown.output and '"origin": "user"' in shown.output


def test_cli_missing_file_is_a_clean_error(tiny_rules_path: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["rules", "load", str(tmp_path / "nope.txt")], env={"CODECITE_RULES_PATH": str(tiny_rules_path)}
    )
    assert result.exit_code == 1 and "rules file not found" in result.output
