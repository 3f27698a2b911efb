"""LangChain's standard retriever suite over the in-memory index and hashing embedder, and the
promise that `invoke` and the chain's `hits` are one retrieval path."""

from __future__ import annotations

import pytest

from assistant.retrieve import HybridSearcher
from assistant.retriever import CodeAwareRetriever, as_document
from assistant.service import Assistant
from tests.contract_retriever import CodeAwareRetrieverContract


@pytest.fixture
def searcher(unit_assistant: Assistant) -> HybridSearcher:
    return unit_assistant.searcher


class TestCodeAwareRetrieverInMemory(CodeAwareRetrieverContract):
    """The suite's `retriever_constructor_params` is a property, so the searcher fixture is put
    on the instance first (autouse runs before the suite's own `retriever` fixture)."""

    @pytest.fixture(autouse=True)
    def _use_searcher(self, searcher: HybridSearcher) -> None:
        self.searcher: HybridSearcher = searcher

    @property
    def retriever_query_example(self) -> str:
        return "is ureteropyelography included in 50576?"


def test_invoke_is_hits_with_detected_codes(searcher: HybridSearcher) -> None:
    retriever = CodeAwareRetriever(searcher=searcher, k=4)
    docs = retriever.invoke("can I bill 52000 with 52332?")
    hits = retriever.hits("can I bill 52000 with 52332?", ["52000", "52332"])
    assert docs == [as_document(h) for h in hits]
    assert len(docs) == 4
    assert {d.metadata["code"] for d in docs[:2]} <= {"52000", "52332"}


def test_hits_is_the_searchers_answer(searcher: HybridSearcher) -> None:
    retriever = CodeAwareRetriever(searcher=searcher)
    query = "is ureteropyelography included in 50576?"
    for ranked in (True, False):
        got = retriever.hits(query, ["50576"], ranked=ranked)
        assert got == searcher.search(query, ["50576"], ranked_search=ranked)
    assert len(retriever.hits(query, ["50576"])) == searcher.settings.top_k


def test_k_per_call_overrides_constructor(searcher: HybridSearcher) -> None:
    retriever = CodeAwareRetriever(searcher=searcher, k=5)
    assert len(retriever.hits("stone removal", ["52356"])) == 5
    assert len(retriever.hits("stone removal", ["52356"], k=2)) == 2
    assert len(retriever.invoke("stone removal", k=2)) == 2


def test_unranked_hits_are_the_named_codes_only(searcher: HybridSearcher) -> None:
    hits = CodeAwareRetriever(searcher=searcher).hits("52000 and 52332", ["52000", "52332"], ranked=False)
    assert hits
    assert all("code" in h.via or "policy" in h.via for h in hits)
    assert not any(h.dense_similarity is not None for h in hits)


def test_k_below_one_is_rejected(searcher: HybridSearcher) -> None:
    with pytest.raises(ValueError):
        CodeAwareRetriever(searcher=searcher, k=0)
