"""The LangChain retriever over `HybridSearcher`, for LangChain callers and the retriever
contract suite; the chain calls the searcher itself (this module imports LangChain)."""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field

from assistant.codes import scan
from assistant.models import Hit
from assistant.retrieve import HybridSearcher


class CodeAwareRetriever(BaseRetriever):
    """LangChain retriever over `HybridSearcher`, for LangChain callers. `invoke` detects codes in
    the query itself; `hits` takes them already read, as the chain's own call to
    `HybridSearcher.search` does (the same function, so the contract suite tests what answers).

    `k` (constructor or `invoke(query, k=...)`) caps the passages returned; None means
    `retrieval.top_k`."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    searcher: HybridSearcher
    k: int | None = Field(default=None, ge=1)

    def hits(
        self, query: str, codes: Sequence[str] = (), ranked: bool = True, k: int | None = None
    ) -> list[Hit]:
        """Passages of `codes` first, then the fused BM25 + dense ranking (`HybridSearcher.search`).

        `ranked=False` returns only the named codes' passages and their policies, without BM25 or
        the embedder (questions the CMS tables answer)."""
        return self.searcher.search(query, codes, k=k or self.k, ranked_search=ranked)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, k: int | None = None
    ) -> list[Document]:
        codes = scan(query, self.searcher.known_codes).codes
        return [as_document(h) for h in self.hits(query, codes, k=k)]


def as_document(hit: Hit) -> Document:
    """A hit as a LangChain document: the passage text, its metadata, score and route."""
    return Document(
        page_content=hit.passage.text,
        id=hit.passage.id,
        metadata={
            **hit.passage.metadata(),
            "id": hit.passage.id,
            "score": hit.score,
            "via": ",".join(hit.via),
        },
    )
