"""Vector stores behind one narrow protocol: Chroma (embedded or server) and an in-memory one.

The same contract tests (tests/contract_store.py) run against every implementation.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, TypeVar, cast

from assistant.models import Passage

if TYPE_CHECKING:  # chromadb is imported only by the Chroma store
    from chromadb.api import ClientAPI
    from chromadb.api.collection_configuration import CreateHNSWConfiguration
    from chromadb.api.types import Where

Vector = Sequence[float]


class VectorStore(Protocol):
    def add(self, passages: Sequence[Passage], vectors: Sequence[Vector], hashes: Sequence[str]) -> None:
        """Store passages with their embeddings and content hashes."""

    def query(self, vector: Vector, k: int, skip_fields: Sequence[str] = ()) -> list[tuple[Passage, float]]:
        """The k nearest passages with cosine similarity, best first, leaving out `skip_fields`."""

    def by_codes(self, codes: Sequence[str]) -> list[Passage]:
        """Every passage whose record key is one of `codes` (metadata filter)."""

    def all(self) -> list[Passage]:
        """Every passage, in id order."""

    def vectors_by_hash(self) -> dict[str, list[float]]:
        """content hash -> embedding, to reuse embeddings of unchanged passages."""

    def count(self) -> int: ...


def _cosine(a: Vector, b: Vector) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    na = math.sqrt(sum(x * x for x in a)) or 1.0
    nb = math.sqrt(sum(y * y for y in b)) or 1.0
    return dot / (na * nb)


class InMemoryStore:
    """A plain-Python store for unit tests and tiny knowledge bases."""

    def __init__(self) -> None:
        self._rows: dict[str, tuple[Passage, list[float], str]] = {}

    def add(self, passages: Sequence[Passage], vectors: Sequence[Vector], hashes: Sequence[str]) -> None:
        for passage, vector, digest in zip(passages, vectors, hashes, strict=True):
            self._rows[passage.id] = (passage, list(vector), digest)

    def query(self, vector: Vector, k: int, skip_fields: Sequence[str] = ()) -> list[tuple[Passage, float]]:
        rows = [row for row in self._rows.values() if row[0].field not in skip_fields]
        scored = [(p, _cosine(vector, v)) for p, v, _ in rows]
        scored.sort(key=lambda pair: (-pair[1], pair[0].id))
        return scored[:k]

    def by_codes(self, codes: Sequence[str]) -> list[Passage]:
        wanted = set(codes)
        return sorted((p for p, _, _ in self._rows.values() if p.code in wanted), key=lambda p: p.id)

    def all(self) -> list[Passage]:
        return sorted((p for p, _, _ in self._rows.values()), key=lambda p: p.id)

    def vectors_by_hash(self) -> dict[str, list[float]]:
        return {digest: vector for _, vector, digest in self._rows.values()}

    def count(self) -> int:
        return len(self._rows)


T = TypeVar("T")


def _present(value: T | None) -> T:
    """A result field Chroma types as optional but returns for every field we `include`."""
    if value is None:
        raise RuntimeError("the Chroma server returned no data for a field that was asked for")
    return value


# HNSW is approximate, and Chroma's graph differs from build to build: with its default search
# beam (100) near ties in the dense ranking came out differently after a rebuild, and so did the
# passages an answer cited. A beam of 1,000 makes the top candidates the exact ones at our size
# (measured on 5,000 passages) for a few milliseconds a query.
HNSW: CreateHNSWConfiguration = {"space": "cosine", "ef_construction": 200, "ef_search": 1000}


class ChromaStore:
    """A Chroma collection; the client is persistent (a directory) or HTTP (`chroma run`)."""

    _BATCH = 1000  # Chroma caps the rows of one add() call

    def __init__(self, client: ClientAPI, collection: str, create: bool = True) -> None:
        # A reader opens the collection it was told exists: creating it would turn a broken index
        # into an empty one that answers nothing instead of an error that says how to fix it.
        if create:
            self._collection = client.get_or_create_collection(
                collection, configuration={"hnsw": HNSW}, embedding_function=None
            )
        else:
            self._collection = client.get_collection(collection, embedding_function=None)

    @classmethod
    def persistent(cls, path: Path, collection: str, create: bool = True) -> ChromaStore:
        import chromadb

        if not create and not path.is_dir():
            raise FileNotFoundError(f"Chroma directory {path} is missing")
        settings = chromadb.Settings(anonymized_telemetry=False)
        return cls(chromadb.PersistentClient(path=str(path), settings=settings), collection, create)

    @classmethod
    def http(cls, host: str, port: int, collection: str, create: bool = True) -> ChromaStore:
        import chromadb

        settings = chromadb.Settings(anonymized_telemetry=False)
        return cls(chromadb.HttpClient(host=host, port=port, settings=settings), collection, create)

    def add(self, passages: Sequence[Passage], vectors: Sequence[Vector], hashes: Sequence[str]) -> None:
        for start in range(0, len(passages), self._BATCH):
            chunk = passages[start : start + self._BATCH]
            embeddings: list[Sequence[float]] = [list(v) for v in vectors[start : start + self._BATCH]]
            self._collection.add(
                ids=[p.id for p in chunk],
                documents=[p.text for p in chunk],
                embeddings=embeddings,
                metadatas=[
                    {**p.metadata(), "hash": h}
                    for p, h in zip(chunk, hashes[start : start + self._BATCH], strict=True)
                ],
            )

    def query(self, vector: Vector, k: int, skip_fields: Sequence[str] = ()) -> list[tuple[Passage, float]]:
        total = self.count()
        k = min(k, total)
        if k == 0:
            return []
        if not skip_fields:
            return self._nearest(vector, k)
        # Twice k nearest, the skipped fields dropped here: a `where` filter makes Chroma list
        # every allowed id per query (about 240 ms at 100k passages). Skipped fields are about an
        # eighth of the knowledge base, so k survive all but never; if not, the filter decides.
        fetch = min(total, 2 * k)
        kept = [row for row in self._nearest(vector, fetch) if row[0].field not in skip_fields]
        if len(kept) >= k or fetch == total:
            return kept[:k]
        outside: dict[Literal["$in", "$nin"], list[str | int | float | bool]] = {"$nin": list(skip_fields)}
        return self._nearest(vector, k, {"field": outside})

    def _nearest(self, vector: Vector, k: int, where: Where | None = None) -> list[tuple[Passage, float]]:
        query: list[Sequence[float]] = [list(vector)]
        res = self._collection.query(query_embeddings=query, n_results=k, where=where)
        rows = zip(
            res["ids"][0],
            _present(res["documents"])[0],
            _present(res["metadatas"])[0],
            _present(res["distances"])[0],
            strict=True,
        )
        return [(Passage.from_store(i, d, m), 1.0 - dist) for i, d, m, dist in rows]

    def _get(self, where: Where | None = None) -> list[Passage]:
        res = self._collection.get(include=["documents", "metadatas"], where=where)
        rows = zip(res["ids"], _present(res["documents"]), _present(res["metadatas"]), strict=True)
        return sorted((Passage.from_store(i, d, m) for i, d, m in rows), key=lambda p: p.id)

    def by_codes(self, codes: Sequence[str]) -> list[Passage]:
        if not codes:
            return []
        values: list[str | int | float | bool] = list(codes)
        within: dict[Literal["$in", "$nin"], list[str | int | float | bool]] = {"$in": values}
        where: Where = {"code": within}
        return self._get(where=where)

    def all(self) -> list[Passage]:
        return self._get()

    def vectors_by_hash(self) -> dict[str, list[float]]:
        res = self._collection.get(include=["embeddings", "metadatas"])
        # chromadb types `embeddings` as a union of array kinds; each row iterates as floats.
        vectors = cast(Sequence[Sequence[float]], _present(res["embeddings"]))
        return {
            str(m["hash"]): [float(x) for x in e]
            for m, e in zip(_present(res["metadatas"]), vectors, strict=True)
        }

    def count(self) -> int:
        return int(self._collection.count())


def drop_server_collections(host: str, port: int, prefix: str, keep: set[str]) -> list[str]:
    """On a `chroma run` server, delete the index builds' collections (`<prefix>-<10 hex>-<6 hex>`,
    the name each build gets) except those in `keep`, the ones a build on disk still names; the
    names deleted. Persistent builds need no such step: their collection goes with their folder."""
    import chromadb

    client = chromadb.HttpClient(host=host, port=port, settings=chromadb.Settings(anonymized_telemetry=False))
    pattern = re.compile(re.escape(prefix) + r"-[0-9a-f]{10}-[0-9a-f]{6}")
    dropped = [c.name for c in client.list_collections() if pattern.fullmatch(c.name) and c.name not in keep]
    for name in dropped:
        client.delete_collection(name)
    return sorted(dropped)


def chroma_probe(path: Path, collection: str) -> int | None:
    """How many rows `collection` holds, read from chroma.sqlite3 without importing chromadb;
    None when the file cannot be read so. Only a fast path for a healthy index: any doubt (None,
    or a count that differs) sends the caller to the full check through chromadb."""
    import sqlite3

    db_file = path / "chroma.sqlite3"
    if not db_file.is_file():
        return None
    try:
        db = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
        try:
            row = db.execute(
                "SELECT COUNT(*) FROM embeddings e JOIN segments s ON e.segment_id = s.id "
                "JOIN collections c ON s.collection = c.id WHERE c.name = ? AND s.scope = 'METADATA'",
                (collection,),
            ).fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return None
    return int(row[0]) if row else None
