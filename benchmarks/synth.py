"""Synthetic passages for the retrieval scale curve: code-like metadata, realistic lengths.

Words are drawn from the knowledge base's own vocabulary with its own frequencies, and lengths
from its own passage-length distribution, so BM25 posting lists grow as a real, larger corpus
would; the vectors are random unit vectors (embedding 100k passages on 2 cores takes most of an
hour, and the vector search costs the same either way). Deterministic for a given seed.

Usage: python -m benchmarks.synth --passages 1000 --out FILE.jsonl   (the benchmark calls it in-process)
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from assistant.ingest import load_knowledge, split_passages
from assistant.models import Passage

FIELDS = ("summary", "body", "body", "includes", "includes", "reported_separately")
FAMILIES = (
    "ureteroscopy",
    "cystourethroscopy",
    "nephrostomy",
    "urethroplasty",
    "bladder repair",
    "renal biopsy",
)
DIM = 384  # all-MiniLM-L6-v2's


class Corpus:
    """The knowledge base's words and passage lengths, to draw synthetic passages from."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        counts = Counter(w for p in passages for w in re.findall(r"[A-Za-z]+", p.text.lower()))
        self.words = list(counts)
        self.weights = [counts[w] for w in self.words]
        self.lengths = [len(p.text.split()) for p in passages] or [30]
        self.titles = [p.title for p in passages if p.title] or ["Synthetic procedure"]

    @classmethod
    def from_knowledge(cls, knowledge_dir: Path) -> Corpus:
        ingested = load_knowledge(knowledge_dir)
        return cls([p for f in ingested.files for p in split_passages(f)])

    def sentence(self, rng: random.Random, n_words: int) -> str:
        words = rng.choices(self.words, weights=self.weights, k=max(n_words, 3))
        return " ".join(words).capitalize() + "."

    def passages(self, n: int, seed: int = 7) -> list[Passage]:
        """`n` passages over 5-digit codes (50000-59999 and beyond), a few per code as real records have."""
        rng = random.Random(seed)
        out: list[Passage] = []
        code_n = 0
        while len(out) < n:
            code = f"{50000 + code_n % 50000:05d}" if code_n < 50000 else f"S{code_n:06d}"
            code_n += 1
            title = rng.choice(self.titles)
            family = rng.choice(FAMILIES)
            for slot in range(rng.randint(3, 7)):
                if len(out) == n:
                    break
                field = FIELDS[slot % len(FIELDS)]
                out.append(
                    Passage(
                        id=f"{code}#{field}-{slot}",
                        text=self.sentence(rng, rng.choice(self.lengths)),
                        code=code,
                        title=title,
                        family=family,
                        field=field,
                        file=f"synthetic/{code}.md",
                        code_set_year=2025,
                        sources=["synthetic"],
                    )
                )
        return out

    def queries(self, n: int, codes: Sequence[str], seed: int = 11) -> list[tuple[str, list[str]]]:
        """Questions as coders type them: half name a code (code-first retrieval), half do not."""
        rng = random.Random(seed)
        out: list[tuple[str, list[str]]] = []
        for i in range(n):
            words = " ".join(rng.choices(self.words, weights=self.weights, k=rng.randint(4, 9)))
            if i % 2 == 0:
                code = rng.choice(list(codes))
                out.append((f"is {words} included in {code}?", [code]))
            else:
                out.append((f"which code for {words}?", []))
        return out


def vectors(n: int, seed: int = 3, dim: int = DIM) -> np.ndarray:
    """Random unit vectors, float32, shape (n, dim)."""
    rng = np.random.default_rng(seed)
    v = rng.standard_normal((n, dim), dtype=np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--passages", type=int, default=1000)
    parser.add_argument("--knowledge", type=Path, default=Path("knowledge"))
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    corpus = Corpus.from_knowledge(args.knowledge)
    with args.out.open("w", encoding="utf-8") as handle:
        for p in corpus.passages(args.passages):
            handle.write(json.dumps(p.model_dump()) + "\n")


if __name__ == "__main__":
    main()
