"""One contract for every VectorStore implementation (after haystack's DocumentStore test mixins).

A test module subclasses `StoreContract` and provides a `store` fixture.
"""

from __future__ import annotations

from assistant.models import Passage
from assistant.store import VectorStore


def passage(pid: str, code: str, text: str) -> Passage:
    return Passage(
        id=pid,
        text=text,
        code=code,
        title="t",
        family="f",
        field="body",
        file=f"{code}.md",
        code_set_year=2025,
        sources=["a", "b"],
    )


ROWS = [
    (passage("50570#body-0", "50570", "diagnostic look"), [1.0, 0.0, 0.0], "h1"),
    (passage("50576#body-0", "50576", "fulguration"), [0.0, 1.0, 0.0], "h2"),
    (passage("50576#body-1", "50576", "incision"), [0.0, 0.8, 0.6], "h3"),
    (passage("policy:x#body-0", "policy:x", "a rule"), [0.0, 0.0, 1.0], "h4"),
]


class StoreContract:
    def fill(self, store: VectorStore) -> VectorStore:
        store.add([r[0] for r in ROWS], [r[1] for r in ROWS], [r[2] for r in ROWS])
        return store

    def test_count_and_all_in_id_order(self, store: VectorStore) -> None:
        self.fill(store)
        assert store.count() == 4
        assert [p.id for p in store.all()] == sorted(r[0].id for r in ROWS)

    def test_query_ranks_by_cosine(self, store: VectorStore) -> None:
        self.fill(store)
        hits = store.query([0.0, 1.0, 0.1], k=2)
        assert [p.id for p, _ in hits] == ["50576#body-0", "50576#body-1"]
        assert hits[0][1] > hits[1][1]

    def test_query_k_larger_than_store(self, store: VectorStore) -> None:
        self.fill(store)
        assert len(store.query([1.0, 0.0, 0.0], k=50)) == 4

    def test_query_leaves_out_skipped_fields(self, store: VectorStore) -> None:
        self.fill(store)
        generated = passage("50576#bundles-0", "50576", "codes bundled into it").model_copy(
            update={"field": "bundles"}
        )
        store.add([generated], [[0.0, 1.0, 0.0]], ["h5"])
        assert "50576#bundles-0" in [p.id for p, _ in store.query([0.0, 1.0, 0.0], k=2)]
        kept = [p.id for p, _ in store.query([0.0, 1.0, 0.0], k=2, skip_fields=("bundles",))]
        assert kept == ["50576#body-0", "50576#body-1"]

    def test_skipped_fields_crowding_the_nearest_still_leave_k(self, store: VectorStore) -> None:
        self.fill(store)
        crowd = [
            passage(f"50576#bundles-{n}", "50576", f"bundled {n}").model_copy(update={"field": "bundles"})
            for n in range(4)
        ]
        store.add(crowd, [[0.0, 1.0, 0.01 * n] for n in range(4)], [f"g{n}" for n in range(4)])
        kept = [p.id for p, _ in store.query([0.0, 1.0, 0.0], k=2, skip_fields=("bundles",))]
        assert kept == ["50576#body-0", "50576#body-1"]

    def test_metadata_filter_by_codes(self, store: VectorStore) -> None:
        self.fill(store)
        assert [p.id for p in store.by_codes(["50576", "policy:x"])] == [
            "50576#body-0",
            "50576#body-1",
            "policy:x#body-0",
        ]
        assert store.by_codes([]) == []

    def test_passage_round_trip_keeps_metadata(self, store: VectorStore) -> None:
        self.fill(store)
        got = store.by_codes(["50570"])[0]
        assert got == ROWS[0][0]

    def test_vectors_by_hash_for_reuse(self, store: VectorStore) -> None:
        self.fill(store)
        vectors = store.vectors_by_hash()
        assert set(vectors) == {"h1", "h2", "h3", "h4"}
        assert [round(x, 4) for x in vectors["h3"]] == [0.0, 0.8, 0.6]
