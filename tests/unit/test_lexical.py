"""The persisted lexical index: BM25 rankings as rank_bm25 scored them, read per term, reused
across process starts and rebuilt aside when stale."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from rank_bm25 import BM25Okapi

from assistant import lexical
from assistant.config import Settings
from assistant.embed import HashingEmbeddings
from assistant.index import build_index, open_index
from assistant.ingest import load_knowledge, split_passages
from assistant.models import Passage
from assistant.text import tokenize
from tests.conftest import make_settings

pytestmark = pytest.mark.unit

QUERIES = [
    "fulguration of a renal lesion",
    "ureteroscopy with laser lithotripsy and a stent",
    "cystourethroscopy cystourethroscopy biopsy",  # a repeated word counts twice
    "s&i w/ fluoroscopy",
    "nothing matches zzqx",
    "",
]


@pytest.fixture
def passages(sample_knowledge: Path) -> list[Passage]:
    return [p for f in load_knowledge(sample_knowledge).files for p in split_passages(f)]


def rank_bm25_ranking(passages: list[Passage], query: str, depth: int) -> list[str]:
    """What retrieval did before: rank_bm25 over every passage, sorted by score, ties in id order."""
    ordered = sorted(passages, key=lambda p: p.id)
    scores = BM25Okapi([tokenize(p.search_text) for p in ordered]).get_scores(tokenize(query))
    order = sorted(range(len(ordered)), key=lambda i: -scores[i])
    return [ordered[i].id for i in order[:depth] if scores[i] > 0]


@pytest.mark.parametrize("query", QUERIES)
def test_rankings_match_rank_bm25(passages: list[Passage], query: str) -> None:
    index = lexical.write(passages, "b1")
    for depth in (1, 5, 30, 1000):
        assert index.ranking(query, depth) == rank_bm25_ranking(passages, query, depth)


def test_passages_by_id_and_code(passages: list[Passage]) -> None:
    index = lexical.write(passages, "b1")
    first = sorted(passages, key=lambda p: p.id)[0]
    assert index.passages[first.id] == first and first.id in index.passages
    assert "nope#x-1" not in index.passages and index.passages.get("nope#x-1") is None
    assert [p.id for p in index.passages.by_codes(["50576"])] == sorted(
        p.id for p in passages if p.code == "50576"
    )
    assert list(index.passages) == sorted(p.id for p in passages) == [p.id for p in index.passages.values()]


@pytest.fixture
def built(tmp_path: Path, sample_knowledge: Path) -> Settings:
    settings = make_settings(tmp_path, sample_knowledge)
    build_index(settings, HashingEmbeddings(), progress=False)
    return settings


def test_a_build_carries_its_lexical_index(built: Settings) -> None:
    path = built.index_dir / lexical.FILE
    assert path.is_file()
    index = open_index(built)
    assert index.lexical is not None and index.lexical.fresh_for(
        str(index.manifest["content_hash"]), index.count()
    )
    assert index.count() == int(str(index.manifest["passages"]))


def test_a_stale_lexical_index_is_rebuilt_aside(built: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    path = built.index_dir.resolve() / lexical.FILE
    monkeypatch.setattr(lexical, "tokenizer_key", lambda: "changed")
    index = open_index(built)
    assert index.lexical is not None and index.lexical.meta["tokenizer"] == "changed"
    with sqlite3.connect(path) as db:
        assert dict(db.execute("SELECT key, value FROM meta"))["tokenizer"] == "changed"
    assert not list(path.parent.glob(f".{lexical.FILE}.*.tmp"))


def test_an_unreadable_lexical_index_is_rebuilt(built: Settings) -> None:
    path = built.index_dir.resolve() / lexical.FILE
    path.write_bytes(b"not a database")
    index = open_index(built)
    assert index.lexical is not None and index.lexical.ranking("fulguration", 3)


def test_the_words_table_is_the_speller_vocabulary_of_the_passages(passages: list[Passage]) -> None:
    """The speller reads its vocabulary from this table instead of decoding every passage."""
    from assistant.text import vocabulary

    index = lexical.write(passages, "build-x")
    assert index.words() == vocabulary([p.search_text for p in passages])
