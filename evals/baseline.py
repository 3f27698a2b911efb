"""The plain LangChain RAG recipe CodeCite is measured against: what a user builds in an afternoon.

Same knowledge files, same embedder, same LLM; but the files are split blindly into ~1000-char
chunks, retrieval is dense top-k from a Chroma collection, the chunks are "stuffed" into the
classic prompt, and the verdict is read off the answer text with keyword rules. No code
awareness, no verdict logic, no checker. With no LLM (provider none) the "answer" is the
top-k chunks themselves, and the verdict is read off them.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate, MessagesPlaceholder

from assistant.builds import embedder_name
from assistant.ingest import load_knowledge
from evals.metrics import Item, Output, Source, find_codes

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 150
TOP_K = 4  # LangChain's default k for a vector-store retriever
SEPARATORS = ("\n\n", "\n", " ")
# The "stuff" chain's classic prompt, with the chat history in front of the question.
STUFF_SYSTEM = (
    "Use the following pieces of context to answer the question at the end. If you don't know the "
    "answer, just say that you don't know, don't try to make up an answer.\n\n{context}"
)
PROMPT = ChatPromptTemplate.from_messages(
    [("system", STUFF_SYSTEM), MessagesPlaceholder("history"), ("human", "{question}")]
)

# Keyword rules: the verdict phrase that starts first in the text wins (answers lead with it);
# "not included" and "not reported separately" start before the phrases they contain.
VERDICT_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("separate", re.compile(r"\bnot (?:included|bundled)\b", re.I)),
    ("included", re.compile(r"\bnot (?:reported|billed|coded|charged) separately\b", re.I)),
    ("separate", re.compile(r"\b(?:reported|billed|coded|charged)[ _]separately\b", re.I)),
    ("separate", re.compile(r"\bseparately (?:reportable|billable|reported)\b", re.I)),
    ("included", re.compile(r"\b(?:included|includes|bundled)\b", re.I)),
    ("not_stated", re.compile(r"\bnot (?:stated|mentioned|specified)\b", re.I)),
    ("not_stated", re.compile(r"\b(?:does|do)(?: not|n't) (?:say|state|mention|specify)\b", re.I)),
    ("out_of_scope", re.compile(r"\b(?:don't|do not|cannot|can't) (?:know|answer|help)\b", re.I)),
    ("out_of_scope", re.compile(r"\bno information\b", re.I)),
    ("out_of_scope", re.compile(r"\bnot (?:in|covered by) the (?:context|sources)\b", re.I)),
]


def parse_verdict(text: str) -> str | None:
    """The verdict whose phrase starts first in `text` (the longer phrase on a tie); None if none."""
    found: list[tuple[int, int, str]] = []
    for verdict, pattern in VERDICT_PATTERNS:
        match = pattern.search(text)
        if match:
            found.append((match.start(), -len(match.group(0)), verdict))
    return min(found)[2] if found else None


def _pieces(text: str, size: int, separators: Sequence[str]) -> list[str]:
    """Cut text at the coarsest separator that makes pieces fit (RecursiveCharacterTextSplitter)."""
    if len(text) <= size:
        return [text] if text.strip() else []
    if not separators:
        return [text[i : i + size] for i in range(0, len(text), size)]
    out: list[str] = []
    for part in text.split(separators[0]):
        out += _pieces(part, size, separators[1:])
    return out


def split_text(text: str, size: int = CHUNK_SIZE, overlap: int = CHUNK_OVERLAP) -> list[str]:
    """Greedy merge of pieces into chunks of at most `size`, each starting with up to `overlap`
    characters carried from the end of the previous chunk."""
    chunks: list[str] = []
    current: list[str] = []
    for piece in _pieces(text, size, SEPARATORS):
        piece = piece.strip()
        if current and len("\n".join([*current, piece])) > size:
            chunks.append("\n".join(current))
            carried: list[str] = []
            for prev in reversed(current):
                if len("\n".join([prev, *carried, piece])) > min(size, overlap + len(piece)):
                    break
                carried.insert(0, prev)
            current = carried
        current.append(piece)
    if current:
        chunks.append("\n".join(current))
    return chunks


@dataclass(frozen=True)
class Chunk:
    text: str
    record: str  # the record key of the file it came from (for scoring only; never shown to the chain)


def load_chunks(knowledge_dir: Path) -> list[Chunk]:
    """Each knowledge file's raw Markdown (front matter included, as a text loader would read it)."""
    ingested = load_knowledge(knowledge_dir)
    return [
        Chunk(text, parsed.record.key)
        for parsed in ingested.files
        for text in split_text((knowledge_dir / parsed.path).read_text(encoding="utf-8"))
    ]


