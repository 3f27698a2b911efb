"""A slow, silent or busy model costs bounded seconds, never the answer (issue 15)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from langchain_openai import ChatOpenAI

from assistant.config import Settings
from assistant.embed import HashingEmbeddings
from assistant.index import KnowledgeIndex, memory_index
from assistant.llm import ModelBusyError, make_chat_model
from assistant.llm_models import LlamaCppChat
from assistant.service import Assistant, build_assistant

Q = "Is ureteropyelography included in 50576?"


@pytest.fixture
def sample_index(unit_settings: Settings) -> KnowledgeIndex:
    return memory_index(unit_settings, HashingEmbeddings())


@pytest.fixture
def silent_server() -> Iterator[tuple[int, list[socket.socket]]]:
    """A loopback server that accepts connections and never sends a byte; (port, accepted)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    accepted: list[socket.socket] = []
    done = threading.Event()

    def serve() -> None:
        while not done.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield int(listener.getsockname()[1]), accepted
    done.set()
    thread.join(timeout=2)
    for conn in accepted:
        conn.close()
    listener.close()


def test_a_server_that_never_answers_costs_its_timeouts_then_the_extractive_answer_goes_out(
    unit_settings: Settings, sample_index: KnowledgeIndex, silent_server: tuple[int, list[socket.socket]]
) -> None:
    port, accepted = silent_server
    llm = unit_settings.llm.model_copy(
        update={
            "provider": "openai",
            "base_url": f"http://127.0.0.1:{port}/v1",
            "connect_timeout_s": 0.5,
            "read_timeout_s": 0.5,
            "max_retries": 1,
        }
    )
    model = make_chat_model(llm)
    # The configured timeouts reach the client, not its 60 s default.
    assert isinstance(model, ChatOpenAI)
    assert model.request_timeout == httpx.Timeout(0.5, connect=0.5) and model.max_retries == 1
    settings = unit_settings.model_copy(update={"llm": llm})
    assistant = build_assistant(settings, embedder=HashingEmbeddings(), chat_model=model, index=sample_index)
    started = time.monotonic()
    answer = assistant.ask(Q)
    elapsed = time.monotonic() - started
    assert "llm_failed:OpenAITimeoutError" in answer.flags and not answer.llm_used
    assert answer.verdict == "separate" and answer.citations  # the extractive answer, cited
    assert len(accepted) == 2  # the request and one retry, no more
    assert elapsed < 30, elapsed  # generous: two 0.5 s reads and a short back-off


class _BlockingLlama:
    """Stands in for llama_cpp.Llama: each call waits until released."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()

    def create_chat_completion(self, **kwargs: Any) -> Any:
        self.entered.set()
        self.release.wait(10)
        reply = {"choices": [{"message": {"content": "It is in the record [1]."}, "finish_reason": "stop"}]}
        if kwargs.get("stream"):
            return iter([{"choices": [{"delta": {"content": "It is in the record [1]."}}]}])
        return reply


def test_a_busy_embedded_model_does_not_hold_up_other_answers(
    unit_settings: Settings, sample_index: KnowledgeIndex, tmp_path: Path
) -> None:
    model = LlamaCppChat(model_path=tmp_path / "none.gguf", lane_wait_s=0.05)
    fake = _BlockingLlama()
    model._llama = fake
    holder = threading.Thread(target=lambda: model.invoke("explain"), daemon=True)
    holder.start()
    assert fake.entered.wait(5)  # another answer is using the model
    with pytest.raises(ModelBusyError):
        model.invoke("a second call")
    assistant = build_assistant(
        unit_settings, embedder=HashingEmbeddings(), chat_model=model, index=sample_index
    )
    answer = assistant.ask(Q)
    assert "llm_failed:ModelBusyError" in answer.flags and answer.verdict == "separate"
    fake.release.set()
    holder.join(timeout=5)
    assert model.invoke("now free").content  # the lane is released after the first call


@pytest.mark.unit
def test_a_vector_store_that_is_down_costs_the_dense_ranking_not_the_answer(
    unit_assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Chroma server that is down (http mode): the lexical index and passages are local, so the
    answer and its sources still go out, flagged."""

    def down(*args: object, **kwargs: object) -> None:
        raise ConnectionError("chroma server down")

    monkeypatch.setattr(unit_assistant.index.store, "query", down)
    answer = unit_assistant.ask("Is ureteropyelography included in 50576?")
    assert answer.verdict == "separate" and answer.citations
    assert "vector_store_unavailable" in answer.flags
    lookup = unit_assistant.ask("which code for ureteroscopy with laser lithotripsy and a stent?")
    assert lookup.citations and "vector_store_unavailable" in lookup.flags
