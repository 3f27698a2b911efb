"""Build the passage index into a new directory and swap it in atomically; open it.

Layout under data_dir:
  index -> index-builds/<build id>       (a symlink, replaced atomically with os.replace)
  index-builds/<build id>/chroma/         (Chroma persistent directory; unused in http mode)
  index-builds/<build id>/records.json    (the validated records the runtime reasons over)
  index-builds/<build id>/manifest.json   (versions, embedder, content hash, counts)
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from langchain_core.embeddings import Embeddings
from tqdm import tqdm

from assistant.config import Settings
from assistant.embed import embedder_name
from assistant.ingest import IngestError, load_knowledge, split_passages
from assistant.models import Passage
from assistant.records import Record
from assistant.store import ChromaStore, InMemoryStore, VectorStore

KEEP_OLD_BUILDS = 1


class IndexMissingError(RuntimeError):
    """No usable index; the message says how to build one."""


@dataclass
class BuildReport:
    status: str  # "built" or "unchanged"
    records: int
    passages: int
    embedded: int
    reused: int
    errors: list[IngestError] = field(default_factory=list)
    seconds: float = 0.0
    path: Path | None = None


@dataclass
class KnowledgeIndex:
    """An opened index: the store, the records and the manifest."""

    store: VectorStore
    records: dict[str, Record]
    manifest: dict[str, object]

    def policies(self) -> list[Record]:
        return [r for r in self.records.values() if r.type == "policy"]


def _passage_hash(passage: Passage, embedder: str) -> str:
    return hashlib.sha256(f"{embedder}\n{passage.search_text}".encode()).hexdigest()[:24]


def _content_hash(passages: list[Passage], records: list[Record], embedder: str) -> str:
    digest = hashlib.sha256(embedder.encode())
    for p in sorted(passages, key=lambda p: p.id):
        digest.update(f"{p.id}\n{p.search_text}\n{p.metadata()}\n".encode())
    for r in sorted(records, key=lambda r: r.key):
        digest.update(r.model_dump_json().encode())
    return digest.hexdigest()


def _chromadb_version() -> str:
    import chromadb

    return str(chromadb.__version__)


def read_manifest(settings: Settings) -> dict[str, object] | None:
    path = settings.index_dir / "manifest.json"
    return json.loads(path.read_text()) if path.is_file() else None


def _open_store(settings: Settings, build_dir: Path, collection: str) -> VectorStore:
    if settings.chroma.mode == "http":
        return ChromaStore.http(settings.chroma.host, settings.chroma.port, collection)
    return ChromaStore.persistent(build_dir / "chroma", collection)


def _swap_in(settings: Settings, build_dir: Path) -> None:
    link = settings.index_dir
    if link.exists() and not link.is_symlink():
        raise IndexMissingError(f"{link} exists and is not an index link; move it away and re-run")
    tmp = link.with_name(f".index-{os.getpid()}.tmp")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(build_dir.relative_to(link.parent))
    os.replace(tmp, link)  # atomic: readers see the old index or the new one, never half


def _prune(builds: Path, current: Path) -> None:
    old = sorted((d for d in builds.iterdir() if d.is_dir() and d != current), key=os.path.getmtime)
    for stale in old[: max(0, len(old) - KEEP_OLD_BUILDS)]:
        shutil.rmtree(stale, ignore_errors=True)


def build_index(settings: Settings, embedder: Embeddings, progress: bool = True) -> BuildReport:
    """Ingest knowledge_dir and swap a fresh index in; re-embed only changed passages."""
    start = time.perf_counter()
    ingested = load_knowledge(settings.knowledge_dir)
    if not ingested.files:
        raise IndexMissingError(f"no valid knowledge records under {settings.knowledge_dir}")
    passages = [p for f in ingested.files for p in split_passages(f)]
    name = embedder_name(embedder)
    content = _content_hash(passages, ingested.records, name)
    previous = read_manifest(settings)
    if previous and previous.get("content_hash") == content:
        return BuildReport(
            "unchanged",
            len(ingested.files),
            len(passages),
            0,
            len(passages),
            ingested.errors,
            time.perf_counter() - start,
            settings.index_dir,
        )

    reusable: dict[str, list[float]] = {}
    if previous and previous.get("embedder") == name:
        try:
            reusable = open_index(settings).store.vectors_by_hash()
        except IndexMissingError:
            reusable = {}

    hashes = [_passage_hash(p, name) for p in passages]
    todo = [i for i, h in enumerate(hashes) if h not in reusable]
    vectors: dict[int, list[float]] = {i: reusable[h] for i, h in enumerate(hashes) if h in reusable}
    batch = settings.embedder.batch_size
    with tqdm(total=len(todo), desc="embedding passages", unit="passage", disable=not progress) as bar:
        for s in range(0, len(todo), batch):
            chunk = todo[s : s + batch]
            for i, v in zip(
                chunk, embedder.embed_documents([passages[i].search_text for i in chunk]), strict=True
            ):
                vectors[i] = v
            bar.update(len(chunk))

    builds = settings.data_dir / "index-builds"
    build_id = f"{time.strftime('%Y%m%d-%H%M%S')}-{content[:10]}"
    build_dir = builds / build_id
    build_dir.mkdir(parents=True, exist_ok=False)
    collection = f"{settings.chroma.collection}-{content[:10]}"
    try:
        store = _open_store(settings, build_dir, collection)
        store.add(passages, [vectors[i] for i in range(len(passages))], hashes)
        records = {f.record.key: {"file": f.path, **f.record.model_dump(mode="json")} for f in ingested.files}
        (build_dir / "records.json").write_text(json.dumps(records, indent=1, sort_keys=True))
        manifest = {
            "chromadb_version": _chromadb_version(),
            "embedder": name,
            "content_hash": content,
            "collection": collection,
            "chroma_mode": settings.chroma.mode,
            "records": len(ingested.files),
            "passages": len(passages),
            "embedded": len(todo),
            "reused": len(passages) - len(todo),
            "errors": [str(e) for e in ingested.errors],
            "code_set_years": sorted({r.code_set_year for r in ingested.records}),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        (build_dir / "manifest.json").write_text(json.dumps(manifest, indent=1))
    except Exception:
        shutil.rmtree(build_dir, ignore_errors=True)  # never leave a half build behind
        raise
    _swap_in(settings, build_dir)
    _prune(builds, build_dir)
    return BuildReport(
        "built",
        len(ingested.files),
        len(passages),
        len(todo),
        len(passages) - len(todo),
        ingested.errors,
        time.perf_counter() - start,
        build_dir,
    )


def open_index(settings: Settings) -> KnowledgeIndex:
    manifest = read_manifest(settings)
    if manifest is None:
        raise IndexMissingError(f"no index at {settings.index_dir}: run `codecite ingest`")
    build_dir = settings.index_dir.resolve()
    raw = json.loads((build_dir / "records.json").read_text())
    records = {
        key: Record.model_validate({k: v for k, v in data.items() if k != "file"})
        for key, data in raw.items()
    }
    store = _open_store(settings, build_dir, str(manifest["collection"]))
    return KnowledgeIndex(store, records, manifest)


def memory_index(settings: Settings, embedder: Embeddings) -> KnowledgeIndex:
    """Index knowledge_dir in memory (unit tests, quick experiments); nothing touches disk."""
    ingested = load_knowledge(settings.knowledge_dir)
    passages = [p for f in ingested.files for p in split_passages(f)]
    store = InMemoryStore()
    name = embedder_name(embedder)
    store.add(
        passages,
        embedder.embed_documents([p.search_text for p in passages]),
        [_passage_hash(p, name) for p in passages],
    )
    records = {f.record.key: f.record for f in ingested.files}
    return KnowledgeIndex(store, records, {"embedder": name, "records": len(records)})
