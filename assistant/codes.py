"""One definition of "a code": CPT/HCPCS syntax, modifiers and units, as coders type them.

Everything that reads a code (records, retrieval, the checker, the rules loader, the claim
parser, metrics) uses this module, so "50576", "CPT# 52000", "５２０００" and "0596T" mean the
same thing everywhere. Only syntax lives here; whether a code exists is the rules database's
and the knowledge base's business.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from assistant import spoken

# CPT category I (5 digits), category II/III, PLA and vaccine codes (4 digits + F, T, U, A, M),
# HCPCS level II (a letter A-V + 4 digits).
CODE_SYNTAX = r"\d{5}|\d{4}[AFMTU]|[A-V]\d{4}"
_CODE_ONLY = re.compile(rf"^(?:{CODE_SYNTAX})$")
# A code inside free text: not part of a longer word or number, not a price or decimal.
# "52204x3" (units glued on) still names 52204.
_STARTS = r"(?<![\w.$])"
_ENDS = r"(?:(?=[X×*]\d{1,3}\b)|(?![\w]|\.\d))"
CODE_IN_TEXT = re.compile(rf"{_STARTS}({CODE_SYNTAX}){_ENDS}")


def code_at(code: str) -> re.Pattern[str]:
    """Where the text names this one code, with the same bounds as CODE_IN_TEXT."""
    return re.compile(rf"{_STARTS}{re.escape(code)}{_ENDS}", re.I)


# Two-character modifiers: CPT numeric (22, 50, 59, 91...) and HCPCS (RT, LT, XS, E1, F4, T9...).
MODIFIER_SYNTAX = r"[0-9]{2}|[A-Z][A-Z0-9]|[0-9][A-Z]"
_MODIFIER_ONLY = re.compile(rf"^(?:{MODIFIER_SYNTAX})$")

ANATOMIC_MODIFIERS = frozenset(
    ["LT", "RT", "E1", "E2", "E3", "E4", "FA", "LC", "LD", "LM", "RC", "RI", "TA"]
    + [f"F{n}" for n in range(1, 10)]
    + [f"T{n}" for n in range(1, 10)]
)
X_MODIFIERS = frozenset(["XE", "XS", "XP", "XU"])
GLOBAL_SURGERY_MODIFIERS = frozenset(["24", "25", "57", "58", "78", "79"])
# NCCI-associated modifiers: the ones that may bypass a modifier-indicator-1 PTP edit.
NCCI_MODIFIERS = ANATOMIC_MODIFIERS | X_MODIFIERS | GLOBAL_SURGERY_MODIFIERS | {"59", "91", "27"}
# Other modifiers coders commonly put on urinary claims; a modifier outside both lists is kept
# but flagged, since a typo there ("RY") silently changes nothing on a real claim.
OTHER_MODIFIERS = frozenset(
    [
        "22",
        "26",
        "32",
        "33",
        "47",
        "50",
        "51",
        "52",
        "53",
        "54",
        "55",
        "56",
        "62",
        "66",
        "73",
        "74",
        "76",
        "77",
        "80",
        "81",
        "82",
        "AS",
        "TC",
        "GA",
        "GY",
        "GZ",
        "KX",
        "Q6",
        "QK",
        "QX",
        "QY",
        "QZ",
    ]
)
KNOWN_MODIFIERS = NCCI_MODIFIERS | OTHER_MODIFIERS


def is_level_ii(code: str) -> bool:
    """A HCPCS Level II code (a letter and four digits): drugs, supplies, devices, some services."""
    return len(code) == 5 and code[0].isalpha() and code[1:].isdigit()


def is_evaluation_and_management(code: str) -> bool:
    """E/M visit codes, whose distinct-service modifier is 25 (57 for the decision for surgery)."""
    return code.isdigit() and "99202" <= code <= "99499"


def clean(text: str) -> str:
    """NFKC (full-width digits and letters become ASCII) and no lone surrogates."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    return unicodedata.normalize("NFKC", text)


