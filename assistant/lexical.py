"""The lexical side of retrieval: BM25 over posting lists, and the passages by id and by code.

One SQLite file per index build (`lexical.sqlite`, written beside the Chroma directory before the
build is swapped in), so a process start opens it instead of re-tokenising every passage, and a
query reads only the posting lists of its own terms instead of scoring every passage. Unit tests
and `memory_index` use the same code over an in-memory database.

Scores are rank_bm25's BM25Okapi (k1 1.5, b 0.75, idf floor 0.25 x mean idf) computed the same
way term by term, so rankings are what they were when rank_bm25 scanned the whole corpus.
"""

from __future__ import annotations

import hashlib
import math
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, ValuesView
from pathlib import Path
from typing import Any

import numpy as np

from assistant import text
from assistant.bundling import FIELDS as GENERATED
from assistant.models import Passage
from assistant.text import tokenize

K1, B, EPSILON = 1.5, 0.75, 0.25
FILE = "lexical.sqlite"
SCHEMA = "4"  # bump when the file's layout or the scoring changes


def tokenizer_key() -> str:
    """Changes whenever tokenisation may: the tokenizer's module source (stems, shorthand, stopwords)."""
    source = Path(text.__file__).read_bytes()
    return hashlib.sha256(SCHEMA.encode() + source).hexdigest()[:16]


def _weights(
    postings: dict[str, tuple[list[int], list[int]]], doc_len: np.ndarray, avgdl: float, n: int
) -> Iterator[tuple[str, bytes, bytes]]:
    """(term, doc positions, BM25 weights) per term, in first-seen order (rank_bm25's idf order)."""
    idf: dict[str, float] = {}
    idf_sum = 0.0
    negative: list[str] = []
    for term, (docs, _) in postings.items():
        value = math.log(n - len(docs) + 0.5) - math.log(len(docs) + 0.5)
        idf[term] = value
        idf_sum += value
        if value < 0:
            negative.append(term)
    eps = EPSILON * (idf_sum / len(idf)) if idf else 0.0
    for term in negative:
        idf[term] = eps
    for term, (docs, tfs) in postings.items():
        positions = np.asarray(docs, dtype=np.int32)
        tf = np.asarray(tfs, dtype=np.float64)
        weight = idf[term] * (tf * (K1 + 1) / (tf + K1 * (1 - B + B * doc_len[positions] / avgdl)))
        yield term, positions.tobytes(), weight.tobytes()


def write(passages: Sequence[Passage], build: str, path: Path | None = None) -> LexicalIndex:
    """Tokenise and index `passages` (in id order) into `path`, or into memory when None.

    A file is written aside and renamed into place, so a reader never opens half of one."""
    ordered = sorted(passages, key=lambda p: p.id)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp") if path else None
    if tmp is not None and tmp.exists():
        tmp.unlink()
    db = sqlite3.connect(str(tmp) if tmp else ":memory:", check_same_thread=False)
    db.executescript(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE TABLE terms (term TEXT PRIMARY KEY, docs BLOB NOT NULL, weights BLOB NOT NULL) WITHOUT ROWID;"
        "CREATE TABLE passages (pos INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, code TEXT NOT NULL,"
        " data TEXT NOT NULL);"
        "CREATE INDEX passages_code ON passages (code);"
        # The passages' words as written, counted: the speller's vocabulary, read at start instead
        # of decoding every passage (`words`).
        "CREATE TABLE words (word TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;"
    )
    postings: dict[str, tuple[list[int], list[int]]] = {}
    lengths: list[int] = []
    for pos, passage in enumerate(ordered):
        # The generated PTP section is stored (pair answers cite it) but never ranked.
        tokens = [] if passage.field in GENERATED else tokenize(passage.search_text)
        lengths.append(len(tokens))
        counts: dict[str, int] = {}
        for token in tokens:
            counts[token] = counts.get(token, 0) + 1
        for token, tf in counts.items():
            docs, tfs = postings.setdefault(token, ([], []))
            docs.append(pos)
            tfs.append(tf)
    n = sum(1 for p in ordered if p.field not in GENERATED)  # the ranked corpus, for BM25's statistics
    doc_len = np.asarray(lengths, dtype=np.float64)
    avgdl = float(sum(lengths) / n) if n else 1.0
    with db:
        db.executemany(
            "INSERT INTO passages VALUES (?, ?, ?, ?)",
            ((pos, p.id, p.code, p.model_dump_json()) for pos, p in enumerate(ordered)),
        )
        if n:
            db.executemany("INSERT INTO terms VALUES (?, ?, ?)", _weights(postings, doc_len, avgdl, n))
        words = text.vocabulary([p.search_text for p in ordered])
        db.executemany("INSERT INTO words VALUES (?, ?)", words.items())
        meta = {"build": build, "tokenizer": tokenizer_key(), "passages": str(len(ordered))}
        db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    if tmp is None or path is None:
        return LexicalIndex(db)
    db.close()
    os.replace(tmp, path)
    return LexicalIndex.open(path)


def for_build(path: Path, build: str, passages: int, rows: Callable[[], Sequence[Passage]]) -> LexicalIndex:
    """The build's lexical index at `path`. One missing or stale (a build from before it existed,
    a changed tokenizer) is rebuilt once from `rows()`, written aside and renamed in; kept in
    memory when the build directory is read-only."""
    if path.is_file():
        try:
            opened = LexicalIndex.open(path)
            if opened.fresh_for(build, passages):
                return opened
        except sqlite3.Error:
            pass  # unreadable: rebuilt below
    found = rows()
    try:
        return write(found, build, path)
    except (OSError, sqlite3.Error):
        return write(found, build)


