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
from assistant.intent import IntentModel, load_model
from assistant.rules_io import build, ensure_rules
from assistant.rules_parse import TableFile
from assistant.rulesdb import RulesDB
from assistant.service import Assistant, build_assistant
from tests.policy_items import PolicyQuestion, load_policy_questions

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


# The whole-section rules database, built from the shipped tables once (setup builds the same
# file; it is rebuilt only when the shipped tables change).
SHIPPED_RULES = ROOT / "data" / "rules" / "rules.sqlite"

# A tiny rules database in the shipped layout, for tests that need rows they control.
TINY_TABLES = {
    "ptp.tsv": "col1\tcol2\tdeleted\tmodifier\trationale\n"
    "52356\t52000\t9999-12-31\t0\tCPT Manual or CMS manual coding instruction\n"
    "52356\t52332\t9999-12-31\t1\tCPT Manual or CMS manual coding instruction\n"
    "50590\t52005\t9999-12-31\t1\tStandards of medical/surgical practice\n"
    "52353\t52310\t2024-03-31\t1\tStandards of medical/surgical practice\n"
    "50576\t50570\t9999-12-31\t9\tHCPCS/CPT procedure code definition\n",
    "mue.tsv": "hcpcs\tservice\tmue_units\tmai\trationale\n"
    "52000\tPractitioner\t1\t3\tNature of Service/Procedure\n"
    "52332\tPractitioner\t1\t2\tAnatomic Consideration\n"
    "52442\tPractitioner\t6\t3\tClinical: Data\n"
    "52310\tPractitioner\t2\t1\tClinical: Data\n",
    "aoc.tsv": "addon\tprimary\taoc_type\n52442\t52441\t1\n0054T\tCCCCC\t2\n64480\t64479\t3\n",
    "rvu.csv": "HCPCS,MOD,STATUS CODE,GLOB DAYS,MULT PROC,BILAT SURG,ASST SURG,CO- SURG,TEAM SURG,ENDO BASE\n"
    "52000,,A,000,2,1,1,0,0,\n52005,,A,000,3,1,1,0,0,52000\n52332,,A,000,3,1,1,0,0,52000\n"
    "52356,,A,000,3,0,1,0,0,52351\n52351,,A,000,2,0,1,0,0,\n50590,,A,090,2,1,1,0,0,\n"
    "52441,,A,000,2,0,1,0,0,\n52442,,A,ZZZ,0,0,1,0,0,\n52310,,A,000,3,0,1,0,0,52000\n"
    "52353,,A,000,3,1,1,0,0,52351\n50570,,A,000,2,1,1,0,0,\n50576,,A,000,3,1,1,0,0,50570\n"
    "0054T,,C,ZZZ,0,0,0,0,0,\n64479,,A,000,2,0,1,0,0,\n64480,,A,ZZZ,0,0,1,0,0,\n"
    "50200,,A,000,2,2,1,0,0,\n51798,,B,XXX,0,0,0,0,0,\n50010,,A,090,2,1,1,0,0,\n",
}


def build_tiny_rules(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in TINY_TABLES.items():
        (directory / name).write_text(text)
    kinds = {
        "ptp.tsv": ("ptp", "practitioner"),
        "mue.tsv": ("mue", ""),
        "aoc.tsv": ("aoc", ""),
        "rvu.csv": ("rvu", ""),
    }
    tables = [TableFile(directory / n, k, s, "2024-07-01") for n, (k, s) in kinds.items()]
    target = directory / "rules.sqlite"
    build(target, tables, {"origin": "test"})
    return target


@pytest.fixture(scope="session")
def shipped_rules() -> RulesDB:
    return RulesDB(ensure_rules(SHIPPED_RULES))


@pytest.fixture
def tiny_rules_path(tmp_path: Path) -> Path:
    return build_tiny_rules(tmp_path / "tiny-rules")


@pytest.fixture
def tiny_rules(tiny_rules_path: Path) -> Iterator[RulesDB]:
    db = RulesDB(tiny_rules_path)
    yield db
    db.close()


@pytest.fixture(scope="session")
def intent_model() -> IntentModel:
    """The shipped question classifier (trained once into data/models, then cached)."""
    return load_model(ROOT / "data" / "models")


def make_settings(tmp_path: Path, knowledge: Path, **overrides: object) -> Settings:
    """The test profile: fake embedder and model, data under tmp, env ignored where set here."""
    base = {
        "knowledge_dir": str(knowledge),
        "data_dir": str(tmp_path / "data"),
        "rules_path": str(SHIPPED_RULES),
        "models_dir": str(ROOT / "data" / "models"),  # the classifier is trained once, not per test
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
    return load_settings(
        knowledge_dir=str(KNOWLEDGE),
        data_dir=str(data),
        rules_path=str(SHIPPED_RULES),
        llm={"provider": "llamacpp"},
    )


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


POLICY_QUESTIONS = load_policy_questions()


@pytest.fixture(params=POLICY_QUESTIONS, ids=[q.id for q in POLICY_QUESTIONS])
def policy_question(request: pytest.FixtureRequest) -> PolicyQuestion:
    """One coder question per NCCI urinary policy item (tests/data/policy_questions.yaml)."""
    question: PolicyQuestion = request.param
    return question


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test by its folder: tests/unit, tests/integration, tests/browser."""
    for item in items:
        for marker in ("unit", "integration", "browser"):
            if f"tests/{marker}/" in str(item.fspath).replace("\\", "/"):
                item.add_marker(getattr(pytest.mark, marker))
