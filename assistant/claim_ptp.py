"""One PTP edit between two claim lines: how the lines' modifiers resolve it, and the finding that
says so. Plain functions over codes and modifier sets; `claim_checks` applies them to a claim."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.codes import ANATOMIC_MODIFIERS, X_MODIFIERS, is_evaluation_and_management
from assistant.rulesdb import PTPEdit

DISTINCT = X_MODIFIERS | {"59"}


@dataclass(frozen=True)
class PairVerdict:
    """The finding for one column 2 line: its severity and message, whether the line is denied as
    submitted, and the modifiers that could make it payable."""

    severity: str
    message: str
    denies: bool
    suggested: tuple[str, ...] = ()


def session_modifiers(code: str) -> set[str]:
    """Global-surgery and repeat-test modifiers count as distinct only where they apply."""
    if is_evaluation_and_management(code):
        return {"24", "25", "57"}
    if code.isdigit() and "80047" <= code <= "89398":
        return {"91"}
    return {"58", "78", "79"}


def pair_outcome(edit: PTPEdit, mods1: set[str], mods2: set[str], column_2: str) -> str:
    """ "kind" or "kind:detail": deny, deny-with-modifier, sides, bypass, wrong-line, same-side or
    needs-modifier. Edits that resolve the same way for one column 2 line are reported together."""
    if edit.modifier == "0":
        return "deny-with-modifier" if (mods1 | mods2) & (DISTINCT | ANATOMIC_MODIFIERS) else "deny"
    side1, side2 = mods1 & ANATOMIC_MODIFIERS, mods2 & ANATOMIC_MODIFIERS
    if side1 and side2 and not side1 & side2:
        return f"sides:{'/'.join(sorted(side1))}:{'/'.join(sorted(side2))}"
    used = sorted(mods2 & DISTINCT) or sorted(mods2 & session_modifiers(column_2))
    if used:
        return f"bypass:{used[0]}"
    if mods1 & DISTINCT:
        return f"wrong-line:{sorted(mods1 & DISTINCT)[0]}"
    if side1 and side2:
        return f"same-side:{'/'.join(sorted(side1 & side2))}"
    return "needs-modifier"


def pair_verdict(outcome: str, c1: str, c2: str, why: str, two_sided: bool) -> PairVerdict:
    """The finding for `outcome` (from `pair_outcome`): `c1` names the column 1 code(s), `why` the
    edits' rationale sentence, `two_sided` whether c2's bilateral indicator allows LT/RT."""
    kind, _, detail = outcome.partition(":")
    if kind.startswith("deny"):
        note = " The modifiers on the claim do not change that." if kind == "deny-with-modifier" else ""
        return PairVerdict(
            "deny",
            f"{c2} is not billable with {c1}: it is bundled into it (modifier indicator 0), and no "
            f"modifier bypasses this edit.{note} {why}",
            denies=True,
        )
    if kind == "sides":
        first, _, second = detail.partition(":")
        return PairVerdict(
            "info",
            f"{c2} is normally bundled into {c1} (modifier indicator 1), but the claim shows different "
            f"sites ({first} and {second}), which bypasses the edit; the record must show the separate "
            f"sites. {why}",
            denies=False,
        )
    if kind == "bypass":
        extra = (
            " CMS asks for the more specific XE, XS, XP or XU (or LT/RT for sides) where one fits; use "
            "59 only when none does."
            if detail == "59"
            else ""
        )
        return PairVerdict(
            "warn" if detail == "59" else "info",
            f"{c2} is normally bundled into {c1} (modifier indicator 1); modifier {detail} on {c2} "
            f"reports it as a distinct service, which the record must support.{extra} {why}",
            denies=False,
        )
    if kind == "wrong-line":
        return PairVerdict(
            "warn",
            f"modifier {detail} is on {c1}, the column 1 code; NCCI looks for it on {c2}, the column 2 "
            f"code. Move it there if the services were distinct. {why}",
            denies=True,
            suggested=(detail,),
        )
    if kind == "same-side":
        return PairVerdict(
            "deny",
            f"{c2} is not billable with {c1} as submitted: both are on the same side ({detail}), so "
            f"laterality does not show a separate site (modifier indicator 1). Only a truly separate "
            f"structure, lesion or encounter (XS, XE) would allow it, with documentation. {why}",
            denies=True,
        )
    if is_evaluation_and_management(c2):
        return PairVerdict(
            "needs_modifier",
            f"{c2} is bundled into {c1} (modifier indicator 1): the visit is paid only when it is a "
            "significant, separately identifiable E/M service beyond the procedure's usual pre- and "
            "post-procedure work, reported with modifier 25 (57 when the visit led to the decision "
            f"for a major operation). The record must support it. {why}",
            denies=True,
            suggested=("25", "57"),
        )
    return PairVerdict(
        "needs_modifier",
        f"{c2} is bundled into {c1} (modifier indicator 1): it is denied unless a modifier shows a "
        "distinct service: a different side (LT/RT), a separate structure or lesion (XS), a "
        "separate encounter (XE), an unusual non-overlapping service (XU), or 59 when none of "
        f"these fits. The record must support it. {why}",
        denies=True,
        suggested=(*(("LT", "RT") if two_sided else ()), "XS", "XE", "XU", "59"),
    )
