"""LangChain's standard chat-model unit suite for the llama.cpp chat model (constructed only: the
GGUF loads on first use, which the integration suite covers) and the fake the unit tests use."""

from __future__ import annotations

from typing import Any

from langchain_tests.unit_tests import ChatModelUnitTests

from assistant.config import LLMSettings
from assistant.llm import make_chat_model, packaged_gguf
from assistant.llm_models import CannedChat, LlamaCppChat
from tests.contract_chat import LocalChatCapabilities


class TestLlamaCppChatUnit(LocalChatCapabilities, ChatModelUnitTests):
    @property
    def chat_model_class(self) -> type[LlamaCppChat]:
        return LlamaCppChat

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {"model_path": packaged_gguf()}


class TestCannedChatUnit(LocalChatCapabilities, ChatModelUnitTests):
    @property
    def chat_model_class(self) -> type[CannedChat]:
        return CannedChat

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {"responses": ["The cited passage states this directly."]}


def test_llamacpp_traces_name_the_gguf_and_default_stop() -> None:
    model = LlamaCppChat(model_path=packaged_gguf(), stop=["\n"], max_tokens=12)
    params = model._get_ls_params()
    assert params["ls_provider"] == "llamacpp"
    assert params["ls_model_name"] == packaged_gguf().name
    assert params["ls_stop"] == ["\n"]
    assert params["ls_max_tokens"] == 12
    assert model._get_ls_params(stop=["."])["ls_stop"] == ["."]


def test_llamacpp_call_stop_replaces_default_stop() -> None:
    model = LlamaCppChat(model_path=packaged_gguf(), stop=["\n"])
    assert model._payload([], None)["stop"] == ["\n"]
    assert model._payload([], ["you"])["stop"] == ["you"]
    assert LlamaCppChat(model_path=packaged_gguf())._payload([], None)["stop"] == []


def test_fake_provider_is_the_canned_chat() -> None:
    model = make_chat_model(LLMSettings(provider="fake"))
    assert isinstance(model, CannedChat)
    assert model._get_ls_params()["ls_model_name"] == "canned"
