"""LangChain's standard embeddings suites that need no model: the unit suite for both embedders
(MiniLM and its ONNX
Runtime form load lazily, so constructing them reads no weights) and the integration suite for the
hashing embedder every unit test relies on."""

from __future__ import annotations

from langchain_tests.integration_tests import EmbeddingsIntegrationTests
from langchain_tests.unit_tests import EmbeddingsUnitTests

from assistant.embed import HashingEmbeddings, MiniLMEmbeddings
from assistant.embed_onnx import OnnxMiniLMEmbeddings


class TestHashingEmbeddingsUnit(EmbeddingsUnitTests):
    @property
    def embeddings_class(self) -> type[HashingEmbeddings]:
        return HashingEmbeddings


class TestHashingEmbeddingsIntegration(EmbeddingsIntegrationTests):
    @property
    def embeddings_class(self) -> type[HashingEmbeddings]:
        return HashingEmbeddings


class TestMiniLMEmbeddingsUnit(EmbeddingsUnitTests):
    @property
    def embeddings_class(self) -> type[MiniLMEmbeddings]:
        return MiniLMEmbeddings


class TestOnnxMiniLMEmbeddingsUnit(EmbeddingsUnitTests):
    @property
    def embeddings_class(self) -> type[OnnxMiniLMEmbeddings]:
        return OnnxMiniLMEmbeddings


def test_hashing_vectors_are_unit_length_and_deterministic() -> None:
    embedder = HashingEmbeddings()
    first, again = embedder.embed_query("ureteroscopy with stent"), embedder.embed_query("ureteroscopy stent")
    assert len(first) == HashingEmbeddings.dim
    assert abs(sum(v * v for v in first) - 1.0) < 1e-9
    assert first != again
    assert embedder.embed_documents(["ureteroscopy with stent"]) == [first]
