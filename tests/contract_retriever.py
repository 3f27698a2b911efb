"""The part of LangChain's retriever suite set-up both runs share: the suite's constructor
properties read `self.searcher`, which each test class puts on the instance from its own fixture
(autouse runs before the suite's own `retriever` fixture)."""

from __future__ import annotations

from typing import Any

from langchain_tests.integration_tests import RetrieversIntegrationTests

from assistant.retrieve import HybridSearcher
from assistant.retriever import CodeAwareRetriever


class CodeAwareRetrieverContract(RetrieversIntegrationTests):
    searcher: HybridSearcher

    @property
    def retriever_constructor(self) -> type[CodeAwareRetriever]:
        return CodeAwareRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {"searcher": self.searcher}
