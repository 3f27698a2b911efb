"""Index integrity and builds: a damaged index is named and rebuilt, builds swap in only when
verified, one writer at a time, and garbage collection spares what is current or held open.

Real Chroma directories under tmp with the hashing embedder: no model, seconds per build.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from chromadb.api.shared_system_client import SharedSystemClient
from click.testing import CliRunner

from assistant import locks
from assistant.cli import cli
from assistant.config import Settings
from assistant.embed import HashingEmbeddings
from assistant.index import IndexBrokenError, IndexMissingError, build_index, open_index
from assistant.models import Passage
from assistant.store import ChromaStore, Vector
from tests.conftest import make_settings


@pytest.fixture
def settings(tmp_path: Path, sample_knowledge: Path) -> Settings:
    return make_settings(tmp_path, sample_knowledge)


@pytest.fixture
def built(settings: Settings) -> Settings:
    build_index(settings, HashingEmbeddings(), progress=False)
    return settings


def fresh_process() -> None:
    """Forget Chroma's per-path clients, as a new process would: damage is then read from disk."""
    SharedSystemClient.clear_system_cache()


def edit_manifest(settings: Settings, **changes: object) -> None:
    path = settings.index_dir / "manifest.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), **changes}))


def truncate_chroma(settings: Settings) -> None:
    db = settings.index_dir / "chroma" / "chroma.sqlite3"
    db.write_bytes(db.read_bytes()[:4096])


def touch_knowledge(settings: Settings, n: int) -> None:
    """A real content change, so the next ingest writes a new build."""
    path = settings.knowledge_dir / "urinary/kidney/50570.md"
    path.write_text(path.read_text() + f"\nAn added paragraph number {n}, long enough to be a passage.\n")


DAMAGE: dict[str, tuple[Callable[[Settings], None], str]] = {
    "truncated chroma.sqlite3": (truncate_chroma, "missing or unreadable"),
    "corrupt manifest": (lambda s: (s.index_dir / "manifest.json").write_text('{"collec'), "manifest.json"),
    "count mismatch": (lambda s: edit_manifest(s, passages=10**6), "holds"),
    "other chromadb": (lambda s: edit_manifest(s, chromadb_version="0.0.1"), "chromadb 0.0.1"),
    "missing collection": (lambda s: edit_manifest(s, collection="codecite-gone"), "codecite-gone"),
    "missing records.json": (lambda s: (s.index_dir / "records.json").unlink(), "records.json"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_open_names_the_damage_and_the_fix(built: Settings, damage: str) -> None:
    harm, what = DAMAGE[damage]
    harm(built)
    fresh_process()
    with pytest.raises(IndexBrokenError) as caught:
        open_index(built)
    message = str(caught.value)
    assert what in message and "codecite ingest --rebuild" in message
    assert "\n" not in message  # one line


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_ingest_rebuilds_a_damaged_index_instead_of_trusting_the_hash(built: Settings, damage: str) -> None:
    DAMAGE[damage][0](built)
    fresh_process()
    report = build_index(built, HashingEmbeddings(), progress=False)
    assert report.status == "built" and DAMAGE[damage][1] in report.rebuilt_because
    index = open_index(built)
    assert index.store.count() == report.passages and "50576" in index.records


def test_missing_index_says_run_ingest(settings: Settings) -> None:
    with pytest.raises(IndexMissingError, match="run `codecite ingest`") as caught:
        open_index(settings)
    assert not isinstance(caught.value, IndexBrokenError)


def test_rebuild_forces_a_full_build(built: Settings) -> None:
    again = build_index(built, HashingEmbeddings(), progress=False)
    assert again.status == "unchanged"
    forced = build_index(built, HashingEmbeddings(), progress=False, rebuild=True)
    assert forced.status == "built" and forced.embedded == forced.passages > 0


def test_cli_ask_on_a_broken_index_is_one_line_with_the_fix(
    built: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    truncate_chroma(built)
    fresh_process()
    for name, value in (
        ("KNOWLEDGE_DIR", built.knowledge_dir),
        ("DATA_DIR", built.data_dir),
        ("RULES_PATH", built.rules_db),
        ("MODELS_DIR", built.model_cache),
        ("EMBEDDER__PROVIDER", "fake"),
        ("LLM__PROVIDER", "none"),
    ):
        monkeypatch.setenv(f"CODECITE_{name}", str(value))
    result = CliRunner().invoke(cli, ["ask", "what is 50570?"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "codecite ingest --rebuild" in result.output
    assert "what is 50570" not in result.output  # the question never goes into an error


def test_a_second_writer_is_refused_with_a_clear_message(settings: Settings) -> None:
    with locks.writer_lock(settings.index_dir), pytest.raises(locks.LockedError) as caught:
        build_index(settings, HashingEmbeddings(), progress=False)
    assert f"(pid {os.getpid()})" in str(caught.value) and "try again" in str(caught.value)
    assert not settings.index_dir.exists()


def test_a_lock_file_left_by_a_dead_writer_does_not_block(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True)
    locks.lock_path(settings.index_dir).write_text("999999")  # kill -9 leaves the file, not the lock
    assert build_index(settings, HashingEmbeddings(), progress=False).status == "built"


def test_a_build_that_fails_verification_never_becomes_current(
    built: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    current = built.index_dir.resolve()
    real_add = ChromaStore.add

    def half_add(
        self: ChromaStore, passages: Sequence[Passage], vectors: Sequence[Vector], hashes: Sequence[str]
    ) -> None:
        real_add(self, passages[:-1], vectors[:-1], hashes[:-1])  # a write that lost a row

    monkeypatch.setattr(ChromaStore, "add", half_add)
    touch_knowledge(built, 1)
    with pytest.raises(IndexBrokenError, match="passages"):
        build_index(built, HashingEmbeddings(), progress=False)
    assert built.index_dir.resolve() == current
    assert [d for d in current.parent.iterdir()] == [current]  # the half build was removed
    assert open_index(built).store.count() > 0


def test_a_half_written_build_is_dropped_and_the_last_good_one_kept(built: Settings) -> None:
    good = built.index_dir.resolve()
    half = good.parent / "99999999-999999-deadbeef00-1"  # newest by name, as a killed build is
    (half / "chroma").mkdir(parents=True)
    (half / "records.json").write_text("{}")
    touch_knowledge(built, 1)
    build_index(built, HashingEmbeddings(), progress=False)
    builds = set(good.parent.iterdir())
    assert builds == {built.index_dir.resolve(), good}


def test_garbage_collection_spares_a_build_a_running_process_holds(built: Settings) -> None:
    served = open_index(built)  # what `codecite serve` holds for its lifetime
    served_dir = built.index_dir.resolve()
    for n in range(3):  # three re-ingests: the old rule (keep one old build) deleted it at the second
        touch_knowledge(built, n)
        assert build_index(built, HashingEmbeddings(), progress=False).status == "built"
    assert served_dir.is_dir() and built.index_dir.resolve() != served_dir
    vector = HashingEmbeddings().embed_query("ureteropyelography 50576")
    assert served.store.query(vector, 3) and served.store.by_codes(["50576"])
    builds = len(list(served_dir.parent.iterdir()))
    assert builds == 3  # current, one old build, the held one
    served.close()
    touch_knowledge(built, 9)
    build_index(built, HashingEmbeddings(), progress=False)
    assert not served_dir.exists()  # released, it is collected like any other old build
