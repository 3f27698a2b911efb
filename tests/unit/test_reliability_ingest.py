"""Ingest never loses a record: a failed file keeps its last good version, duplicate codes are an
error naming both files, and `codecite ingest` exits non-zero saying how many files failed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from assistant.config import Settings
from assistant.embed import HashingEmbeddings
from assistant.index import BuildReport, build_index, open_index
from tests.conftest import make_settings

BROKEN = "urinary/kidney/50574.md"
REAL = "urinary/kidney/50576.md"
STRAY = "urinary/kidney/50576 copy.md"  # sorts before the real file: it used to win silently


@pytest.fixture
def settings(tmp_path: Path, sample_knowledge: Path) -> Settings:
    return make_settings(tmp_path, sample_knowledge)


def ingest(settings: Settings) -> BuildReport:
    return build_index(settings, HashingEmbeddings(), progress=False)


def break_file(settings: Settings, rel: str = BROKEN) -> None:
    path = settings.knowledge_dir / rel
    path.write_text(path.read_text().replace("code_set_year: 2025", "code_set_year: [oops"))


def add_stray_copy(settings: Settings) -> None:
    text = (settings.knowledge_dir / REAL).read_text()
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    (settings.knowledge_dir / STRAY).write_text(text.replace(title, "title: A stray draft of this record"))


def test_a_failed_file_keeps_its_last_good_version_with_a_warning(settings: Settings) -> None:
    first = ingest(settings)
    before = open_index(settings)
    good = before.records["50574"]
    passages = [p.id for p in before.store.by_codes(["50574"])]
    before.close()
    break_file(settings)
    report = ingest(settings)
    assert any(e.file == BROKEN for e in report.errors) and report.failed_files == 1
    assert any("50574" in w and "last good version" in w and BROKEN in w for w in report.warnings)
    after = open_index(settings)
    assert after.records["50574"] == good and after.files["50574"] == BROKEN
    assert [p.id for p in after.store.by_codes(["50574"])] == passages
    assert report.records == first.records
    after.close()
    again = ingest(settings)  # a second failed ingest still has the version to keep
    assert "50574" in open_index(settings).records and again.failed_files == 1


def test_without_a_previous_build_a_failed_record_is_left_out_and_said_so(settings: Settings) -> None:
    break_file(settings)
    report = ingest(settings)
    assert "50574" not in open_index(settings).records
    assert any("no readable previous index" in w for w in report.warnings)


def test_a_fixed_file_replaces_the_kept_version(settings: Settings) -> None:
    ingest(settings)
    original = (settings.knowledge_dir / BROKEN).read_text()
    break_file(settings)
    ingest(settings)
    (settings.knowledge_dir / BROKEN).write_text(
        original.replace("code_set_year: 2025", "code_set_year: 2026")
    )
    report = ingest(settings)
    assert not report.errors and open_index(settings).records["50574"].code_set_year == 2026


def test_duplicate_codes_are_an_error_naming_both_files(settings: Settings) -> None:
    ingest(settings)
    title = open_index(settings).records["50576"].title
    add_stray_copy(settings)
    report = ingest(settings)
    duplicate = [str(e) for e in report.errors if "duplicate record for 50576" in str(e)]
    assert len(duplicate) == 1 and STRAY in duplicate[0] and REAL in duplicate[0]
    # Neither copy is trusted while the last good version is at hand.
    assert open_index(settings).records["50576"].title == title
    assert any("50576" in w and "last good version" in w for w in report.warnings)


def test_duplicate_codes_without_a_previous_build_keep_one_and_say_which(settings: Settings) -> None:
    add_stray_copy(settings)
    report = ingest(settings)
    assert any(STRAY in str(e) and REAL in str(e) for e in report.errors)
    kept = open_index(settings).files["50576"]
    assert any(w.startswith("50576: no previous build") and kept in w for w in report.warnings)


def test_cli_ingest_exits_non_zero_and_says_how_many_files_failed(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in (
        ("KNOWLEDGE_DIR", settings.knowledge_dir),
        ("DATA_DIR", settings.data_dir),
        ("MODELS_DIR", settings.model_cache),
        ("EMBEDDER__PROVIDER", "fake"),
    ):
        monkeypatch.setenv(f"CODECITE_{name}", str(value))
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", "--quiet"]).exit_code == 0
    break_file(settings)
    shutil.copy(settings.knowledge_dir / REAL, settings.knowledge_dir / STRAY)
    result = runner.invoke(cli, ["ingest", "--quiet"])
    assert result.exit_code == 1
    assert "2 file(s) failed" in result.output and "Traceback" not in result.output
    assert "kept its last good version" in result.output
    forced = runner.invoke(cli, ["ingest", "--quiet", "--rebuild"])
    assert forced.exit_code == 1 and "built:" in forced.output
