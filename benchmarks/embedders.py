"""Our embedder against plain sentence-transformers on the same texts in the same run:
passages/s, and how often the top 5 passages for a question stay the same as with fp32 torch."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.embed import MiniLMEmbeddings
from assistant.embed_onnx import OnnxMiniLMEmbeddings, Precision, export, model_file
from assistant.ingest import load_knowledge, split_passages

DATASETS = (Path("evals/datasets/dev.jsonl"), Path("evals/datasets/paraphrase/part1.jsonl"))


def questions(limit: int) -> list[str]:
    out: list[str] = []
    for path in DATASETS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.extend(str(t) for t in json.loads(line)["turns"])
    return out[:limit]


def throughput(embedder: Embeddings, texts: Sequence[str]) -> tuple[float, np.ndarray]:
    embedder.embed_documents(list(texts[:8]))  # load and warm up, not timed
    t0 = time.perf_counter()
    vectors = np.asarray(embedder.embed_documents(list(texts)), dtype=np.float32)
    return len(texts) / (time.perf_counter() - t0), vectors


def top5_overlap(reference: np.ndarray, other: np.ndarray, ref_q: np.ndarray, other_q: np.ndarray) -> float:
    """Mean share of the reference top 5 (cosine) that the other embedder's top 5 also holds."""
    ref_top = np.argsort(-(ref_q @ reference.T), axis=1)[:, :5]
    other_top = np.argsort(-(other_q @ other.T), axis=1)[:, :5]
    return float(np.mean([len(set(a) & set(b)) / 5 for a, b in zip(ref_top, other_top, strict=True)]))


def compare(
    knowledge_dir: Path, models_dir: Path, n_passages: int, n_questions: int, threads: int
) -> dict[str, Any]:
    passages = [p for f in load_knowledge(knowledge_dir).files for p in split_passages(f)]
    texts = [p.search_text for p in passages][:n_passages]
    asked = questions(n_questions)
    out: dict[str, Any] = {"passages": len(texts), "questions": len(asked), "threads": threads}
    for precision in ("fp32", "int8"):
        path = model_file(models_dir, precision)
        if not path.is_file():
            t0 = time.perf_counter()
            export(path, precision)
            out[f"export_{precision}_s"] = time.perf_counter() - t0
    torch_rate, torch_vecs = throughput(MiniLMEmbeddings(threads=threads), texts)
    torch_q = np.asarray(MiniLMEmbeddings(threads=threads).embed_documents(asked), dtype=np.float32)
    out["sentence_transformers_passages_per_s"] = torch_rate
    variants: tuple[Precision, ...] = ("fp32", "int8")
    for precision in variants:
        onnx = OnnxMiniLMEmbeddings(models_dir, precision, threads=threads)
        rate, vecs = throughput(onnx, texts)
        q = np.asarray(onnx.embed_documents(asked), dtype=np.float32)
        t0 = time.perf_counter()
        for text in asked[:50]:
            onnx.embed_query(text)
        out[f"onnx_{precision}"] = {
            "passages_per_s": rate,
            "speedup_vs_sentence_transformers": rate / torch_rate,
            "top5_overlap_vs_fp32": top5_overlap(torch_vecs, vecs, torch_q, q),
            "query_ms": (time.perf_counter() - t0) * 1e3 / min(50, len(asked)),
            "max_abs_diff_vs_fp32": float(np.max(np.abs(vecs - torch_vecs))),
        }
    return out
