"""The chat models CodeCite runs itself, as LangChain chat models: SmolLM2 in-process through
llama-cpp-python, and a canned fake for tests. Chosen by `assistant.llm.make_chat_model`."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, FakeListChatModel, LangSmithParams
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages.ai import UsageMetadata
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, PrivateAttr

from assistant.llm import ModelBusyError

_ROLES = {"human": "user", "ai": "assistant", "system": "system"}


class LlamaCppChat(BaseChatModel):
    """A GGUF model run in-process by llama-cpp-python; the model loads on first use."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    model_path: Path
    max_tokens: int = 80
    temperature: float = 0.0
    n_threads: int = 2
    n_ctx: int = 2048
    stop: list[str] | None = None  # default stop sequences; a call's own `stop` replaces them
    lane_wait_s: float = 1.0  # how long a call waits for the model while another call uses it
    _llama: Any = PrivateAttr(default=None)
    # One llama.cpp context is not safe to share between threads: calls take turns, and a call
    # that cannot get its turn in time raises instead of queueing every answer behind the model.
    _lane: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llamacpp-local"

    @property
    def model_name(self) -> str:
        """The GGUF file name: what traces and `response_metadata` name as the model."""
        return self.model_path.name

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> LangSmithParams:
        params = super()._get_ls_params(stop=stop or self.stop, **kwargs)
        params["ls_provider"] = "llamacpp"
        return params

    @contextlib.contextmanager
    def _turn(self) -> Iterator[None]:
        if not self._lane.acquire(timeout=self.lane_wait_s):
            raise ModelBusyError(f"the embedded model stayed busy for {self.lane_wait_s:g} s")
        try:
            yield
        finally:
            self._lane.release()

    def _model(self) -> Any:
        if self._llama is None:
            from llama_cpp import Llama

            self._llama = Llama(
                model_path=str(self.model_path), n_ctx=self.n_ctx, n_threads=self.n_threads, verbose=False
            )
        return self._llama

    def _payload(self, messages: list[BaseMessage], stop: list[str] | None) -> dict[str, Any]:
        return {
            "messages": [{"role": _ROLES.get(m.type, "user"), "content": str(m.content)} for m in messages],
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            "stop": stop or self.stop or [],
        }

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        with self._turn():
            out = self._model().create_chat_completion(**self._payload(messages, stop))
        choice = out["choices"][0]
        usage = out.get("usage") or {}
        message = AIMessage(
            content=choice["message"]["content"] or "",
            response_metadata={"model_name": self.model_name, "finish_reason": choice.get("finish_reason")},
            usage_metadata=UsageMetadata(
                input_tokens=usage.get("prompt_tokens", 0),
                output_tokens=usage.get("completion_tokens", 0),
                total_tokens=usage.get("total_tokens", 0),
            )
            if usage
            else None,
        )
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        finish_reason = None
        with self._turn():  # released when the stream ends or its consumer closes it
            for part in self._model().create_chat_completion(**self._payload(messages, stop), stream=True):
                choice = part["choices"][0]
                finish_reason = choice.get("finish_reason") or finish_reason
                piece = choice["delta"].get("content") or ""
                if piece:
                    chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
                    if run_manager:
                        run_manager.on_llm_new_token(piece, chunk=chunk)
                    yield chunk
        # The model's name once, on the last chunk: chunks add up, and strings would concatenate.
        yield ChatGenerationChunk(
            message=AIMessageChunk(
                content="",
                chunk_position="last",
                response_metadata={"model_name": self.model_name, "finish_reason": finish_reason},
            )
        )


class CannedChat(FakeListChatModel):
    """LangChain's fake list model (replies in turn), named like a real provider for traces."""

    model: str = "canned"
