"""Shared fixtures: a test settings profile, a small knowledge base, and one real index per session.

Unit tests use the fake embedder and LangChain's fake chat model; integration tests use the real
embedder, a real Chroma directory under tmp and the embedded LLM.
"""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import Settings, load_settings
from assistant.embed import HashingEmbeddings, MiniLMEmbeddings
from assistant.index import build_index, memory_index
from assistant.service import Assistant, build_assistant

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
# A slice of the real knowledge base that keeps unit tests fast but realistic.
SAMPLE_FILES = [
    "urinary/kidney/50570.md",
    "urinary/kidney/50574.md",
    "urinary/kidney/50576.md",
    "urinary/kidney/50557.md",
    "urinary/cystoscopy/52000.md",
    "urinary/cystoscopy/52332.md",
    "urinary/cystoscopy/52353.md",
    "urinary/cystoscopy/52356.md",
    "urinary/bladder/51702.md",
]


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Tests are offline: any connection outside loopback fails loudly."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else str(address)
        if isinstance(host, str) and not (host.startswith("127.") or host in ("localhost", "::1", "")):
            raise RuntimeError(f"network access blocked in tests: {host}")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def sample_knowledge(tmp_path: Path) -> Path:
    """A copy of a few real records in a tmp knowledge dir (tests may break files in it)."""
    root = tmp_path / "knowledge"
    for rel in SAMPLE_FILES:
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(KNOWLEDGE / rel, target)
    for policy in sorted((KNOWLEDGE / "policies").glob("*.md")):
        target = root / "policies" / policy.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(policy, target)
    return root


def make_settings(tmp_path: Path, knowledge: Path, **overrides: object) -> Settings:
    """The test profile: fake embedder and model, data under tmp, env ignored where set here."""
    base = {
        "knowledge_dir": str(knowledge),
        "data_dir": str(tmp_path / "data"),
        "embedder": {"provider": "fake"},
        "llm": {"provider": "fake"},
    }
    base.update(overrides)  # type: ignore[arg-type]
    return Settings.model_validate(base)


@pytest.fixture
def unit_settings(tmp_path: Path, sample_knowledge: Path) -> Settings:
    return make_settings(tmp_path, sample_knowledge)


@pytest.fixture
def unit_assistant(unit_settings: Settings) -> Assistant:
    """In-memory index, hashing embedder, fake chat model: fast and deterministic."""
    embedder = HashingEmbeddings()
    index = memory_index(unit_settings, embedder)
    return build_assistant(unit_settings, embedder=embedder, index=index)


@pytest.fixture(scope="session")
def real_embedder() -> MiniLMEmbeddings:
    return MiniLMEmbeddings()


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The whole knowledge base, real embedder, embedded LLM, Chroma under tmp."""
    data = tmp_path_factory.mktemp("real-data")
    return load_settings(knowledge_dir=str(KNOWLEDGE), data_dir=str(data), llm={"provider": "llamacpp"})


@pytest.fixture(scope="session")
def real_index_settings(real_settings: Settings, real_embedder: MiniLMEmbeddings) -> Settings:
    """Builds the real index once per session."""
    build_index(real_settings, real_embedder, progress=False)
    return real_settings


@pytest.fixture(scope="session")
def real_assistant(real_index_settings: Settings, real_embedder: MiniLMEmbeddings) -> Iterator[Assistant]:
    yield build_assistant(real_index_settings, embedder=real_embedder)


@pytest.fixture(scope="session")
def extractive_assistant(real_index_settings: Settings, real_embedder: MiniLMEmbeddings) -> Assistant:
    settings = real_index_settings.model_copy(
        update={"llm": real_index_settings.llm.model_copy(update={"provider": "none"})}
    )
    return build_assistant(settings, embedder=real_embedder)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test by its folder: tests/unit, tests/integration, tests/browser."""
    for item in items:
        for marker in ("unit", "integration", "browser"):
            if f"tests/{marker}/" in str(item.fspath).replace("\\", "/"):
                item.add_marker(getattr(pytest.mark, marker))
