"""Text normalisation shared by BM25 and the verdict matcher: coder shorthand, stems, stopwords."""

from __future__ import annotations

import functools
import json
import re

_WORD = re.compile(r"[a-z0-9]+")
# Shorthand coders type, expanded so "US guidance" meets "ultrasound guidance" and "TURBT" meets
# the resection records. Facts-free vocabulary only.
_SHORTHAND: dict[str, str] = {
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
    "incl": "included",
    "fulg": "fulguration",
    "inj": "injection",
    "dil": "dilation",
    "exch": "exchange",
    "evac": "evacuation",
    "inc": "included",
    "sep": "separately",
    "dx": "diagnostic",
    "expl": "exploration",
    "appy": "appendectomy",
    "lnd": "lymph node dissection",
    "cryo": "cryoablation",
    "irrig": "irrigation",
    "trus": "transrectal ultrasound",
    "tumt": "transurethral microwave thermotherapy",
    "lith": "lithotripsy",
}
# Spelling variants of one word (British and American, -tion and -sion, -tation), read as one
# so "anesthesia" meets the records' "anaesthesia" and "hydrodistention" their "hydrodistension".
SPELLINGS: dict[str, str] = {
    "tumour": "tumor",
    "tumours": "tumors",
    "anaesthesia": "anesthesia",
    "anaesthetic": "anesthetic",
    "anaesthetics": "anesthetics",
    "distention": "distension",
    "hydrodistention": "hydrodistension",
    "dilatation": "dilation",
    "dilatations": "dilations",
    "haematuria": "hematuria",
    "catheterisation": "catheterization",
}
ABBREVIATIONS: dict[str, str] = {**_SHORTHAND, **SPELLINGS}
# Shorthand of two words whose second alone means something else ("ex lap" is an open
# exploration, while "lap" alone is laparoscopic).
_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bex[\s-]?lap\b", re.I), "exploratory laparotomy"),
)
# Lay verbs coders use for a service, mapped to the noun the knowledge base names it by, so
# "stopping the bleeding" meets "bleeding control" and "washing out the bladder" meets "bladder
# irrigation". Applied to questions and records alike (BM25 and the item matcher share it), and
# only where the everyday phrase has one clinical reading. Facts-free vocabulary only.
_NOT = r"(?<!without )(?<!not )(?<!no )(?<!never )"
LAY_TERMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.I), noun)
    for pattern, noun in (
        (r"\bstop(?:s|ped|ping)?\b", "control"),
        (r"\b(?:wash|flush|rins)(?:e|es|ed|ing)?(?:\s+out)?\b|\bwashout\b", "irrigation"),
        (r"\b(?:suck|suction)(?:s|ed|ing)?\s+out\b", "evacuation"),
        # The object may sit inside the phrase ("taking the stent out"): it is kept (\1).
        # Not after a negation: "moving a stone without taking it out" is no removal.
        (_NOT + r"\b(?:tak(?:e|es|ing)|took|pull(?:s|ed|ing)?)\s+((?:[a-z]+\s+){0,3}?)out\b", r"removal \1"),
        (_NOT + r"\b(?:put(?:s|ting)?)\s+((?:[a-z]+\s+){0,3}?)in\b", r"placement \1"),
        (r"\b(?:burn(?:s|ed|t|ing)?|cauteriz(?:e|es|ed|ing)|cauter(?:y|ize))\b", "fulguration"),
        (r"\b(?:sew(?:s|ed|n|ing)?|stitch(?:es|ed|ing)?)\b", "suture"),
        (r"\b(?:widen(?:s|ed|ing)?|stretch(?:es|ed|ing)?)\b", "dilation"),
        (r"\b(?:break(?:s|ing)?|broke)\s+up\b", "fragmentation"),
        (r"\bnumb(?:s|ed|ing)?\b", "anesthesia"),
        (r"\bdye\b", "contrast"),
    )
)
# With the forms typed without an apostrophe ("the probe thats not included").
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
        "whats",
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
        "thats",
        "these",
        "those",
        "should",
        "would",
        "could",
        "there",
        "theres",
        "their",
        "its",
        "if",
        "also",
    ]
)
# Longest first, so "ization" is stripped before "ation" and "ion". Not the speller's
# `_INFLECTIONS`: a stem only has to make two forms meet ("fulgur"), and is lossy by design,
# while the speller must restore a dictionary headword ("placing" -> "place"); one table would
# change every indexed token or let the speller accept non-words. Derivational endings (-ment,
# -al, -ic, -ate) are here because coders write the verb or adjective where the records have the
# noun: "removing" / "removal", "placing" / "placement", "cystoscopic" / "cystoscopy".
_SUFFIXES = (
    "izations",
    "ization",
    "ations",
    "ation",
    "ements",
    "ement",
    "ments",
    "ment",
    "ings",
    "ing",
    "ions",
    "ion",
    "ical",
    "ated",
    "ates",
    "ate",
    "ies",
    "ic",
    "al",
    "ed",
    "es",
    "s",
)
_MIN_STEM = 4


def stem(word: str) -> str:
    """A small suffix stripper: 'fulgurated', 'fulgurate' and 'fulguration' meet at 'fulgur'.
    An adverb's -ly goes first ("bilaterally" -> "bilateral"); a final silent e or the y of
    -scopy goes last, so "stone" meets "stones" and "biopsy" meets "biopsies"."""
    if word.endswith("ly") and len(word) - 2 > _MIN_STEM:  # not "supply" -> "supp"
        word = word[:-2]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            if suffix == "ies":
                word = word[:-3] + "y"
            elif suffix == "s" and word.endswith("ss"):
                return word
            else:
                word = word[: -len(suffix)]
            break
    if len(word) > _MIN_STEM and word[-1] in "ey":
        word = word[:-1]
    return word


