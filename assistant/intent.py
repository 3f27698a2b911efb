"""What a question asks, from a classifier trained on varied coder questions, not from keywords.

Features are hashed character n-grams of each word (robust to typos and shorthand: "bundeled",
"incl", "sep") plus word pairs; the model is a multinomial logistic regression trained with
scikit-learn on `intent_data/intents.jsonl` the first time it is needed and cached beside the
index. Answering needs only numpy. Codes, numbers and modifiers are masked first, so the model
learns how a question is asked, never which code it names.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.codes import CODE_IN_TEXT
from assistant.text import expand_shorthand, shorthand_signature

TRAINING = Path(__file__).with_name("intent_data") / "intents.jsonl"
DIMENSIONS = 1 << 16
# Where a question is off limits whatever else it says.
DECLINE = ("clinical", "payer", "falsify", "injection", "other")


def mask(text: str) -> str:
    text = CODE_IN_TEXT.sub(" CODE ", text.upper()).lower()
    return re.sub(r"\d+", " 9 ", text)


def features(text: str) -> dict[int, float]:
    words = re.findall(r"[a-z9]+|[?+&/]", mask(text))
    grams: list[str] = []
    for word in words:
        padded = f"<{word}>"
        grams.append(f"w:{word}")
        grams += [f"c:{padded[i : i + n]}" for n in (3, 4) for i in range(len(padded) - n + 1)]
    grams += [f"b:{a} {b}" for a, b in itertools.pairwise(words)]
    counts: dict[int, float] = {}
    for gram in grams:
        key = zlib.crc32(gram.encode()) % DIMENSIONS
        counts[key] = counts.get(key, 0.0) + 1.0
    norm = sum(v * v for v in counts.values()) ** 0.5 or 1.0
    return {k: v / norm for k, v in counts.items()}


@dataclass(frozen=True)
class IntentGuess:
    intent: str
    confidence: float
    scores: dict[str, float]


class IntentModel:
    """A linear model over hashed features: weights (classes x DIMENSIONS) and biases."""

    def __init__(self, labels: list[str], weights: np.ndarray, bias: np.ndarray) -> None:
        self.labels = labels
        self.weights = weights
        self.bias = bias

    def predict(self, text: str) -> IntentGuess:
        feats = features(text)
        if not feats:
            return IntentGuess("other", 1.0, {"other": 1.0})
        keys = np.fromiter(feats, dtype=np.int64)
        values = np.fromiter(feats.values(), dtype=np.float32)
        logits = self.weights[:, keys] @ values + self.bias
        probs = np.exp(logits - logits.max())
        probs /= probs.sum()
        best = int(probs.argmax())
        return IntentGuess(
            self.labels[best], float(probs[best]), dict(zip(self.labels, probs.tolist(), strict=True))
        )

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npz")
        np.savez_compressed(tmp, weights=self.weights, bias=self.bias, labels=np.array(self.labels))
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> IntentModel:
        data = np.load(path)
        return cls([str(x) for x in data["labels"]], data["weights"], data["bias"])


def read_examples(path: Path = TRAINING) -> list[tuple[str, str]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                item = json.loads(line)
                rows.append((str(item["text"]), str(item["intent"])))
            except (json.JSONDecodeError, KeyError):
                raise ValueError(f"{path}:{number}: expected {{'text': ..., 'intent': ...}}") from None
    return rows


def train(examples: list[tuple[str, str]]) -> IntentModel:
    from scipy.sparse import csr_matrix  # training only: answering needs numpy alone
    from sklearn.linear_model import LogisticRegression

    labels = sorted({label for _, label in examples})
    rows, cols, vals = [], [], []
    for i, (text, _) in enumerate(examples):
        for key, value in features(text).items():
            rows.append(i)
            cols.append(key)
            vals.append(value)
    matrix = csr_matrix((vals, (rows, cols)), shape=(len(examples), DIMENSIONS), dtype=np.float32)
    target = [labels.index(label) for _, label in examples]
    model = LogisticRegression(C=8.0, max_iter=2000)
    model.fit(matrix, target)
    return IntentModel(labels, model.coef_.astype(np.float32), model.intercept_.astype(np.float32))


def with_shorthand_spelt_out(examples: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each example as written and, where it differs, with its shorthand spelt out: questions reach
    the model spelt out ("PCNL or URS?" as "percutaneous nephrolithotomy ... or ureteroscopy?"),
    and a model that saw only the shorthand read such a clinical question as a lookup."""
    spelt = [(expand_shorthand(text), label) for text, label in examples]
    return list(dict.fromkeys([*examples, *spelt]))


def training_hash(path: Path = TRAINING) -> str:
    # The shorthand table shapes the training text too: a change to it retrains.
    digest = hashlib.sha256(path.read_bytes() + str(DIMENSIONS).encode() + shorthand_signature())
    return digest.hexdigest()[:16]


def load_model(cache_dir: Path, path: Path = TRAINING) -> IntentModel:
    """The cached model for this training file, trained (a few seconds) when missing."""
    cached = cache_dir / f"intent-{training_hash(path)}.npz"
    if cached.is_file():
        return IntentModel.load(cached)
    model = train(with_shorthand_spelt_out(read_examples(path)))
    model.save(cached)
    return model
