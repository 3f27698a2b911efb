"""Code-aware hybrid retrieval: codes named in the question first, then BM25 + dense (RRF)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, cast

from assistant import lexical
from assistant.bundling import FIELDS as GENERATED
from assistant.config import RetrievalSettings
from assistant.index import KnowledgeIndex
from assistant.lexical import LexicalIndex
from assistant.models import Hit, Passage
from assistant.text import tokenize as tokenize  # re-exported: callers tokenise as BM25 does

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

log = logging.getLogger(__name__)


def rrf(rankings: Sequence[Sequence[str]], k: int) -> dict[str, float]:
    """Reciprocal-rank fusion: sum of 1/(k + rank) over the lists an id appears in."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, pid in enumerate(ranking, start=1):
            scores[pid] = scores.get(pid, 0.0) + 1.0 / (k + rank)
    return scores


# How much a passage's match says about which code a described procedure is. The summary (our
# title) carries the distinguishing words. An included or separately reported item names another
# service: "clot evacuation is included" in twenty cystoscopy records says those codes are not
# the clot-evacuation code.
LOOKUP_WEIGHT = {"summary": 2.0, "includes": 0.25, "reported_separately": 0.25}


class HybridSearcher:
    """Plain, typed search over one index; `assistant.retriever.CodeAwareRetriever` wraps it for
    LangChain."""

    def __init__(
        self,
        index: KnowledgeIndex,
        embedder: Embeddings | Callable[[], Embeddings],
        settings: RetrievalSettings,
    ) -> None:
        """`embedder` may be a function that makes one: it is then called on the first query
        that needs a vector (a question the CMS tables answer never does)."""
        self.index = index
        self._embedder = embedder
        self._embedder_lock = threading.Lock()
        self.settings = settings
        # Persisted with the build (index.lexical); an index assembled by hand gets one in memory.
        # The generated PTP section (assistant/bundling.py) is cited by pair answers but never
        # ranked (the lexical index posts none of it): its code lists would crowd every code question.
        self.lexical: LexicalIndex = index.lexical or lexical.write(index.store.all(), "memory")
        self.passages = self.lexical.passages  # by id, read on demand
        self._last_query: tuple[str, list[float]] | None = None  # None: a first "" query is embedded too
        self._turn = threading.local()  # per answering thread: did the vector store fail this turn?

    @property
    def embedder(self) -> Embeddings:
        """Made once, under a lock: answers run in parallel threads, and two first queries must
        not load two models."""
        with self._embedder_lock:
            source = self._embedder
            if not hasattr(source, "embed_query"):  # a function that makes one
                self._embedder = source = source()
            return cast("Embeddings", source)

    def dense_failed(self) -> bool:
        """The last search on this thread ran without the vector store (a Chroma server down)."""
        return bool(getattr(self._turn, "dense_failed", False))

    def _dense(self, vector: list[float], depth: int) -> list[tuple[Passage, float]]:
        """The dense ranking, or none when the vector store fails: the lexical index and the
        passages are local, so an answer still goes out (flagged by the chain)."""
        try:
            return self.index.store.query(vector, depth, GENERATED)
        except Exception as exc:  # a server that is down raises its client's own error types
            log.warning("vector store unavailable (%s); answering from the lexical index", type(exc).__name__)
            self._turn.dense_failed = True
            return []

    @property
    def known_codes(self) -> set[str]:
        return {k for k in self.index.records if not k.startswith("policy:")}

    def policy_keys_for(self, codes: Sequence[str]) -> list[str]:
        return [p.key for p in self.index.policies() if any(p.covers(c) for c in codes)]

    def _bm25_ranking(self, query: str, depth: int | None = None) -> list[str]:
        return self.lexical.ranking(query, depth or self.settings.candidates)

    def search(
        self, query: str, codes: Sequence[str] = (), k: int | None = None, ranked_search: bool = True
    ) -> list[Hit]:
        """Passages of `codes` first (then their policies), then the fused BM25+dense ranking.

        `ranked_search=False` skips BM25 and the embedder: questions the CMS tables answer need only
        the named codes' passages, and a cold embedder costs seconds."""
        k = k or self.settings.top_k
        vector = self._embed(query) if ranked_search else None
        # The vector store opens only when a query vector needs it (table questions never do).
        self._turn.dense_failed = False
        dense = self._dense(vector, self.settings.candidates) if vector is not None else []
        similarity = {p.id: s for p, s in dense}
        lexical = self._bm25_ranking(query) if ranked_search else []
        fused = rrf([lexical, [p.id for p, _ in dense]], self.settings.rrf_k)

        # Equal fused scores (rank r in one list against rank r in the other) go to the passage
        # holding the question's own words, which a coder can check at a glance.
        lexical_rank = {pid: r for r, pid in enumerate(lexical)}

        def ranked(ids: Iterable[str]) -> list[str]:
            return sorted(ids, key=lambda i: (-fused.get(i, 0.0), lexical_rank.get(i, len(lexical)), i))

        code_ids = ranked(p.id for p in self.passages.by_codes(list(codes)) if p.field not in GENERATED)
        policy_ids = ranked(p.id for p in self.passages.by_codes(self.policy_keys_for(codes)))
        # A code's own passages lead; at most two policy passages join them, so the general
        # rule that settles an inclusion question is in view without crowding out the record.
        ordered = [*code_ids[: max(k - 2, 1)], *policy_ids[:2], *code_ids[max(k - 2, 1) :]]
        rest = [i for i in ranked(fused) if i not in set(ordered)]
        hits: list[Hit] = []
        for pid in [*ordered, *rest][:k]:
            via = ["code"] if pid in code_ids else ["policy"] if pid in policy_ids else []
            via += [name for name, ok in (("bm25", pid in fused), ("dense", pid in similarity)) if ok]
            hits.append(
                Hit(
                    passage=self.passages[pid],
                    score=fused.get(pid, 0.0) + (1.0 if "code" in via else 0.0),
                    via=via,
                    dense_similarity=similarity.get(pid),
                )
            )
        return hits

    def rank_codes(self, query: str, n: int = 3) -> list[tuple[str, float]]:
        """Procedure records ranked for a "which code for ...?" lookup.

        A record scores the fused (BM25 + dense) scores of its two best passages, each weighted by
        what its field says about the code (LOOKUP_WEIGHT). Two, not all: summed over every
        passage, a record with many loosely related passages outranked the one passage that names
        the procedure ("HoLEP"). Measured on the lookup items of every eval set: hit@1 0.556 ->
        0.662, hit@3 0.868 -> 0.927 (docs/question-reading.md).
        """
        depth = self.settings.candidates * 3
        dense = self._dense(self._embed(query), depth)
        fused = rrf([self._bm25_ranking(query, depth), [p.id for p, _ in dense]], self.settings.rrf_k)
        scores: dict[str, list[float]] = {}
        for pid, score in fused.items():
            passage = self.passages[pid]
            if passage.record_type == "procedure":
                weight = LOOKUP_WEIGHT.get(passage.field, 1.0)
                scores.setdefault(passage.code, []).append(weight * score)
        totals = {code: sum(sorted(found, reverse=True)[:2]) for code, found in scores.items()}
        return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:n]

    def _embed(self, query: str) -> list[float]:
        """A lookup ranks records and retrieves passages for the same query: embed it once."""
        # Read once into a local: answers run in parallel threads, and another may replace it.
        cached = self._last_query
        if cached is None or cached[0] != query:
            cached = self._last_query = (query, self.embedder.embed_query(query))
        return cached[1]

    def is_weak(self, hits: Sequence[Hit]) -> bool:
        """True when nothing was found by code and no passage is semantically close."""
        if any("code" in h.via for h in hits):
            return False
        if self.dense_failed():  # no similarity to judge by: the lexical hits stand on their own
            return not any("bm25" in h.via for h in hits)
        best = max((h.dense_similarity or -1.0 for h in hits), default=-1.0)
        return best < self.settings.min_dense_similarity
