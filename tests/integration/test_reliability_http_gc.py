"""In http mode, old builds' collections on the Chroma server are collected like persistent
builds, never the one in use, one a process holds, or one that is not ours (issue 15)."""

from __future__ import annotations

from pathlib import Path

import chromadb

from assistant.config import Settings
from assistant.embed import HashingEmbeddings
from assistant.index import build_index, open_index
from tests.conftest import make_settings


def names(port: int) -> set[str]:
    client = chromadb.HttpClient(host="127.0.0.1", port=port)
    return {c.name for c in client.list_collections()}


def test_old_server_collections_are_collected_but_not_current_held_or_foreign(
    chroma_server: int, tmp_path: Path, sample_knowledge: Path
) -> None:
    prefix = "gc-test"
    settings: Settings = make_settings(
        tmp_path,
        sample_knowledge,
        chroma={"mode": "http", "port": chroma_server, "collection": prefix},
    )
    client = chromadb.HttpClient(host="127.0.0.1", port=chroma_server)
    # A killed writer's half collection, and two that are not this index's builds.
    for name in (f"{prefix}-0123456789-abcdef", "gc-test-notabuild", "someone-else-0123456789-abcdef"):
        client.get_or_create_collection(name)
    embedder = HashingEmbeddings()
    for _ in range(2):
        build_index(settings, embedder, progress=False, rebuild=True)
    held = open_index(settings)  # a running server holds the second build
    for _ in range(2):
        build_index(settings, embedder, progress=False, rebuild=True)
    current = open_index(settings)
    ours = {n for n in names(chroma_server) if n.startswith(f"{prefix}-") and n != "gc-test-notabuild"}
    assert str(held.manifest["collection"]) in ours  # held: survives two re-ingests
    assert str(current.manifest["collection"]) in ours and len(ours) == 3, (
        ours
    )  # current, one kept old, the held one
    assert f"{prefix}-0123456789-abcdef" not in ours  # the dead writer's collection is gone
    assert {"gc-test-notabuild", "someone-else-0123456789-abcdef"} <= names(chroma_server)
    held.close()
    current.close()
    build_index(settings, embedder, progress=False, rebuild=True)
    ours = {n for n in names(chroma_server) if n.startswith(f"{prefix}-") and n != "gc-test-notabuild"}
    assert str(held.manifest["collection"]) not in ours and len(ours) == 2  # released: collected
