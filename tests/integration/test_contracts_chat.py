"""LangChain's standard chat-model integration suite against the embedded SmolLM2-135M (llama.cpp,
in-process). The capabilities it does not claim are switched off in `tests/contract_chat.py`."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage
from langchain_tests.integration_tests import ChatModelIntegrationTests

from assistant.llm import packaged_gguf
from assistant.llm_models import LlamaCppChat
from tests.contract_chat import LocalChatCapabilities

# Short replies keep the suite quick on CPU; every test only needs some text back.
PARAMS: dict[str, Any] = {"model_path": packaged_gguf(), "max_tokens": 16, "n_threads": 2}


class TestLlamaCppChatIntegration(LocalChatCapabilities, ChatModelIntegrationTests):
    @property
    def chat_model_class(self) -> type[LlamaCppChat]:
        return LlamaCppChat

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return PARAMS


def test_invoke_reports_usage_and_model() -> None:
    """`invoke` carries llama.cpp's token counts (the suite's usage tests also need streaming)."""
    result = LlamaCppChat(**PARAMS).invoke("Hello")
    assert isinstance(result, AIMessage)
    usage = result.usage_metadata
    assert usage is not None
    assert usage["input_tokens"] > 0
    assert 0 < usage["output_tokens"] <= PARAMS["max_tokens"]
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
    assert result.response_metadata["model_name"] == packaged_gguf().name


def test_stream_names_the_model_once() -> None:
    chunks = list(LlamaCppChat(**PARAMS).stream("Hello"))
    named = [c for c in chunks if c.response_metadata.get("model_name")]
    assert len(named) == 1
    assert named[0] is chunks[-1]
    assert chunks[-1].chunk_position == "last"
    assert "".join(str(c.content) for c in chunks)
