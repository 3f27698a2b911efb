"""The claim check: every NCCI finding on a draft claim, and the corrected claim.

One function, `check_claim`, which the CLI (`codecite check`), the web UI's claim tab, the `/check`
API and the chat all call. Every finding cites its table, "as of" date and row. Decisions a careful
auditor would make where CMS leaves room are written down in docs/claim-check.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from assistant.claim import (
    SEVERITY_ORDER,
    ClaimLine,
    ClaimReport,
    Finding,
    LineResult,
    parse_claim,
)
from assistant.claim_kb import Knowledge
from assistant.claim_ptp import pair_outcome, pair_verdict
from assistant.codes import KNOWN_MODIFIERS
from assistant.rulesdb import MAI_MEANING, ClaimType, PTPEdit, RulesDB
from assistant.rvu_fields import BILATERAL_MEANING

STATUS_DENIED = {
    "B": "a bundled code: Medicare never pays it separately",
    "N": "not covered by Medicare",
    "X": "excluded from the fee schedule by statute",
    "I": "not valid for Medicare: another code is used instead",
}


@dataclass
class _Line:
    line: ClaimLine
    denied: bool = False
    units_allowed: int = 0
    suggested: list[str] = field(default_factory=list)


@dataclass
class _Check:
    rules: RulesDB
    kb: Knowledge | None
    day: date
    setting: ClaimType
    lines: list[_Line]
    findings: list[Finding] = field(default_factory=list)

    def add(
        self,
        kind: str,
        severity: str,
        codes: list[str],
        message: str,
        citation: str,
        lines: list[int],
        as_of: str = "",
    ) -> None:
        codes = list(dict.fromkeys(codes))
        for seen in self.findings:  # the same code on several lines: one finding naming them all
            if (seen.kind, seen.severity, seen.codes, seen.message) == (kind, severity, codes, message):
                seen.lines = sorted({*seen.lines, *lines})
                return
        self.findings.append(
            Finding(
                kind=kind,
                severity=severity,
                codes=codes,
                message=message,
                citation=citation,
                lines=lines,
                as_of=as_of,
            )
        )

    # -- unknown and retired codes, fee-schedule status -------------------------------------------
    def unknown(self) -> None:
        for item in self.lines:
            code, n = item.line.code, item.line.n
            status = self.rules.status(code)
            if status is None and not (self.kb and self.kb.has_record(code)):
                item.denied = True
                self.add(
                    "unknown", "deny", [code],
                    f"{code} is not in the CMS tables (PTP, MUE, add-on and RVU files) or the knowledge "
                    "base: check the number.",
                    f"CMS tables as of {self.rules.as_of('ptp', self.setting)}; no row for {code}", [n],
                    self.rules.as_of("ptp", self.setting),
                )  # fmt: skip
            elif status == "retired":
                item.denied = True
                self.add(
                    "unknown", "deny", [code],
                    f"{code} is retired: it appears only in deleted CMS edits or deleted fee-schedule rows.",
                    f"CMS tables as of {self.rules.as_of('ptp', self.setting)}: no active row for {code}",
                    [n], self.rules.as_of("ptp", self.setting),
                )  # fmt: skip
            elif (rvu := self.rules.rvu(code)) is not None and rvu.status in STATUS_DENIED:
                item.denied = True
                self.add(
                    "unknown", "deny", [code],
                    f"{code} has fee-schedule status {rvu.status}: {STATUS_DENIED[rvu.status]}.",
                    rvu.citation, [n], rvu.source.as_of,
                )  # fmt: skip
            for modifier in item.line.modifiers:
                if modifier not in KNOWN_MODIFIERS:
                    self.add(
                        "input", "warn", [code],
                        f"modifier {modifier} on {code} is not one CodeCite knows; it is kept but not "
                        "used to bypass any edit.",
                        "CodeCite modifier list (NCCI-associated and common CPT/HCPCS modifiers)", [n],
                    )  # fmt: skip

    # -- PTP --------------------------------------------------------------------------------------
    def ptp(self) -> None:
        """Every pair of lines; the edits that take one column 2 line off the claim the same way
        are reported as one finding naming all their column 1 codes."""
        groups: dict[tuple[int, str], list[tuple[PTPEdit, _Line, _Line]]] = defaultdict(list)
        for i, first in enumerate(self.lines):
            for second in self.lines[i + 1 :]:
                if first.line.code == second.line.code:
                    continue
                edit = self.rules.edit_on(first.line.code, second.line.code, self.day, self.setting)
                if edit is not None:
                    col1, col2 = (first, second) if edit.column_1 == first.line.code else (second, first)
                    groups[(col2.line.n, self._outcome(edit, col1, col2))].append((edit, col1, col2))
        for (_, outcome), edits in groups.items():
            self._report_edits(outcome, edits)

    def _outcome(self, edit: PTPEdit, col1: _Line, col2: _Line) -> str:
        return pair_outcome(edit, set(col1.line.modifiers), set(col2.line.modifiers), col2.line.code)

    def _report_edits(self, outcome: str, edits: list[tuple[PTPEdit, _Line, _Line]]) -> None:
        col2 = edits[0][2]
        c2 = col2.line.code
        c1s = list(dict.fromkeys(e.column_1 for e, _, _ in edits))
        lines = sorted({col2.line.n, *(line.line.n for _, line, _ in edits)})
        rationales = sorted({e.rationale for e, _, _ in edits if e.rationale})
        rvu = self.rules.rvu(c2)
        verdict = pair_verdict(
            outcome,
            ", ".join(c1s[:-1]) + f" and {c1s[-1]}" if len(c1s) > 1 else c1s[0],
            c2,
            f"Rationale: {'; '.join(rationales)}." if rationales else "",
            two_sided=rvu is not None and rvu.bilat_surg in ("1", "3"),
        )
        col2.denied = col2.denied or verdict.denies
        col2.suggested += [m for m in verdict.suggested if m not in col2.suggested]
        citation = "; ".join(e.citation for e, _, _ in edits)
        as_of = edits[0][0].source.as_of
        self.add("ptp", verdict.severity, [*c1s, c2], verdict.message, citation, lines, as_of)

    # -- MUE --------------------------------------------------------------------------------------
    def mue(self) -> None:
        by_code: dict[str, list[_Line]] = defaultdict(list)
        for item in self.lines:
            item.units_allowed = item.line.units
            by_code[item.line.code].append(item)
        for code, items in by_code.items():
            limit = self.rules.mue(code, self.setting)
            if limit is None:
                continue
            meaning = MAI_MEANING.get(limit.mai, "")
            if limit.mai == "1":
                for item in items:
                    if item.line.units > limit.units:
                        item.units_allowed = limit.units
                        self.add(
                            "mue", "deny", [code],
                            f"{item.line.units} units of {code} on one line; the MUE allows {limit.units} "
                            f"per line (MAI 1: {meaning}).",
                            limit.citation, [item.line.n], limit.source.as_of,
                        )  # fmt: skip
                continue
            total = sum(item.line.units for item in items)
            if total <= limit.units:
                continue
            left = limit.units
            for item in items:
                item.units_allowed = min(item.line.units, left)
                left -= item.units_allowed
            counted = "on the claim" if len(items) == 1 else f"on {len(items)} lines together"
            self.add(
                "mue", "deny", [code],
                f"{total} units of {code} {counted}; the MUE allows {limit.units} per day (MAI {limit.mai}: "
                f"{meaning}). Units above the limit are denied.",
                limit.citation, [item.line.n for item in items], limit.source.as_of,
            )  # fmt: skip

    # -- add-on codes -----------------------------------------------------------------------------
    def addon(self) -> None:
        on_claim = {item.line.code for item in self.lines}
        for item in self.lines:
            code, n = item.line.code, item.line.n
            edits = self.rules.add_on_edits(code, self.day)
            rvu = self.rules.rvu(code)
            if edits:
                primaries = sorted({e.primary for e in edits if e.primary != "CCCCC"})
                cite = f"{edits[0].source.label} ({edits[0].source.file} line {edits[0].line})"
                if primaries and not on_claim & set(primaries):
                    types = {e.aoc_type for e in edits}
                    listed = ", ".join(primaries[:12]) + (" ..." if len(primaries) > 12 else "")
                    if "1" in types:
                        item.denied = True
                        self.add(
                            "addon", "deny", [code],
                            f"{code} is an add-on code and none of its primary codes is on the claim "
                            f"(CMS add-on edit type 1, only these primaries: {listed}).",
                            cite, [n], edits[0].source.as_of,
                        )  # fmt: skip
                    else:
                        self.add(
                            "addon", "warn", [code],
                            f"{code} is an add-on code and none of the primaries CMS lists is on the claim "
                            f"({listed}); CMS allows others too (type 3): check the code's instructions.",
                            cite, [n], edits[0].source.as_of,
                        )  # fmt: skip
                elif not primaries:
                    self.add(
                        "addon", "info", [code],
                        f"{code} is an add-on code; CMS names no primary codes for it (type 2): report it "
                        "only with the primary procedure its instructions name.",
                        cite, [n], edits[0].source.as_of,
                    )  # fmt: skip
            elif rvu is not None and rvu.is_add_on:
                primaries = self.kb.primary_codes(code) if self.kb else []
                if primaries and not on_claim & set(primaries):
                    item.denied = True
                    self.add(
                        "addon", "deny", [code],
                        f"{code} is an add-on code (global ZZZ) and none of its primary codes "
                        f"({', '.join(primaries)}) is on the claim. No CMS add-on edit lists it; the "
                        "primaries come from the knowledge record.",
                        f"{rvu.citation}; knowledge record {code}", [n], rvu.source.as_of,
                    )  # fmt: skip

    # -- bilateral --------------------------------------------------------------------------------
    def bilateral(self) -> None:
        sides: dict[str, set[str]] = defaultdict(set)
        rows: dict[str, list[_Line]] = defaultdict(list)
        for item in self.lines:
            sides[item.line.code] |= set(item.line.modifiers) & {"LT", "RT"}
            rows[item.line.code].append(item)
            if "50" not in item.line.modifiers:
                continue
            rvu = self.rules.rvu(item.line.code)
            indicator = rvu.bilat_surg if rvu else ""
            if rvu is None or indicator == "1":
                continue
            severity = "deny" if indicator in ("0", "2") else "warn" if indicator == "9" else "info"
            if severity == "deny":
                item.denied = True
            self.add(
                "bilateral", severity, [item.line.code],
                f"modifier 50 on {item.line.code}: bilateral indicator {indicator} "
                f"({BILATERAL_MEANING.get(indicator, 'see the RVU file')}).",
                rvu.citation, [item.line.n], rvu.source.as_of,
            )  # fmt: skip
        for code, seen in sides.items():
            rvu = self.rules.rvu(code)
            if seen == {"LT", "RT"} and rvu is not None and rvu.bilat_surg == "1":
                for item in rows[code]:
                    item.suggested += [] if "50" in item.suggested else ["50"]
                self.add(
                    "bilateral", "warn", [code],
                    f"{code} is reported for both sides on LT and RT; Medicare pays bilateral {code} as one "
                    "line with modifier 50 and 1 unit (bilateral indicator 1).",
                    rvu.citation, [item.line.n for item in rows[code]], rvu.source.as_of,
                )  # fmt: skip

    # -- endoscopy families -----------------------------------------------------------------------
    def family(self) -> None:
        families: dict[str, list[_Line]] = defaultdict(list)
        for item in self.lines:
            rvu = self.rules.rvu(item.line.code)
            if rvu is not None and rvu.mult_proc == "3" and rvu.endo_base:
                families[rvu.endo_base].append(item)
        for base, members in families.items():
            codes = sorted({m.line.code for m in members})
            base_lines = [item for item in self.lines if item.line.code == base]
            first = self.rules.rvu(members[0].line.code)
            citation, as_of = (first.citation, first.source.as_of) if first is not None else ("", "")
            for item in base_lines:
                already = item.denied
                item.denied = True
                self.add(
                    "family", "info" if already else "deny", [base, *codes],
                    f"{base} is the diagnostic base code of the endoscopy family of {', '.join(codes)}; "
                    "it is not paid when a surgical endoscopy of its family is billed.",
                    citation, [item.line.n, *(m.line.n for m in members)], as_of,
                )  # fmt: skip
            if len(codes) >= 2:
                self.add(
                    "family", "info", codes,
                    f"{', '.join(codes)} share the endoscopic base code {base} (multiple-procedure "
                    "indicator 3): the special endoscopy rule pays the highest-valued one in full and each "
                    f"other one at its value minus that of {base}.",
                    citation, [m.line.n for m in members], as_of,
                )  # fmt: skip

    # -- knowledge-base policies ------------------------------------------------------------------
    def policy(self) -> None:
        if self.kb is None:
            return
        codes = [item.line.code for item in self.lines]
        for rule, joined, reason, citation in self.kb.policy_findings(codes):
            lines = [item.line.n for item in self.lines if item.line.code in joined]
            self.add("policy", "info", joined, f"{rule}: {reason}", citation, lines)

    def report(self) -> list[LineResult]:
        return [
            LineResult(
                input=item.line.input,
                code=item.line.code,
                modifiers=item.line.modifiers,
                units=item.line.units,
                billable=not item.denied and item.units_allowed > 0,
                units_allowed=0 if item.denied else item.units_allowed,
                suggested_modifiers=item.suggested,
            )
            for item in self.lines
        ]


def check_claim(
    text: Sequence[str] | str,
    rules: RulesDB,
    kb: Knowledge | None = None,
    day: date | None = None,
    claim_type: ClaimType = "practitioner",
) -> ClaimReport:
    """Check a draft claim (one date of service) against the NCCI tables and the knowledge base."""
    parsed, errors = parse_claim(text)
    if claim_type == "hospital" and not rules.has_table("ptp", "hospital"):
        raise ValueError("no outpatient-hospital PTP table is loaded: use claim type practitioner")
    day = day or date.today()
    check = _Check(rules, kb, day, claim_type, [_Line(line) for line in parsed])
    for step in (
        check.unknown,
        check.ptp,
        check.mue,
        check.addon,
        check.bilateral,
        check.family,
        check.policy,
    ):
        step()
    findings = sorted(check.findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.lines))
    setting = claim_type
    as_of = {
        "ptp": f"{rules.as_of('ptp', setting)} ({setting})",
        "mue": f"{rules.as_of('mue', setting)} ({setting})",
        "aoc": rules.as_of("aoc"),
        "rvu": rules.as_of("rvu"),
    }
    return ClaimReport(
        lines=check.report(),
        findings=findings,
        errors=errors,
        as_of=as_of,
        claim_type=claim_type,
        date_of_service=day.isoformat(),
    )