def is_code(value: str) -> bool:
    return bool(_CODE_ONLY.match(value))


def is_modifier(value: str) -> bool:
    return bool(_MODIFIER_ONLY.match(value))


# A number right after an identifier's label is that identifier, never a code: "MRN 50570",
# "DOB 01/02/1980", "zip 52001", "acct # 52332" (patient details stay out of answers and logs).
_ID_LABEL = re.compile(
    r"\b(?:MRN|MR#|DOB|ZIP(?: CODE)?|POSTAL CODE|ACCT|ACCOUNT|MEMBER(?: ID)?|PATIENT ID|PT ID|SSN|PHONE|"
    r"TEL|FAX|NPI|TIN|CHART(?: NO)?|ENCOUNTER(?: NO)?|ID)\s*(?:#|NO\.?|NUMBER|:)?\s*[:#]?\s*$"
)


def _labelled(text: str, start: int) -> bool:
    return bool(_ID_LABEL.search(text[max(0, start - 24) : start]))


def _code_matches(text: str) -> list[re.Match[str]]:
    """CODE_IN_TEXT matches in cleaned, upper-cased text, less labelled identifiers."""
    return [m for m in CODE_IN_TEXT.finditer(text) if not _labelled(text, m.start())]


# A label glued to its code: "cpt52204", "CPT#52000", "code52332".
_GLUED_LABEL = re.compile(r"\b(CPT|HCPCS|CODE)#?(?=\d{5})")


def _prepared(text: str) -> str:
    """Cleaned, upper-cased text with glued labels split off their codes."""
    return _GLUED_LABEL.sub(r"\1 ", clean(text).upper())


def find_codes(text: str) -> list[str]:
    """Every code in free text, in order of first appearance, upper-cased and de-duplicated."""
    return list(dict.fromkeys(m.group(1) for m in CODE_IN_TEXT.finditer(_prepared(text))))


@dataclass(frozen=True)
class CodeMention:
    """A code as written in a question or on a claim line, with what was typed next to it."""

    code: str
    modifiers: tuple[str, ...] = ()
    units: int | None = None
    span: tuple[int, int] = (0, 0)


# After a code in free text: "-RT", "-59-XS", " RT" (letters only: " 50" is too often a number),
# then units: "x2", "x 2", "*3", "2 units", "(2 units)".
_AFTER_CODE = re.compile(
    rf"(?P<mods>(?:\s*-\s*(?:{MODIFIER_SYNTAX})\b|\s+(?:RT|LT|XS|XE|XP|XU|TC)\b)*)"
    r"(?P<units>\s*[x×*]\s*(?P<n1>\d{1,3})\b|\s*\(?\s*(?P<n2>\d{1,3})\s*(?:units?|u)\b\)?)?",
    re.IGNORECASE,
)


def mentions(text: str) -> list[CodeMention]:
    """Codes in free text with the modifiers and units typed right after them."""
    text = _prepared(text)
    out: list[CodeMention] = []
    for match in _code_matches(text):
        tail = _AFTER_CODE.match(text, match.end())
        mods: tuple[str, ...] = ()
        units: int | None = None
        end = match.end()
        if tail is not None:
            typed = re.findall(rf"(?:{MODIFIER_SYNTAX})", tail.group("mods").replace("-", " "))
            # In free text only real modifiers count: "52204 - is the ..." names no modifier "IS".
            mods = tuple(m for m in typed if m in KNOWN_MODIFIERS)
            number = tail.group("n1") or tail.group("n2")
            units = int(number) if number else None
            end = tail.end()
        out.append(CodeMention(match.group(1), mods, units, (match.start(), end)))
    return out


