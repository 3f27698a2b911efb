"""The retrieval scale curve: code-aware hybrid search (top 8, the query embedding included) over
1k / 10k / 100k synthetic passages, against the embedded Chroma client and a `chroma run` server
on loopback, beside the rank_bm25 full scan the lexical index replaced."""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from assistant import lexical
from assistant.config import RetrievalSettings
from assistant.index import KnowledgeIndex
from assistant.lexical import LexicalIndex
from assistant.models import Passage
from assistant.retrieve import HybridSearcher
from assistant.store import ChromaStore, VectorStore
from assistant.text import tokenize
from benchmarks.common import pct
from benchmarks.processes import free_port, http_ok, running
from benchmarks.synth import Corpus, vectors

COLLECTION = "synthetic"


def _searcher(store: VectorStore, index: LexicalIndex, embedder: Embeddings) -> HybridSearcher:
    knowledge = KnowledgeIndex(lambda: store, {}, {"passages": store.count()}, lexical=index, _store=store)
    return HybridSearcher(knowledge, embedder, RetrievalSettings(top_k=8))


def time_queries(
    searcher: HybridSearcher, queries: Sequence[tuple[str, list[str]]], k: int = 8
) -> list[float]:
    """Seconds per `search`, every query distinct (so each one is embedded), after one warm-up."""
    searcher.search("warm up the embedder and the store", [], k=k)
    seconds = []
    for query, codes in queries:
        t0 = time.perf_counter()
        searcher.search(query, codes, k=k)
        seconds.append(time.perf_counter() - t0)
    return seconds


def rank_bm25_baseline(
    passages: Sequence[Passage], queries: Sequence[tuple[str, list[str]]]
) -> dict[str, float]:
    """The design the lexical index replaced: rank_bm25 built at process start, every passage
    scored per query (BM25 only, no embedding)."""
    from rank_bm25 import BM25Okapi

    t0 = time.perf_counter()
    bm25 = BM25Okapi([tokenize(p.search_text) for p in sorted(passages, key=lambda p: p.id)])
    build_s = time.perf_counter() - t0
    seconds = []
    for query, _ in queries[:20]:
        t0 = time.perf_counter()
        scores = bm25.get_scores(tokenize(query))
        sorted(range(len(scores)), key=lambda i: -scores[i])[:30]
        seconds.append(time.perf_counter() - t0)
    return {
        "build_s": build_s,
        "query_p50_ms": pct(seconds, 0.5) * 1e3,
        "query_p95_ms": pct(seconds, 0.95) * 1e3,
    }


@contextmanager
def chroma_server(path: Path, log: Path, timeout_s: float = 90.0) -> Iterator[int]:
    """`chroma run` over `path` on a free loopback port until the block ends."""
    exe = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = free_port()
    cmd = [exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)]
    with running(cmd, http_ok(f"http://127.0.0.1:{port}/api/v2/heartbeat"), log, timeout_s):
        yield port


def point(
    size: int,
    corpus: Corpus,
    embedder: Embeddings,
    workdir: Path,
    server: bool,
    baseline: bool,
    n_queries: int,
) -> dict[str, Any]:
    """One point of the curve: build the synthetic index, then time hybrid search over it."""
    passages = corpus.passages(size)
    queries = corpus.queries(n_queries, sorted({p.code for p in passages}))
    where = workdir / f"synthetic-{size}"
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True)
    out: dict[str, Any] = {"passages": size, "queries": n_queries}

    t0 = time.perf_counter()
    store = ChromaStore.persistent(where / "chroma", COLLECTION)
    store.add(passages, vectors(size).tolist(), [p.id for p in passages])
    out["chroma_add_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    lexical.write(passages, f"synthetic-{size}", where / lexical.FILE)
    out["lexical_build_s"] = time.perf_counter() - t0
    # A process start: open the persisted file, answer one query (nothing is re-tokenised).
    t0 = time.perf_counter()
    opened = LexicalIndex.open(where / lexical.FILE)
    opened.ranking(queries[0][0], 30)
    out["lexical_open_first_query_ms"] = (time.perf_counter() - t0) * 1e3

    embedded = time_queries(_searcher(store, opened, embedder), queries)
    out["embedded_p50_ms"], out["embedded_p95_ms"] = pct(embedded, 0.5) * 1e3, pct(embedded, 0.95) * 1e3
    t0 = time.perf_counter()
    for query, _ in queries:
        opened.ranking(query, 30)
    out["bm25_mean_ms"] = (time.perf_counter() - t0) * 1e3 / len(queries)
    t0 = time.perf_counter()
    for query, _ in queries:
        embedder.embed_query(query + " again")
    out["embed_query_mean_ms"] = (time.perf_counter() - t0) * 1e3 / len(queries)
    if server:
        with chroma_server(where / "chroma", where / "chroma-server.log") as port:
            remote = ChromaStore.http("127.0.0.1", port, COLLECTION, create=False)
            served = time_queries(_searcher(remote, opened, embedder), queries)
        out["server_p50_ms"], out["server_p95_ms"] = pct(served, 0.5) * 1e3, pct(served, 0.95) * 1e3
    if baseline:
        out["rank_bm25"] = rank_bm25_baseline(passages, queries)
    shutil.rmtree(where, ignore_errors=True)
    return out


def curve(
    sizes: Sequence[int],
    knowledge_dir: Path,
    embedder: Embeddings,
    workdir: Path,
    server_sizes: Sequence[int],
    baseline_sizes: Sequence[int],
    n_queries: int = 60,
) -> list[dict[str, Any]]:
    corpus = Corpus.from_knowledge(knowledge_dir)
    return [
        point(size, corpus, embedder, workdir, size in server_sizes, size in baseline_sizes, n_queries)
        for size in sizes
    ]
