"""Build the passage index into a new directory and swap it in atomically; open and verify it.

Layout under data_dir:
  index -> index-builds/<build id>       (a symlink, replaced atomically with os.replace)
  .index.lock                             (the writer lock: one ingest at a time)
  index-builds/<build id>/chroma/         (Chroma persistent directory; unused in http mode)
  index-builds/<build id>/records.json    (the validated records the runtime reasons over)
  index-builds/<build id>/lexical.sqlite  (BM25 postings and the passages by id and code)
  index-builds/<build id>/manifest.json   (versions, embedder, content hash, counts; written last)
  index-builds/<build id>/.readers.lock   (held shared by every process that has the build open)

A build becomes current only after it is reopened and checked against its manifest; garbage
collection never deletes the current build, the newest complete old ones, or one a process holds.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import IO, TYPE_CHECKING

from tqdm import tqdm

from assistant import lexical, locks
from assistant.builds import embedder_name, named_collections, prune, read_json, swap_in, write_manifest
from assistant.bundling import for_settings as _bundling
from assistant.config import Settings
from assistant.ingest import IngestError, load_knowledge, split_passages
from assistant.lexical import LexicalIndex
from assistant.models import Passage
from assistant.records import Record
from assistant.store import ChromaStore, InMemoryStore, VectorStore, chroma_probe, drop_server_collections

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

REBUILD = "`codecite ingest --rebuild`"


class IndexMissingError(RuntimeError):
    """No usable index; the message says how to build one."""


class IndexBrokenError(IndexMissingError):
    """An index exists but does not match its manifest; the message names what and the fix."""


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
    warnings: list[str] = field(default_factory=list)
    rebuilt_because: str = ""  # why the previous index was not trusted, when it was not

    @property
    def failed_files(self) -> int:
        return len({e.file for e in self.errors})


@dataclass
class KnowledgeIndex:
    """An opened index: the store, the records, the manifest and the lexical index.

    The vector store may be opened on first use (`opener`): the lexical index serves passages by
    code, so a question the CMS tables answer never imports chromadb."""

    opener: Callable[[], VectorStore]
    records: dict[str, Record]
    manifest: dict[str, object]
    files: dict[str, str] = field(default_factory=dict)  # record key -> knowledge file
    path: Path | None = None
    lexical: LexicalIndex | None = None
    _store: VectorStore | None = field(default=None, repr=False)
    _hold: IO[str] | None = field(default=None, repr=False)

    @property
    def store(self) -> VectorStore:
        if self._store is None:
            self._store = self.opener()
        return self._store

    def count(self) -> int:
        """Passages in the build (verified at open), without opening the vector store."""
        if self.lexical is not None:
            return int(self.lexical.meta.get("passages", 0))
        return self.store.count()

    def policies(self) -> list[Record]:
        return [r for r in self.records.values() if r.type == "policy"]

    def close(self) -> None:
        """Release the build for garbage collection (a served index holds it for its lifetime)."""
        if self._hold is not None:
            self._hold.close()
            self._hold = None


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
    # The installed distribution's version, read without importing chromadb (most of a second).
    return metadata.version("chromadb")


def _broken(settings: Settings, what: str) -> IndexBrokenError:
    return IndexBrokenError(f"the index at {settings.index_dir} is broken: {what}; rebuild it with {REBUILD}")


def read_manifest(settings: Settings) -> dict[str, object] | None:
    """The current manifest, None when there is no index; IndexBrokenError when it is corrupt."""
    link = settings.index_dir
    if not link.is_symlink() and not link.exists():
        return None
    try:
        return read_json(link / "manifest.json")
    except ValueError as exc:
        raise _broken(settings, str(exc)) from None


def _open_store(settings: Settings, build_dir: Path, collection: str, create: bool = False) -> VectorStore:
    if settings.chroma.mode == "http":
        return ChromaStore.http(settings.chroma.host, settings.chroma.port, collection, create)
    return ChromaStore.persistent(build_dir / "chroma", collection, create)


def _load_build(settings: Settings, build_dir: Path) -> KnowledgeIndex:
    """Open `build_dir` and check it against its manifest: versions, collection, counts."""
    try:
        manifest = read_json(build_dir / "manifest.json")
        raw = read_json(build_dir / "records.json")
    except ValueError as exc:
        raise _broken(settings, str(exc)) from None
    built_with = str(manifest.get("chromadb_version", "unknown"))
    if built_with != _chromadb_version():
        raise _broken(settings, f"it was built with chromadb {built_with}, this is {_chromadb_version()}")
    if manifest.get("records") != len(raw):
        said = manifest.get("records")
        raise _broken(settings, f"records.json holds {len(raw)} records, the manifest says {said}")
    try:
        records = {
            key: Record.model_validate({k: v for k, v in data.items() if k != "file"})
            for key, data in raw.items()
            if isinstance(data, dict)
        }
    except ValueError as exc:
        raise _broken(settings, f"records.json does not validate ({type(exc).__name__})") from None
    if len(records) != len(raw):
        raise _broken(settings, "records.json holds entries that are not records")
    collection = str(manifest.get("collection", ""))
    said = manifest.get("passages")

    def opener() -> VectorStore:
        return _open_store(settings, build_dir, collection)

    store: VectorStore | None = None
    # A healthy embedded collection is counted from its SQLite file; anything else (a server, a
    # file that does not read, a count that differs) goes through chromadb, which names the damage.
    if settings.chroma.mode != "persistent" or chroma_probe(build_dir / "chroma", collection) != said:
        try:
            store = opener()
            count = store.count()
        except Exception as exc:  # chromadb raises anything from a damaged file (ZeroDivisionError too)
            what = f"its Chroma collection {collection!r} is missing or unreadable ({type(exc).__name__})"
            raise _broken(settings, what) from None
        if count != said:
            raise _broken(settings, f"the collection holds {count} passages, the manifest says {said}")
    files = {key: str(data.get("file", "")) for key, data in raw.items() if isinstance(data, dict)}
    index = KnowledgeIndex(opener, records, manifest, files, build_dir, _store=store)
    build = str(manifest.get("content_hash", ""))
    path = build_dir / lexical.FILE
    index.lexical = lexical.for_build(path, build, int(str(said)), lambda: index.store.all())
    return index


def open_index(settings: Settings) -> KnowledgeIndex:
    """The current index, verified and held open (garbage collection skips it) until `close()`."""
    if read_manifest(settings) is None:
        raise IndexMissingError(f"no index at {settings.index_dir}: run `codecite ingest`")
    for _ in range(2):  # a build pruned between resolving the link and locking it: resolve again
        build_dir = settings.index_dir.resolve()
        if not build_dir.is_dir():
            raise _broken(settings, f"its build directory {build_dir} is missing")
        hold = locks.hold_for_reading(build_dir)
        if (build_dir / "manifest.json").is_file():
            try:
                index = _load_build(settings, build_dir)
            except BaseException:
                if hold is not None:
                    hold.close()
                raise
            index._hold = hold
            return index
        if hold is not None:
            hold.close()
    raise _broken(settings, "its build directory has no manifest")


@dataclass
class _Plan:
    """What goes into a new build: parsed files plus records kept from the previous build."""

    passages: list[Passage]
    records: dict[str, tuple[str, Record]]  # key -> (file, record)
    warnings: list[str]


def _plan(settings: Settings, previous: KnowledgeIndex | None) -> tuple[_Plan, list[IngestError]]:
    ingested = load_knowledge(settings.knowledge_dir)
    failed = {e.file for e in ingested.errors}
    duplicated = {e.key: e.file for e in ingested.errors if e.key}
    records = {f.record.key: (f.path, f.record) for f in ingested.files}
    bundled, why = _bundling(settings, ingested.records)
    passages = {f.record.key: split_passages(f, bundled) for f in ingested.files}
    warnings: list[str] = [why] if why else []
    # Neither copy of a duplicated code is trusted while the last good version is at hand.
    keep = {key for key in duplicated if previous and key in previous.records}
    keep |= {key for key, file in (previous.files if previous else {}).items() if file in failed}
    keep -= {key for key in records if key not in duplicated}  # a file that parsed wins
    for key in sorted(keep):
        assert previous is not None  # keep is empty without one
        old_file = previous.files.get(key, "")
        why = (
            f"{records[key][0]} and {duplicated[key]} both define it"
            if key in duplicated
            else f"{old_file} failed"
        )
        records[key] = (old_file, previous.records[key])
        passages[key] = previous.store.by_codes([key])
        warnings.append(f"{key}: {why}; kept its last good version from the previous build")
    first_wins = sorted(key for key in duplicated if key not in keep and key in records)
    warnings += [f"{key}: no previous build to fall back on; kept {records[key][0]}" for key in first_wins]
    if failed and previous is None:
        warnings.append("no readable previous index: the records of the failed files are left out")
    return _Plan([p for key in sorted(passages) for p in passages[key]], records, warnings), ingested.errors


def _previous(settings: Settings) -> tuple[KnowledgeIndex | None, str]:
    try:
        return open_index(settings), ""
    except IndexBrokenError as exc:
        return None, str(exc)
    except IndexMissingError:
        return None, ""


def build_index(
    settings: Settings, embedder: Embeddings, progress: bool = True, rebuild: bool = False
) -> BuildReport:
    """Ingest knowledge_dir and swap a fresh, verified index in; re-embed only changed passages.

    An index that fails its checks is rebuilt; `rebuild` rebuilds a healthy one too. A second
    writer is refused (locks.LockedError)."""
    with locks.writer_lock(settings.index_dir, what=f"the index at {settings.index_dir}"):
        previous, broken = _previous(settings)
        try:
            return _build_locked(settings, embedder, progress, rebuild, previous, broken)
        finally:
            if previous is not None:
                previous.close()


def _build_locked(
    settings: Settings,
    embedder: Embeddings,
    progress: bool,
    rebuild: bool,
    previous: KnowledgeIndex | None,
    broken: str,
) -> BuildReport:
    start = time.perf_counter()
    plan, errors = _plan(settings, previous)
    if not plan.records:
        raise IndexMissingError(f"no valid knowledge records under {settings.knowledge_dir}")
    passages = plan.passages
    name = embedder_name(embedder)
    content = _content_hash(passages, [r for _, r in plan.records.values()], name)
    report = BuildReport(
        status="unchanged",
        records=len(plan.records),
        passages=len(passages),
        embedded=0,
        reused=len(passages),
        errors=errors,
        path=settings.index_dir,
        warnings=plan.warnings,
        rebuilt_because=broken,
    )
    if previous and not rebuild and previous.manifest.get("content_hash") == content:
        report.seconds = time.perf_counter() - start
        return report

    reusable: dict[str, list[float]] = {}
    if previous and not rebuild and previous.manifest.get("embedder") == name:
        reusable = previous.store.vectors_by_hash()
    hashes = [_passage_hash(p, name) for p in passages]
    # Shortest first: a batch pads to its longest passage, so batches of similar lengths pad least.
    todo = sorted(
        (i for i, h in enumerate(hashes) if h not in reusable), key=lambda i: len(passages[i].search_text)
    )
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
    # Unique even for a rebuild of the same content in the same second (a new http collection too).
    token = f"{content[:10]}-{uuid.uuid4().hex[:6]}"
    build_dir = builds / f"{time.strftime('%Y%m%d-%H%M%S')}-{token}"
    build_dir.mkdir(parents=True, exist_ok=False)
    collection = f"{settings.chroma.collection}-{token}"
    manifest = {
        "chromadb_version": _chromadb_version(),
        "embedder": name,
        "content_hash": content,
        "collection": collection,
        "chroma_mode": settings.chroma.mode,
        "records": len(plan.records),
        "passages": len(passages),
        "embedded": len(todo),
        "reused": len(passages) - len(todo),
        "errors": [str(e) for e in errors],
        "warnings": plan.warnings,
        "code_set_years": sorted({r.code_set_year for _, r in plan.records.values()}),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    try:
        store = _open_store(settings, build_dir, collection, create=True)
        store.add(passages, [vectors[i] for i in range(len(passages))], hashes)
        records = {
            key: {"file": file, **record.model_dump(mode="json")}
            for key, (file, record) in plan.records.items()
        }
        (build_dir / "records.json").write_text(json.dumps(records, indent=1, sort_keys=True))
        lexical.write(passages, content, build_dir / lexical.FILE)
        write_manifest(build_dir, manifest)  # last: a build without one is incomplete
        _load_build(settings, build_dir)  # verified complete before it becomes current
    except BaseException:
        shutil.rmtree(build_dir, ignore_errors=True)  # never leave a half build behind
        raise
    link = settings.index_dir
    if link.exists() and not link.is_symlink():
        raise IndexMissingError(f"{link} exists and is not an index link; move it away and re-run")
    swap_in(link, build_dir)
    prune(builds, build_dir)
    if settings.chroma.mode == "http":  # pruned builds' and killed writers' server collections go too
        keep = named_collections(builds)
        drop_server_collections(settings.chroma.host, settings.chroma.port, settings.chroma.collection, keep)
    report.status, report.embedded, report.reused = "built", len(todo), len(passages) - len(todo)
    report.seconds, report.path = time.perf_counter() - start, build_dir
    return report


def memory_index(settings: Settings, embedder: Embeddings) -> KnowledgeIndex:
    """Index knowledge_dir in memory (unit tests, quick experiments); nothing touches disk."""
    ingested = load_knowledge(settings.knowledge_dir)
    bundled, _ = _bundling(settings, ingested.records)
    passages = [p for f in ingested.files for p in split_passages(f, bundled)]
    store = InMemoryStore()
    name = embedder_name(embedder)
    store.add(
        passages,
        embedder.embed_documents([p.search_text for p in passages]),
        [_passage_hash(p, name) for p in passages],
    )
    records = {f.record.key: f.record for f in ingested.files}
    files = {f.record.key: f.path for f in ingested.files}
    manifest: dict[str, object] = {"embedder": name, "records": len(records), "passages": len(passages)}
    index = KnowledgeIndex(lambda: store, records, manifest, files, _store=store)
    index.lexical = lexical.write(passages, "memory")
    return index
