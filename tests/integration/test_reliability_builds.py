"""Builds across real processes: a running reader survives re-ingests, a second writer is refused,
and a writer killed with SIGKILL mid-write leaves the last good build current and no stale lock.

Real Chroma and real processes; the hashing embedder keeps each build to seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.embed import HashingEmbeddings
from assistant.index import build_index, open_index
from assistant.locks import LockedError
from tests.conftest import ROOT, make_settings

# A writer that stops inside the Chroma write, half the rows in, until told to go on (or killed).
STALLED_WRITER = """
    import sys
    from assistant.config import load_settings
    from assistant.embed import HashingEmbeddings
    from assistant.index import build_index
    from assistant.store import ChromaStore

    real_add = ChromaStore.add
    def stalled_add(self, passages, vectors, hashes):
        half = len(passages) // 2
        real_add(self, passages[:half], vectors[:half], hashes[:half])
        print("writing", flush=True)
        sys.stdin.readline()
        real_add(self, passages[half:], vectors[half:], hashes[half:])
    ChromaStore.add = stalled_add
    print(build_index(load_settings(), HashingEmbeddings(), progress=False).status, flush=True)
"""

# What `codecite serve` does with the index: open it once, answer from it for its lifetime.
READER = """
    import sys
    from assistant.config import load_settings
    from assistant.embed import HashingEmbeddings
    from assistant.index import open_index

    index = open_index(load_settings())
    print("ready", flush=True)
    sys.stdin.readline()
    vector = HashingEmbeddings().embed_query("ureteropyelography 50576")
    hits = index.store.query(vector, 3)
    print("ok" if hits and index.store.by_codes(["50576"]) else "empty", flush=True)
"""


@pytest.fixture
def settings(tmp_path: Path, sample_knowledge: Path) -> Settings:
    return make_settings(tmp_path, sample_knowledge)


def spawn(script: str, settings: Settings) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "CODECITE_KNOWLEDGE_DIR": str(settings.knowledge_dir),
        "CODECITE_DATA_DIR": str(settings.data_dir),
        "CODECITE_RULES_PATH": str(settings.rules_db),
        "CODECITE_EMBEDDER__PROVIDER": "fake",
    }
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for proc in started:  # only the processes this test started
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)


def expect(proc: subprocess.Popen[str], line: str) -> None:
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == line


def go_on(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None
    proc.stdin.write("\n")
    proc.stdin.flush()


def touch_knowledge(settings: Settings, n: int) -> None:
    path = settings.knowledge_dir / "urinary/kidney/50570.md"
    path.write_text(path.read_text() + f"\nAn added paragraph number {n}, long enough to be a passage.\n")


def test_a_running_reader_survives_reingests(
    settings: Settings, processes: list[subprocess.Popen[str]]
) -> None:
    build_index(settings, HashingEmbeddings(), progress=False)
    reader = spawn(READER, settings)
    processes.append(reader)
    expect(reader, "ready")
    served = settings.index_dir.resolve()
    for n in range(3):
        touch_knowledge(settings, n)
        assert build_index(settings, HashingEmbeddings(), progress=False).status == "built"
    assert settings.index_dir.resolve() != served and served.is_dir()
    go_on(reader)
    expect(reader, "ok")


def test_a_second_writer_is_refused_while_the_first_writes(
    settings: Settings, processes: list[subprocess.Popen[str]]
) -> None:
    writer = spawn(STALLED_WRITER, settings)
    processes.append(writer)
    expect(writer, "writing")
    with pytest.raises(LockedError, match=f"pid {writer.pid}"):
        build_index(settings, HashingEmbeddings(), progress=False)
    go_on(writer)
    expect(writer, "built")
    assert open_index(settings).store.count() > 0


def test_a_writer_killed_mid_write_leaves_the_last_good_build(
    settings: Settings, processes: list[subprocess.Popen[str]]
) -> None:
    build_index(settings, HashingEmbeddings(), progress=False)
    good = settings.index_dir.resolve()
    touch_knowledge(settings, 1)
    writer = spawn(STALLED_WRITER, settings)
    processes.append(writer)
    expect(writer, "writing")
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=30)
    assert settings.index_dir.resolve() == good and open_index(settings).store.count() > 0
    half = [d for d in good.parent.iterdir() if d != good]
    assert len(half) == 1 and not (half[0] / "manifest.json").exists()
    report = build_index(settings, HashingEmbeddings(), progress=False)  # the lock died with it
    assert report.status == "built"
    assert set(good.parent.iterdir()) == {settings.index_dir.resolve(), good}
