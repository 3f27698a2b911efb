"""Text normalisation shared by BM25 and the verdict matcher: coder shorthand, stems, stopwords."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9]+")
# Shorthand coders type, expanded so "US guidance" meets "ultrasound guidance" and "TURBT" meets
# the resection records. Facts-free vocabulary only.
ABBREVIATIONS: dict[str, str] = {
    "us": "ultrasound",
    "cath": "catheter",
    "foley": "foley catheter",
    "dj": "double j stent",
    "jj": "double j stent",
    "cysto": "cystoscopy",
    "urs": "ureteroscopy",
    "litho": "lithotripsy",
    "eswl": "extracorporeal shock wave lithotripsy",
    "swl": "shock wave lithotripsy",
    "pcnl": "percutaneous nephrolithotomy stone removal",
    "perc": "percutaneous",
    "lap": "laparoscopic",
    "turbt": "transurethral resection bladder tumor",
    "turp": "transurethral resection prostate",
    "tuip": "transurethral incision prostate",
    "cmg": "cystometrogram",
    "pvr": "post void residual",
    "sp": "suprapubic",
    "aus": "artificial urinary sphincter",
    "rpg": "retrograde pyelogram",
    "bx": "biopsy",
    "fluoro": "fluoroscopy",
    "thru": "through",
    "prep": "preparation",
    "uti": "urinary tract infection",
    "bph": "benign prostatic hyperplasia enlarged prostate",
    "plnd": "pelvic lymph node dissection",
    "w": "with",
    "wo": "without",
    "tumour": "tumor",
    "tumours": "tumors",
}
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "code",
        "codes",
        "cpt",
        "do",
        "does",
        "for",
        "from",
        "i",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "the",
        "this",
        "to",
        "was",
        "what",
        "when",
        "which",
        "with",
        "without",
        "you",
        "your",
        "me",
        "my",
        "we",
        "our",
        "that",
        "these",
        "those",
        "should",
        "would",
        "could",
        "there",
        "their",
        "its",
        "if",
        "also",
    ]
)
# Longest first, so "ization" is stripped before "ation" and "ion".
_SUFFIXES = (
    "izations",
    "ization",
    "ations",
    "ation",
    "ings",
    "ing",
    "ions",
    "ion",
    "ated",
    "ies",
    "ed",
    "es",
    "s",
)


def stem(word: str) -> str:
    """A small suffix stripper: 'fulgurated' and 'fulguration' meet at 'fulgur'."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            if suffix == "ies":
                return word[:-3] + "y"
            if suffix == "s" and word.endswith("ss"):
                return word
            return word[: -len(suffix)]
    return word


def normalise(text: str) -> str:
    text = re.sub(r"\bs\s*&\s*i\b", " supervision and interpretation ", text, flags=re.I)
    text = re.sub(r"\bw/o\b", " without ", text, flags=re.I)
    text = re.sub(r"\bw/", " with ", text, flags=re.I)
    return text


def tokenize(text: str) -> list[str]:
    """Lower-cased, shorthand expanded, stopwords dropped, stemmed."""
    out: list[str] = []
    for word in _WORD.findall(normalise(text).lower()):
        for w in ABBREVIATIONS.get(word, word).split():
            if w not in STOPWORDS:
                out.append(stem(w))
    return out
