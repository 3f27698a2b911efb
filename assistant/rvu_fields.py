"""The CMS Physician Fee Schedule RVU file's indicators: what each value means, and the words a
coder uses to ask about each one ("bilateral indicator?", "can modifier 50 be used?", "global
for 50592?").

One table, so the answer, the claim check and the UI's rule cards word an indicator the same
way. The meanings paraphrase the public RVU file documentation (CMS PFS relative value files).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.rulesdb import RVURow

GLOBAL_MEANING: dict[str, str] = {
    "000": "0 days: the day of the procedure only",
    "010": "10 days after the procedure (minor procedure)",
    "090": "90 days after, and the day before, the procedure (major surgery)",
    "MMM": "maternity care: the usual global rules do not apply",
    "XXX": "the global period does not apply",
    "YYY": "set by the Medicare contractor",
    "ZZZ": "an add-on code: it falls within the global period of its primary service",
}
STATUS_MEANING: dict[str, str] = {
    "A": "active: paid separately under the fee schedule",
    "B": "bundled: never paid separately",
    "C": "priced by the Medicare contractor",
    "I": "not valid for Medicare",
    "N": "not covered by Medicare",
    "R": "restricted coverage",
    "T": "paid only when no other service is paid that day",
    "X": "excluded by statute",
}
MULT_PROC_MEANING: dict[str, str] = {
    "0": "no multiple-procedure payment adjustment",
    "2": "standard multiple-surgery payment rules (later procedures paid at a reduced rate)",
    "3": "special endoscopy rules: endoscopies of the same family are paid relative to the base code",
    "4": "special diagnostic imaging rules",
    "9": "the concept does not apply",
}
BILATERAL_MEANING: dict[str, str] = {
    "0": "bilateral surgery rules do not apply: modifier 50 is not allowed",
    "1": "bilateral payment applies: report one line with modifier 50",
    "2": "the code is already bilateral: modifier 50 is not used",
    "3": "each side is paid in full: report LT/RT (or 50) for both sides",
    "9": "the bilateral concept does not apply",
}
ASSISTANT_MEANING: dict[str, str] = {
    "0": "an assistant at surgery is paid only with documentation of medical necessity",
    "1": "an assistant at surgery is never paid for this code",
    "2": "an assistant at surgery may be paid",
    "9": "the concept does not apply",
}
CO_SURGEON_MEANING: dict[str, str] = {
    "0": "co-surgeons are not permitted",
    "1": "co-surgeons may be paid with supporting documentation",
    "2": "co-surgeons are permitted (no documentation needed)",
    "9": "the concept does not apply",
}
TEAM_MEANING: dict[str, str] = {
    "0": "team surgeons are not permitted",
    "1": "team surgeons may be paid with supporting documentation",
    "2": "team surgeons are permitted (paid by report)",
    "9": "the concept does not apply",
}


@dataclass(frozen=True)
class RVUField:
    """One indicator of the RVU file: its name, how an answer labels it, the words that ask
    about it, and what its values mean."""

    name: str
    label: str
    cues: re.Pattern[str]
    meanings: dict[str, str]

    def value(self, row: RVURow) -> str:
        return str(getattr(row, self.name))

    def describe(self, row: RVURow) -> str:
        value = self.value(row)
        return f"{self.label} {value} ({self.meanings.get(value, 'see the RVU file')})"


def _cues(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(alternatives), re.I)


FIELDS: tuple[RVUField, ...] = (
    RVUField(
        "status",
        "payment status",
        # Not "status post" (s/p) in case notes: only the fee-schedule status itself.
        _cues(
            r"\bstatus (and|code|indicator|of)\b",
            r"\b(payment|and|what) status",
            r"\bstatus\s*(\?|$)",
        ),
        STATUS_MEANING,
    ),
    RVUField(
        "glob_days",
        "global period",
        # Not "is the visit included in the global package?": an inclusion question.
        _cues(
            r"\b(and|what) global\b",
            r"\bglobal (and|days?|period|for|of|on|indicator|value)\b",
            r"\bglobal\s*\?",
            r"\bglobal surgery days",
        ),
        GLOBAL_MEANING,
    ),
    RVUField(
        "mult_proc",
        "multiple-procedure indicator",
        _cues(r"multiple[- ]?(procedure|surgery|proc)\b", r"\bmult[- ]?proc", r"\bmod(ifier)?[- ]?51\b"),
        MULT_PROC_MEANING,
    ),
    RVUField(
        "bilat_surg",
        "bilateral indicator",
        _cues(
            r"\bbilateral (indicator|surgery|rule|payment|status)", r"\bbilat\b", r"\bmod(ifier)?[- ]?50\b"
        ),
        BILATERAL_MEANING,
    ),
    RVUField(
        "asst_surg",
        "assistant-at-surgery indicator",
        _cues(
            r"\bassistant[- ]?(at[- ])?surg", r"\bassist(ant)? surgeon", r"\bmod(ifier)?[- ]?(80|81|82|AS)\b"
        ),
        ASSISTANT_MEANING,
    ),
    RVUField(
        "co_surg", "co-surgeon indicator", _cues(r"\bco-?surg", r"\bmod(ifier)?[- ]?62\b"), CO_SURGEON_MEANING
    ),
    RVUField(
        "team_surg",
        "team-surgery indicator",
        _cues(r"\bteam[- ]surg", r"\bmod(ifier)?[- ]?66\b"),
        TEAM_MEANING,
    ),
)
# "endo base", "endoscopic base", "base code": answered from the RVU file's endoscopic base column.
ENDO_BASE_CUES = _cues(
    r"\bbase code", r"\bendo(scopic)? base\b", r"\bendoscopic family", r"multiple[- ]endoscopy"
)
# Words that name the fee schedule itself ("in the RVU file", "what does the fee schedule say").
# Not "PFS": coders also write it for a pressure-flow study.
FEE_SCHEDULE_CUES = _cues(r"\bRVUs?\b", r"\bfee schedule\b", r"\bMPFS\b")


# Words of the fee schedule a coder may type, kept by the speller as written ("assistant").
FEE_SCHEDULE_WORDS = " ".join(
    [*(f.label.replace("-", " ") for f in FIELDS), "assistant surgeon surgeons co-surgeon endoscopic base"]
)


def asked_fields(text: str) -> tuple[str, ...]:
    """The RVU indicators a question names, in the file's column order."""
    return tuple(f.name for f in FIELDS if f.cues.search(text))


def asks_fee_schedule(text: str) -> bool:
    """The question asks for an RVU-file fact (an indicator, the base code, the global period)."""
    return bool(asked_fields(text) or ENDO_BASE_CUES.search(text) or FEE_SCHEDULE_CUES.search(text))
