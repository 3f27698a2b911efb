from pathlib import Path

import pytest

from assistant.ingest import clean_body, load_knowledge, parse_file, split_passages

GOOD = """---
code: "50570"
title: A test title for a renal endoscopy
family: test family
sources: ["test source"]
code_set_year: 2025
includes:
  - service: fluoroscopy during the endoscopy
    codes: ["76000"]
    aliases: [fluoroscopy]
---
First paragraph of the body, long enough to become a passage of its own here.

Second paragraph, also long enough to be kept as a separate passage for retrieval.
"""


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_good_file_splits_into_one_idea_per_passage(tmp_path: Path) -> None:
    parsed = parse_file(write(tmp_path, "50570.md", GOOD), tmp_path)
    assert not isinstance(parsed, list)
    passages = split_passages(parsed)
    assert [p.id for p in passages] == ["50570#summary-0", "50570#body-0", "50570#body-1", "50570#includes-0"]
    assert all(p.code == "50570" and p.file == "50570.md" for p in passages)
    assert "76000" in passages[-1].text


def test_yaml_error_names_file_and_line(tmp_path: Path) -> None:
    broken = GOOD.replace("family: test family", "family: [unclosed")
    errors = parse_file(write(tmp_path, "bad.md", broken), tmp_path)
    assert isinstance(errors, list)
    assert errors[0].file == "bad.md" and errors[0].line >= 4
    assert "invalid YAML" in str(errors[0])


def test_schema_error_names_field_and_its_line(tmp_path: Path) -> None:
    broken = GOOD.replace('code: "50570"', 'code: "5057"')
    errors = parse_file(write(tmp_path, "bad.md", broken), tmp_path)
    assert isinstance(errors, list)
    assert errors[0].field == "code" and errors[0].line == 2
    assert "5057" in errors[0].message


def test_missing_required_field_is_reported(tmp_path: Path) -> None:
    errors = parse_file(write(tmp_path, "x.md", GOOD.replace('sources: ["test source"]\n', "")), tmp_path)
    assert isinstance(errors, list) and errors[0].field == "sources"


def test_broken_file_is_reported_and_the_rest_ingested(tmp_path: Path) -> None:
    write(tmp_path, "a/50570.md", GOOD)
    write(tmp_path, "b/50572.md", "no front matter here")
    write(tmp_path, "c/dup.md", GOOD)
    result = load_knowledge(tmp_path)
    assert [f.record.code for f in result.files] == ["50570"]
    messages = [str(e) for e in result.errors]
    assert any("b/50572.md" in m and "front matter" in m for m in messages)
    assert any("duplicate record for 50570" in m for m in messages)


def test_scraped_boilerplate_lines_are_dropped() -> None:
    page = (
        "\u00a9 Copyright 2026 Some Association. All rights reserved.\n"
        "Our own sentence about the procedure stays in the body.\n"
        "Create a free account to unlock this content\n"
        "Get instant expert-level answers from SomeBot, our coding assistant.\n"
    )
    assert clean_body(page) == "Our own sentence about the procedure stays in the body."


def test_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="knowledge directory not found"):
        load_knowledge(tmp_path / "nope")
