"""The store contract against real Chroma: embedded (persistent directory) and server (`chroma run`)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from assistant.store import ChromaStore
from tests.contract_store import StoreContract


class TestChromaPersistent(StoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> ChromaStore:
        return ChromaStore.persistent(tmp_path / "chroma", "contract")


class TestChromaServer(StoreContract):
    @pytest.fixture
    def store(self, chroma_server: int) -> ChromaStore:
        return ChromaStore.http("127.0.0.1", chroma_server, f"contract-{uuid.uuid4().hex[:8]}")
