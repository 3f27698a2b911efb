"""The OpenAI-compatible provider end to end, against a local llama.cpp server with the packaged model."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from assistant.config import Settings
from assistant.embed import MiniLMEmbeddings
from assistant.llm import packaged_gguf
from assistant.service import build_assistant
from benchmarks.processes import free_port, http_ok, running


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    pytest.importorskip("llama_cpp.server", reason="install the [server] extra")
    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(packaged_gguf()), "--host", "127.0.0.1",
           "--port", str(port), "--n_ctx", "2048", "--model_alias", "smollm2"]  # fmt: skip
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    with running(cmd, http_ok(f"{url}/models"), log, timeout_s=90):
        yield url


@pytest.mark.parametrize("role", ["explain", "write"])
def test_openai_compatible_server_answers_and_is_checked(
    llama_server: str, role: str, real_index_settings: Settings, real_embedder: MiniLMEmbeddings
) -> None:
    llm = real_index_settings.llm.model_copy(
        update={"provider": "openai", "base_url": llama_server, "model": "smollm2", "role": role}
    )
    assistant = build_assistant(real_index_settings.model_copy(update={"llm": llm}), embedder=real_embedder)
    answer = assistant.ask("is ureteropyelography included in 50576?")
    # Whatever the small model writes, the checker keeps the verdict and the citations honest.
    assert answer.verdict == "separate"
    assert answer.citations and answer.citations[0].code == "50576"
    assert all(c in assistant.index.records or c in {"74425"} for c in answer.codes)
