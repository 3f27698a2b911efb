from pathlib import Path

import pytest

from assistant.config import SettingsError, load_settings
from assistant.llm import LLMError, make_chat_model


def test_environment_overrides_the_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "codecite.yaml"
    config.write_text("retrieval:\n  top_k: 4\nllm:\n  provider: none\n")
    monkeypatch.setenv("CODECITE_RETRIEVAL__TOP_K", "8")
    settings = load_settings(config)
    assert settings.retrieval.top_k == 8 and settings.llm.provider == "none"


def test_explicit_overrides_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODECITE_LLM__PROVIDER", "openai")
    assert load_settings(llm={"provider": "none"}).llm.provider == "none"


def test_bad_value_names_the_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODECITE_RETRIEVAL__TOP_K", "-1")
    with pytest.raises(SettingsError, match="top_k"):
        load_settings()


def test_settings_checked_against_each_other() -> None:
    with pytest.raises(SettingsError, match="candidates"):
        load_settings(retrieval={"top_k": 10, "candidates": 5})


def test_missing_or_broken_config_file(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="not found"):
        load_settings(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("- just\n- a list\n")
    with pytest.raises(SettingsError, match="mapping"):
        load_settings(bad)


def test_provider_none_has_no_model_and_fake_is_a_langchain_model() -> None:
    assert make_chat_model(load_settings(llm={"provider": "none"}).llm) is None
    model = make_chat_model(load_settings(llm={"provider": "fake"}).llm)
    assert model is not None and model.invoke("hi").content


def test_unknown_provider_lists_the_valid_ones() -> None:
    settings = load_settings().llm.model_copy(update={"provider": "magic"})
    with pytest.raises(LLMError, match="valid: llamacpp, openai, fake, none"):
        make_chat_model(settings)