def _fill(collection: Any, chunks: Sequence[Chunk], embedder: Embeddings) -> None:
    vectors = embedder.embed_documents([c.text for c in chunks])
    for start in range(0, len(chunks), 1000):  # Chroma caps the rows of one add()
        part = chunks[start : start + 1000]
        collection.upsert(
            ids=[str(start + i) for i in range(len(part))],
            documents=[c.text for c in part],
            embeddings=vectors[start : start + len(part)],
            metadatas=[{"record": c.record} for c in part],
        )


def _chunks_hash(chunks: Sequence[Chunk], embedder: Embeddings) -> str:
    digest = hashlib.sha256(embedder_name(embedder).encode())
    for c in chunks:
        digest.update(f"{c.record}\n{c.text}\n".encode())
    return digest.hexdigest()[:16]


class PlainRAG:
    """Dense top-k over a Chroma collection of blind chunks, stuffed into one prompt."""

    def __init__(self, collection: Any, embedder: Embeddings, chat_model: BaseChatModel | None) -> None:
        self.collection = collection
        self.embedder = embedder
        self.chat_model = chat_model
        self.chain = PROMPT | chat_model | StrOutputParser() if chat_model is not None else None

    @classmethod
    def build(
        cls, knowledge_dir: Path, cache_dir: Path, embedder: Embeddings, chat_model: BaseChatModel | None
    ) -> PlainRAG:
        """Embed the chunks into a persistent Chroma directory under `cache_dir`, keyed by the
        chunks' content and the embedder, so a rerun on unchanged knowledge embeds nothing."""
        import chromadb

        chunks = load_chunks(knowledge_dir)
        path = cache_dir / _chunks_hash(chunks, embedder)
        client = chromadb.PersistentClient(str(path), settings=chromadb.Settings(anonymized_telemetry=False))
        collection = client.get_or_create_collection(
            "baseline", metadata={"hnsw:space": "cosine"}, embedding_function=None
        )
        if collection.count() != len(chunks):
            _fill(collection, chunks, embedder)
        return cls(collection, embedder, chat_model)

    def retrieve(self, query: str, k: int) -> list[Source]:
        res = self.collection.query(query_embeddings=[self.embedder.embed_query(query)], n_results=k)
        return [
            Source(str(meta["record"]), str(doc))
            for doc, meta in zip(res["documents"][0], res["metadatas"][0], strict=True)
        ]

    def answer(self, question: str, history: list[BaseMessage], query: str) -> tuple[str, list[Source]]:
        docs = self.retrieve(query, TOP_K)
        context = "\n\n".join(d.text for d in docs)
        if self.chain is None:
            return context, docs
        text = self.chain.invoke({"context": context, "history": history, "question": question})
        return " ".join(text.split()), docs

    def run_item(self, item: Item, out: Output) -> None:
        """Answer each turn with the history into `out`; the last turn is scored. Retrieval uses
        the user's turns so far (a cheap stand-in for question condensing, generous to the baseline)."""
        history: list[BaseMessage] = []
        text, query = "", ""
        docs: list[Source] = []
        for n, turn in enumerate(item.turns):
            query = " ".join(item.turns[: n + 1])
            started = time.perf_counter()
            text, docs = self.answer(turn, history, query)
            out.latencies.append(round(time.perf_counter() - started, 4))
            history += [HumanMessage(turn), AIMessage(text)]
        out.retrieved = self.retrieve(query, 5)
        out.text, out.cited = text, docs
        out.codes = find_codes(text)
        out.verdict = parse_verdict(text)

    def describe(self) -> dict[str, Any]:
        return {"chunks": self.collection.count(), "chunk_size": CHUNK_SIZE, "top_k": TOP_K}
