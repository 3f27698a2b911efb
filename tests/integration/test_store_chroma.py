"""The store contract against real Chroma: embedded (persistent directory) and server (`chroma run`)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.store import ChromaStore
from tests.contract_store import StoreContract


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    exe = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("chroma server did not start within 60 s")
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=20)


class TestChromaPersistent(StoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> ChromaStore:
        return ChromaStore.persistent(tmp_path / "chroma", "contract")


class TestChromaServer(StoreContract):
    @pytest.fixture
    def store(self, chroma_server: int) -> ChromaStore:
        return ChromaStore.http("127.0.0.1", chroma_server, f"contract-{uuid.uuid4().hex[:8]}")
