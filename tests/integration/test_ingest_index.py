"""Ingest with the real embedder into a real Chroma directory: reuse, bad files, atomic swap."""

from __future__ import annotations

from pathlib import Path

from assistant.config import Settings
from assistant.embed import MiniLMEmbeddings
from assistant.index import build_index, open_index
from assistant.retrieve import HybridSearcher
from tests.conftest import make_settings


def settings_for(tmp_path: Path, knowledge: Path) -> Settings:
    return make_settings(tmp_path, knowledge, embedder={"provider": "minilm"})


def test_reingest_of_unchanged_knowledge_embeds_nothing(
    tmp_path: Path, sample_knowledge: Path, real_embedder: MiniLMEmbeddings
) -> None:
    settings = settings_for(tmp_path, sample_knowledge)
    first = build_index(settings, real_embedder, progress=False)
    assert first.status == "built" and first.embedded == first.passages > 0
    again = build_index(settings, real_embedder, progress=False)
    assert (again.status, again.embedded) == ("unchanged", 0)
    manifest = open_index(settings).manifest
    assert manifest["passages"] == first.passages and manifest["chromadb_version"]
    assert "MiniLM" in str(manifest["embedder"])


def test_changed_file_reembeds_only_its_passages(
    tmp_path: Path, sample_knowledge: Path, real_embedder: MiniLMEmbeddings
) -> None:
    settings = settings_for(tmp_path, sample_knowledge)
    build_index(settings, real_embedder, progress=False)
    old_target = settings.index_dir.resolve()
    path = sample_knowledge / "urinary/kidney/50570.md"
    path.write_text(
        path.read_text() + "\nOne more paragraph, written for this test, about the diagnostic look.\n"
    )
    report = build_index(settings, real_embedder, progress=False)
    assert report.status == "built" and report.embedded == 1 and report.reused == report.passages - 1
    assert settings.index_dir.resolve() != old_target  # swapped to a new build directory


def test_malformed_file_is_reported_and_the_others_are_searchable(
    tmp_path: Path, sample_knowledge: Path, real_embedder: MiniLMEmbeddings
) -> None:
    settings = settings_for(tmp_path, sample_knowledge)
    broken = sample_knowledge / "urinary/kidney/50574.md"
    broken.write_text(broken.read_text().replace("code_set_year: 2025", "code_set_year: [oops"))
    report = build_index(settings, real_embedder, progress=False)
    assert any(e.file == "urinary/kidney/50574.md" for e in report.errors)
    index = open_index(settings)
    assert "50574" not in index.records and "50576" in index.records
    hits = HybridSearcher(index, real_embedder, settings.retrieval).search("ureteropyelography", ["50576"])
    assert hits[0].passage.code == "50576"
