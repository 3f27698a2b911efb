"""The store contract against real Chroma: embedded (persistent directory) and server (`chroma run`)."""

from __future__ import annotations

import shutil
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.store import ChromaStore
from tests.contract_store import StoreContract
from tests.servers import free_port, port_open, running


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    exe = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    cmd = [exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)]
    with running(cmd, port_open(port), path / "server.log", timeout_s=60):
        yield port


class TestChromaPersistent(StoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> ChromaStore:
        return ChromaStore.persistent(tmp_path / "chroma", "contract")


class TestChromaServer(StoreContract):
    @pytest.fixture
    def store(self, chroma_server: int) -> ChromaStore:
        return ChromaStore.http("127.0.0.1", chroma_server, f"contract-{uuid.uuid4().hex[:8]}")
