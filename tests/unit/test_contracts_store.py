"""The store contract (tests/contract_store.py) covers every `VectorStore` in assistant/store.py.

The project wraps Chroma behind its own protocol rather than langchain-chroma, so this contract,
not LangChain's `VectorStoreIntegrationTests`, is the one its stores answer to."""

from __future__ import annotations

import inspect
import typing

import assistant.store as store_module
import tests.integration.test_store_chroma
import tests.unit.test_store_memory
from assistant.store import VectorStore
from tests.contract_store import StoreContract

CONTRACT_MODULES = (tests.unit.test_store_memory, tests.integration.test_store_chroma)
PROTOCOL = [name for name in VectorStore.__dict__ if not name.startswith("_")]


def implementations() -> set[type]:
    """Classes of assistant/store.py that have every method of the protocol."""
    return {
        cls
        for _, cls in inspect.getmembers(store_module, inspect.isclass)
        if cls.__module__ == store_module.__name__
        and cls is not VectorStore
        and all(callable(getattr(cls, name, None)) for name in PROTOCOL)
    }


def contracted() -> set[type]:
    """The store classes the contract's subclasses build (their `store` fixture's return type)."""
    found: set[type] = set()
    for module in CONTRACT_MODULES:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, StoreContract) and cls is not StoreContract:
                fixture = cls.__dict__["store"].__wrapped__
                found.add(typing.get_type_hints(fixture, vars(module))["return"])
    return found


def test_every_store_runs_the_contract() -> None:
    assert {"add", "query", "by_codes", "all", "vectors_by_hash", "count"} <= set(PROTOCOL)
    stores = implementations()
    assert {cls.__name__ for cls in stores} >= {"InMemoryStore", "ChromaStore"}
    assert stores <= contracted()