class LexicalIndex:
    """BM25 ranking and passage lookups over one lexical database (thread-safe, read-only use)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._lock = threading.Lock()
        self.meta = dict(self._rows("SELECT key, value FROM meta"))
        self.size = int(self.meta.get("passages", 0))
        self.passages = PassageTable(self)

    @classmethod
    def open(cls, path: Path) -> LexicalIndex:
        return cls(sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False))

    def fresh_for(self, build: str, passages: int) -> bool:
        """True when this file was written for `build`, by today's tokenizer, with every passage."""
        meta = self.meta
        return (
            meta.get("build") == build
            and meta.get("tokenizer") == tokenizer_key()
            and meta.get("passages") == str(passages)
        )

    def words(self) -> dict[str, int]:
        """`text.vocabulary` of every passage's search text, as counted when the file was written."""
        return {str(word): int(n) for word, n in self._rows("SELECT word, n FROM words")}

    def _rows(self, sql: str, args: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, tuple(args)).fetchall()

    def ranking(self, query: str, depth: int) -> list[str]:
        """Passage ids by BM25 score for `query`, best first, ties in id order; score > 0 only."""
        tokens = tokenize(query)
        if not tokens or depth <= 0:
            return []
        unique = sorted(set(tokens))
        found = {
            str(term): (bytes(docs), bytes(weights))
            for term, docs, weights in self._rows(
                f"SELECT term, docs, weights FROM terms WHERE term IN ({','.join('?' * len(unique))})", unique
            )
        }
        # Repeated query words count again, in query order, as rank_bm25 adds them.
        parts = [found[t] for t in tokens if t in found]
        if not parts:
            return []
        docs = np.concatenate([np.frombuffer(d, dtype=np.int32) for d, _ in parts])
        weights = np.concatenate([np.frombuffer(w, dtype=np.float64) for _, w in parts])
        # Summed per passage in query-term order (as rank_bm25 adds); a dense accumulator is one
        # vectorised pass, cheaper at 100k passages than sorting the postings to group them.
        total = np.bincount(docs, weights=weights, minlength=self.size)
        positions = np.flatnonzero(total > 0)
        scores = total[positions]
        if len(positions) > depth:  # only the best `depth` (and any tied with the last) are sorted
            cut = np.partition(scores, len(scores) - depth)[len(scores) - depth]
            keep = scores >= cut
            positions, scores = positions[keep], scores[keep]
        order = np.lexsort((positions, -scores))[:depth]
        return self.passages.ids_at([int(p) for p in positions[order]])


class PassageTable(Mapping[str, Passage]):
    """Every passage of the build by id, read from the lexical database on demand and cached."""

    def __init__(self, index: LexicalIndex) -> None:
        self._index = index
        self._cache: dict[str, Passage] = {}
        self._complete = False
        self._ids: list[str] | None = None

    def _decode(self, rows: Iterable[tuple[Any, ...]]) -> list[Passage]:
        passages = [Passage.model_validate_json(str(data)) for (data,) in rows]
        for p in passages:
            self._cache[p.id] = p
        return passages

    def __getitem__(self, pid: str) -> Passage:
        if pid in self._cache:
            return self._cache[pid]
        rows = [] if self._complete else self._index._rows("SELECT data FROM passages WHERE id = ?", [pid])
        if not self._decode(rows):
            raise KeyError(pid)
        return self._cache[pid]

    def _all_ids(self) -> list[str]:
        if self._ids is None:
            self._ids = [str(i) for (i,) in self._index._rows("SELECT id FROM passages ORDER BY pos")]
        return self._ids

    def __iter__(self) -> Iterator[str]:
        return iter(self._all_ids())

    def __len__(self) -> int:
        return len(self._all_ids())

    def __contains__(self, pid: object) -> bool:
        if not isinstance(pid, str):
            return False
        return pid in self._cache or bool(self._index._rows("SELECT 1 FROM passages WHERE id = ?", [pid]))

    def values(self) -> ValuesView[Passage]:
        """All passages, read in one query (the speller and the evaluation read them all)."""
        if not self._complete:
            self._decode(self._index._rows("SELECT data FROM passages ORDER BY pos"))
            self._complete = True
            self._cache = {pid: self._cache[pid] for pid in self._all_ids()}  # id order
        return self._cache.values()

    def ids_at(self, positions: Sequence[int]) -> list[str]:
        """The ids at these positions (id order), by primary key: no full read of the ids."""
        if self._ids is not None:
            return [self._ids[p] for p in positions]
        marks = ",".join("?" * len(positions))
        found = dict(self._index._rows(f"SELECT pos, id FROM passages WHERE pos IN ({marks})", positions))
        return [str(found[p]) for p in positions]

    def by_codes(self, codes: Sequence[str]) -> list[Passage]:
        """Every passage whose record key is one of `codes`, in id order (an indexed lookup)."""
        wanted = sorted(set(codes))
        if not wanted:
            return []
        rows = self._index._rows(
            f"SELECT data FROM passages WHERE code IN ({','.join('?' * len(wanted))}) ORDER BY pos", wanted
        )
        return self._decode(rows)