def _phrases(text: str) -> str:
    for pattern, words in _PHRASES:
        text = pattern.sub(words, text)
    return text


def normalise(text: str) -> str:
    text = _phrases(text)
    for pattern, noun in LAY_TERMS:
        text = pattern.sub(noun, text)
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


@functools.lru_cache(maxsize=8192)
def term_tokens(term: str) -> tuple[str, ...]:
    """`tokenize` of a knowledge-base term (a service name, an alias, a title), cached: the terms
    are a fixed set and each question matches against hundreds of them. Question text goes
    through `tokenize`, never here (the cache would keep it)."""
    return tuple(tokenize(term))


def _deletes(word: str, depth: int) -> set[str]:
    found, frontier = {word}, {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein (adjacent transpositions count one): 'seperate' is 1 from 'separate'."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]


# Inflectional endings and what restores the dictionary form ("deployed" -> "deploy",
# "placing" -> "place", "biopsies" -> "biopsy").
_INFLECTIONS = (
    ("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""),
    ("s", ""), ("ly", ""), ("er", ""), ("est", ""),
)  # fmt: skip


class Speller:
    """Typos to the knowledge base's own words ('fulgeration' -> 'fulguration', 'flouro' ->
    'fluoro'), by symmetric deletes: one edit for words of 5-7 letters, two from 8 letters.
    Short words, codes, words the vocabulary knows and English words are left alone: a coder's
    "correction" is not a typo for the knowledge base's "connection"."""

    def __init__(self, vocabulary: dict[str, int], english: bool = True) -> None:
        self.frequency = vocabulary
        self._deletes: dict[str, list[str]] | None = None  # built when a word first needs it
        self._english: frozenset[str] | None = None if english else frozenset()

    @property
    def english(self) -> frozenset[str]:
        """The GCIDE dictionary's words (the english-words package), loaded on first need."""
        if self._english is None:
            from english_words import get_english_words_set

            self._english = frozenset(get_english_words_set(["gcide"], lower=True, alpha=True))
        return self._english

    @property
    def _index(self) -> dict[str, list[str]]:
        # Most questions have no unknown word of 5+ letters: they never pay for this index (about
        # half a second of a cold start on 2 cores).
        # Filled aside and published whole: a second thread never reads a half-built index.
        if self._deletes is None:
            index: dict[str, list[str]] = {}
            for word in self.frequency:
                if len(word) >= 5:
                    for key in _deletes(word, self._depth(word)):
                        index.setdefault(key, []).append(word)
            self._deletes = index
        return self._deletes

    def _is_english(self, word: str) -> bool:
        """A dictionary word or an inflection of one: GCIDE lists "correct", not "corrected" (which
        was once "fixed" to the knowledge base's "connected")."""
        if word in self.english:
            return True
        for suffix, restore in _INFLECTIONS:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                base = word[: -len(suffix)] + restore
                undoubled = base[:-1] if len(base) > 3 and base[-1] == base[-2] else ""  # stopped
                if base in self.english or undoubled in self.english:
                    return True
        return False

    @staticmethod
    def _depth(word: str) -> int:
        return 2 if len(word) >= 8 else 1

    def correct(self, word: str) -> str:
        if len(word) < 5 or not word.isalpha() or word in self.frequency or self._is_english(word):
            return word
        depth = self._depth(word)
        candidates = {c for key in _deletes(word, depth) for c in self._index.get(key, ())}
        scored = [(edit_distance(word, c), -self.frequency[c], c) for c in candidates]
        scored = [s for s in scored if s[0] <= depth]
        return min(scored)[2] if scored else word

    def fix(self, text: str) -> str:
        """The text with each misspelt word replaced (case folded only where a word changed)."""
        return re.sub(r"[A-Za-z]+", lambda m: self._fix_word(m.group(0)), text)

    def _fix_word(self, word: str) -> str:
        fixed = self.correct(word.lower())
        return word if fixed == word.lower() else fixed


def vocabulary(texts: list[str]) -> dict[str, int]:
    """Word frequencies of the knowledge base (what the speller corrects towards)."""
    counts: dict[str, int] = {}
    for text in texts:
        for word in re.findall(r"[a-z]+", text.lower()):
            counts[word] = counts.get(word, 0) + 1
    return counts


_SHORTHAND_WORD = re.compile(r"[A-Za-z]+")


def shorthand_signature() -> bytes:
    """What `expand_shorthand` does, as bytes: a model trained on spelt-out text is stale when it
    changes."""
    table = [sorted(ABBREVIATIONS.items()), [(p.pattern, s) for p, s in _PHRASES]]
    return json.dumps(table).encode()


def expand_shorthand(text: str) -> str:
    """Coder shorthand spelt out in the text itself ("fulg incl?" -> "fulg included?"), so the
    question reader sees the words; "us" only when written "US" (else it is the pronoun)."""

    def spell(match: re.Match[str]) -> str:
        word = match.group(0)
        low = word.lower()
        if low == "us" and word != "US":
            return word
        return ABBREVIATIONS.get(low, word)

    return _SHORTHAND_WORD.sub(spell, _phrases(text))


def unit_count(n: int) -> str:
    """ "1 unit", "2 units": counts in answers read as English, not "2 unit(s)"."""
    return f"{n} unit" if n == 1 else f"{n} units"
