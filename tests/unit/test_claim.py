"""Claim lines as coders type them, and the claim check: every kind and severity of finding."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.claim import ClaimReport, parse_claim, parse_dos
from assistant.claim_checks import check_claim
from assistant.claim_kb import RecordKnowledge, knowledge_from_files
from assistant.claim_render import claim_html, render_markdown
from assistant.cli import cli
from assistant.rulesdb import RulesDB
from tests.conftest import KNOWLEDGE, SHIPPED_RULES

DAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["52332"], [("52332", [], 1)]),
        (["52332-RT"], [("52332", ["RT"], 1)]),
        (["52332 RT"], [("52332", ["RT"], 1)]),
        (["52332-59-XS"], [("52332", ["59", "XS"], 1)]),
        (["52442x3"], [("52442", [], 3)]),
        (["52442 x3"], [("52442", [], 3)]),
        (["52442 x 3"], [("52442", [], 3)]),
        (["52442*3"], [("52442", [], 3)]),
        (["52442 3 units"], [("52442", [], 3)]),
        (["52442 2 unit"], [("52442", [], 2)]),
        (["52332-50"], [("52332", ["50"], 1)]),
        (["52332 - rt"], [("52332", ["RT"], 1)]),
        (["52356 52332 52000"], [("52356", [], 1), ("52332", [], 1), ("52000", [], 1)]),
        (["52356, 52332-LT x2; G0101"], [("52356", [], 1), ("52332", ["LT"], 2), ("G0101", [], 1)]),
        ("52356\n52332 RT\n", [("52356", [], 1), ("52332", ["RT"], 1)]),
        (["５２０００"], [("52000", [], 1)]),
    ],
)
def test_parse_every_line_spelling(
    lines: list[str] | str, expected: list[tuple[str, list[str], int]]
) -> None:
    parsed, errors = parse_claim(lines)
    assert errors == []
    assert [(x.code, x.modifiers, x.units) for x in parsed] == expected
    assert [x.n for x in parsed] == list(range(1, len(expected) + 1))


def test_bad_lines_are_named_and_the_rest_is_kept() -> None:
    parsed, errors = parse_claim(["52356", "5233", "52000 foo", "XS", "52000x0"])
    assert [x.code for x in parsed] == ["52356", "52000"]
    assert [(e.source_line, e.message) for e in errors] == [
        (2, "'5233' is not a CPT/HCPCS code (five characters, e.g. 52332 or G0101)"),
        (3, "'FOO' is not a code, a modifier or a unit count"),
        (4, "'XS' looks like a modifier but is not one we know, or it comes after the units"),
        (5, "52000: 0 units"),
    ]


def test_parse_dos() -> None:
    assert parse_dos("2024-03-31") == date(2024, 3, 31)
    assert parse_dos("03/31/2024") == date(2024, 3, 31)
    with pytest.raises(ValueError, match=r"date of service '31\.03\.2024'"):
        parse_dos("31.03.2024")


@pytest.fixture(scope="module")
def kb() -> RecordKnowledge:
    return knowledge_from_files(KNOWLEDGE)


def run(lines: list[str], rules: RulesDB, kb: RecordKnowledge | None = None, day: date = DAY) -> ClaimReport:
    return check_claim(lines, rules, kb, day)


def billable(report: ClaimReport) -> dict[str, bool]:
    return {f"{x.code}{'-' + '-'.join(x.modifiers) if x.modifiers else ''}": x.billable for x in report.lines}


def kinds(report: ClaimReport) -> set[tuple[str, str]]:
    return {(f.kind, f.severity) for f in report.findings}


def test_ptp_indicator_0_denies_column_2_whatever_the_modifier(tiny_rules: RulesDB) -> None:
    report = run(["52356", "52000-XS"], tiny_rules)
    assert billable(report) == {"52356": True, "52000-XS": False}
    (finding,) = report.findings
    assert (finding.kind, finding.severity, finding.codes) == ("ptp", "deny", ["52356", "52000"])
    assert "do not change that" in finding.message and "modifier indicator 0" in finding.citation


def test_ptp_indicator_1_needs_a_modifier(tiny_rules: RulesDB) -> None:
    report = run(["52356", "52332"], tiny_rules)
    assert billable(report) == {"52356": True, "52332": False}
    assert kinds(report) >= {("ptp", "needs_modifier")}
    assert report.lines[1].suggested_modifiers == ["LT", "RT", "XS", "XE", "XU", "59"]


@pytest.mark.parametrize(
    ("lines", "severity", "ok"),
    [
        (["52356", "52332-XS"], "info", True),
        (["52356", "52332-59"], "warn", True),  # 59 where an X modifier fits
        (["52356-XS", "52332"], "warn", False),  # the modifier on the column 1 line
        (["50590-RT", "52005-LT"], "info", True),  # different sides bypass
        (["50590-RT", "52005-RT"], "deny", False),  # the same side does not
    ],
)
def test_ptp_modifier_1_bypass(tiny_rules: RulesDB, lines: list[str], severity: str, ok: bool) -> None:
    report = run(lines, tiny_rules)
    assert list(billable(report).values())[1] is ok
    assert [f.severity for f in report.findings if f.kind == "ptp"] == [severity]


def test_deleted_edit_is_not_applied_after_its_deletion_date(tiny_rules: RulesDB) -> None:
    before = run(["52353", "52310"], tiny_rules, day=date(2024, 3, 1))
    after = run(["52353", "52310"], tiny_rules, day=date(2024, 6, 1))
    assert ("ptp", "needs_modifier") in kinds(before) and not any(f.kind == "ptp" for f in after.findings)
    assert after.date_of_service == "2024-06-01"


def test_mue_per_day_and_per_line(tiny_rules: RulesDB) -> None:
    report = run(["52000x2"], tiny_rules)
    assert kinds(report) == {("mue", "deny")} and report.lines[0].units_allowed == 1
    assert report.lines[0].billable and "MAI 3" in report.findings[0].message
    per_line = run(["52310x3", "52310x2"], tiny_rules)  # MAI 1: each line on its own
    assert [x.units_allowed for x in per_line.lines] == [2, 2]
    split = run(["52332-RT", "52332-LT"], tiny_rules)  # MAI 2: LT and RT lines count together
    assert [x.units_allowed for x in split.lines] == [1, 0]
    assert ("bilateral", "warn") in kinds(split) and split.lines[0].suggested_modifiers == ["50"]


def test_addon_without_its_primary(tiny_rules: RulesDB) -> None:
    alone = run(["52442x3"], tiny_rules)
    assert kinds(alone) == {("addon", "deny")} and not alone.lines[0].billable
    assert "52441" in alone.findings[0].message
    paired = run(["52441", "52442x3"], tiny_rules)
    assert paired.findings == [] and all(billable(paired).values())
    assert kinds(run(["64480"], tiny_rules)) == {("addon", "warn")}  # type 3: others possible
    assert kinds(run(["0054T"], tiny_rules)) == {("addon", "info")}  # type 2: none named


def test_bilateral_modifier_checked_against_the_indicator(tiny_rules: RulesDB) -> None:
    assert run(["52332-50"], tiny_rules).findings == []  # indicator 1
    report = run(["50200-50"], tiny_rules)  # indicator 2: already bilateral
    assert kinds(report) == {("bilateral", "deny")} and not report.lines[0].billable


def test_endoscopy_family_base_code(tiny_rules: RulesDB) -> None:
    report = run(["52332", "52005", "52000"], tiny_rules)
    assert ("family", "deny") in kinds(report) and ("family", "info") in kinds(report)
    assert billable(report)["52000"] is False


def test_unknown_retired_and_bundled_status_codes(tiny_rules: RulesDB, shipped_rules: RulesDB) -> None:
    report = run(["99999", "51798"], tiny_rules)
    assert [(f.kind, f.severity, f.codes) for f in report.findings] == [
        ("unknown", "deny", ["99999"]),
        ("unknown", "deny", ["51798"]),
    ]
    retired = run(["50578"], shipped_rules)
    assert "retired" in retired.findings[0].message and not retired.lines[0].billable


def test_unknown_modifier_is_kept_and_flagged(tiny_rules: RulesDB) -> None:
    report = run(["52000-Q9"], tiny_rules)
    assert report.lines[0].modifiers == ["Q9"] and kinds(report) == {("input", "warn")}


def test_policy_records_that_apply(shipped_rules: RulesDB, kb: RecordKnowledge) -> None:
    report = run(["52332", "51702"], shipped_rules, kb)
    policy = [f for f in report.findings if f.kind == "policy"]
    assert policy and policy[0].severity == "info" and "catheter" in policy[0].message.lower()
    assert "policy record" in policy[0].citation


def test_findings_ordered_by_severity(shipped_rules: RulesDB, kb: RecordKnowledge) -> None:
    report = run(["52356", "52332", "52000", "76000"], shipped_rules, kb)
    order = {"deny": 0, "needs_modifier": 1, "warn": 2, "info": 3}
    assert [order[f.severity] for f in report.findings] == sorted(order[f.severity] for f in report.findings)


def cli_check(*args: str) -> dict[str, object]:
    result = CliRunner().invoke(
        cli,
        ["check", *args, "--json"],
        env={"CODECITE_RULES_PATH": str(SHIPPED_RULES)},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.output))


def line_billable(payload: dict[str, object]) -> dict[str, bool]:
    return {str(x["input"]): bool(x["billable"]) for x in payload["lines"]}  # type: ignore[attr-defined]


def test_cli_done_when_urinary(shipped_rules: RulesDB) -> None:
    payload = cli_check("52356", "52332", "52000", "76000")
    assert line_billable(payload) == {"52356": True, "52332": False, "52000": False, "76000": False}
    findings = payload["findings"]
    assert isinstance(findings, list)
    denied_52000 = [f for f in findings if f["kind"] == "ptp" and f["codes"][-1] == "52000"]
    assert denied_52000 and all(f["severity"] == "deny" for f in denied_52000)
    for code in ("52332", "76000"):
        rows = [f for f in findings if f["kind"] == "ptp" and f["codes"][-1] == code]
        assert rows and "modifier indicator 1" in rows[0]["citation"] and "line" in rows[0]["citation"]
    assert set(payload["as_of"]) >= {"ptp", "mue", "aoc", "rvu"}  # type: ignore[arg-type]
    assert line_billable(cli_check("50590-RT", "52005-LT")) == {"50590-RT": True, "52005-LT": True}
    assert line_billable(cli_check("50590-RT", "52005-RT")) == {"50590-RT": True, "52005-RT": False}
    assert [f["kind"] for f in cli_check("52000x2")["findings"]] == ["mue"]  # type: ignore[union-attr]
    assert [f["kind"] for f in cli_check("52442x3")["findings"]] == ["addon"]  # type: ignore[union-attr]
    both = cli_check("52441", "52442x3")
    assert all(line_billable(both).values()) and not [f for f in both["findings"] if f["kind"] == "addon"]  # type: ignore[union-attr]


def test_cli_done_when_other_sections(shipped_rules: RulesDB) -> None:
    gi = cli_check("43239", "43235")
    assert line_billable(gi) == {"43239": True, "43235": False}
    ptp = [f for f in gi["findings"] if f["kind"] == "ptp"]  # type: ignore[union-attr]
    assert ptp[0]["severity"] == "deny" and "modifier indicator 0" in ptp[0]["citation"]
    knee = cli_check("27486", "27447")
    ptp = [f for f in knee["findings"] if f["kind"] == "ptp"]  # type: ignore[union-attr]
    assert "Mutually exclusive" in ptp[0]["message"] and "modifier indicator 1" in ptp[0]["citation"]
    unknown = cli_check("99999")
    assert unknown["findings"][0]["kind"] == "unknown"  # type: ignore[index]


def test_cli_text_output_and_bad_date(tmp_path: Path) -> None:
    env = {"CODECITE_RULES_PATH": str(SHIPPED_RULES)}
    result = CliRunner().invoke(cli, ["check", "52356", "5233"], env=env)
    assert result.exit_code == 0 and "Corrected claim:" in result.output and "input line 2" in result.output
    bad = CliRunner().invoke(cli, ["check", "52356", "--dos", "yesterday"], env=env)
    assert bad.exit_code == 1 and "date of service 'yesterday'" in bad.output


def test_claim_html_and_markdown(tiny_rules: RulesDB) -> None:
    report = run(["52356", "52332", "52000", "<b>x</b>"], tiny_rules)
    html = claim_html(report)
    assert "cc-line-billable" in html and "cc-line-mod" in html and "cc-line-not" in html
    assert "<b>x</b>" not in html and "&#x27;&lt;B&gt;X&lt;/B&gt;&#x27;" in html  # the bad line, escaped
    markdown = render_markdown(report)
    assert "| 1 | 52356 |" in markdown and "PTP 2024-07-01 (practitioner)" in markdown
    assert "**NEEDS MODIFIER**" in markdown


def test_a_bare_number_after_a_code_is_not_units() -> None:
    parsed, errors = parse_claim(["52356 5233"])
    assert [(x.code, x.units) for x in parsed] == [("52356", 1)]
    assert errors[0].message.startswith("'5233' is not a CPT/HCPCS code")
    parsed, errors = parse_claim(["52442 3u", "52442 2 units"])
    assert [x.units for x in parsed] == [3, 2] and errors == []
