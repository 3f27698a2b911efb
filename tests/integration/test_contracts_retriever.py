"""LangChain's standard retriever suite over what answers coders: the whole knowledge base in real
Chroma, the real MiniLM embedder, the session's assistant's own searcher."""

from __future__ import annotations

import pytest

from assistant.retrieve import HybridSearcher
from assistant.retriever import CodeAwareRetriever
from assistant.service import Assistant
from tests.contract_retriever import CodeAwareRetrieverContract


class TestCodeAwareRetrieverChroma(CodeAwareRetrieverContract):
    """`retriever_constructor_params` is a property: the searcher fixture is put on the instance
    first (autouse runs before the suite's own `retriever` fixture)."""

    @pytest.fixture(autouse=True)
    def _use_searcher(self, real_assistant: Assistant) -> None:
        self.searcher: HybridSearcher = real_assistant.searcher

    @property
    def retriever_query_example(self) -> str:
        return "which code for ureteroscopy with laser lithotripsy and a stent?"


def test_retriever_finds_the_named_code_first(real_assistant: Assistant) -> None:
    docs = CodeAwareRetriever(searcher=real_assistant.searcher, k=3).invoke(
        "is ureteropyelography included in 50576?"
    )
    assert len(docs) == 3
    assert docs[0].metadata["code"] == "50576"
    assert "code" in docs[0].metadata["via"].split(",")