# A range of codes: "50570-50580", "50570 to 50580", "50574 through 50570".
_RANGE = re.compile(r"(?<![\w.$])(\d{5})\s*(?:-|–|—|to|through|thru)\s*(\d{5})(?![\w]|\.\d)", re.I)
# A code typed with spaces inside ("50 576", "5 0 5 9 1") counts only when the joined code is
# known, so "age 50 123" style noise never becomes a code.
# "5-2-6-0-1" and "5.2.6.0.1" likewise.
_SPACED = re.compile(
    r"(?<![\w.$])(?<!\d-)(\d(?: \d){4}|\d(?:-\d){4}|\d(?:\.\d){4}|\d{2} \d{3}|\d{3} \d{2})(?![\w]|[.-]\d)"
)
# The letter O typed for a zero ("52OOO"), counted only when the code it spells is known.
_LETTER_O = re.compile(r"(?<![\w.$])(?=[\dO]*O)(?=(?:[\dO]*\d){2})([\dO]{5})(?![\w]|\.\d)")


def _odd_spellings(text: str, known: set[str] | frozenset[str]) -> list[tuple[re.Match[str], str]]:
    """Known codes typed with spaces, dashes or dots inside ("52 260"), O for 0 ("52OOO") or read
    aloud ("fifty two three fifty six"), with the code each spells; `text` is prepared."""
    typos = [(m, re.sub(r"[ .-]", "", m.group(1))) for m in _SPACED.finditer(text)]
    typos += [(m, m.group(1).replace("O", "0")) for m in _LETTER_O.finditer(text)]
    typos += [(m, spoken.digits(m.group()) or "") for m in spoken.RUN.finditer(text)]
    return [(m, joined) for m, joined in typos if joined in known and not _labelled(text, m.start())]


def mask_codes(text: str, known: set[str] | frozenset[str], mask: str = "CODE") -> str:
    """The text, cleaned and upper-cased, with each code it names (as `scan` reads them: typed
    codes, and known codes spelt oddly) replaced by `mask`; every other number is left as it is."""
    text = _prepared(text)
    spans = [m.span() for m, _ in _odd_spellings(text, known)]
    spans += [m.span(1) for m in _code_matches(text) if not any(s <= m.start() < e for s, e in spans)]
    for start, end in sorted(spans, reverse=True):
        text = f"{text[:start]}{mask}{text[end:]}"
    return text


@dataclass(frozen=True)
class CodeScan:
    """The codes a text names, split by whether the caller knows them."""

    codes: list[str]  # known codes, ranges expanded to the known codes inside them, in order
    unknown: list[str]  # code-shaped tokens that are not known
    ranged: bool = False  # some codes came from a range ("50570-50580")


def scan(text: str, known: set[str] | frozenset[str]) -> CodeScan:
    """Codes and ranges in free text; a range expands to the known codes inside it."""
    text = _prepared(text)
    found: list[tuple[int, str]] = []
    unknown: list[tuple[int, str]] = []
    consumed: list[tuple[int, int]] = []
    ranges = [m for m in _RANGE.finditer(text) if not _labelled(text, m.start())]
    for match in ranges:
        low, high = sorted((match.group(1), match.group(2)))
        consumed.append(match.span())
        inside = sorted(c for c in known if c.isdigit() and low <= c <= high)
        if inside:
            found += [(match.start(), c) for c in inside]
        else:
            unknown += [(match.start(), low), (match.start(), high)]
    for match, joined in _odd_spellings(text, known):
        if not any(s <= match.start() < e for s, e in consumed):
            consumed.append(match.span())
            found.append((match.start(), joined))
    for match in _code_matches(text):
        if any(s <= match.start() < e for s, e in consumed):
            continue
        code = match.group(1)
        (found if code in known else unknown).append((match.start(), code))
    ordered = [c for _, c in sorted(found, key=lambda x: x[0])]
    missing = [c for _, c in sorted(unknown, key=lambda x: x[0])]
    return CodeScan(list(dict.fromkeys(ordered)), list(dict.fromkeys(missing)), bool(ranges))
