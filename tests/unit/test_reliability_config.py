"""Auth defaults: half-set login is a settings error naming both fields; an open bind without a
login logs a warning."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from assistant.config import SettingsError, load_settings


@pytest.mark.parametrize("given", ["auth_user", "auth_password"])
def test_half_set_auth_is_an_error_naming_both_fields(given: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(ui={given: "secret-value"})
    message = str(caught.value)
    assert "ui.auth_user" in message and "ui.auth_password" in message
    assert "secret-value" not in message  # a password never goes into an error


def test_auth_may_be_split_between_the_config_file_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "codecite.yaml"
    config.write_text("ui:\n  auth_password: pw\n")
    monkeypatch.setenv("CODECITE_UI__AUTH_USER", "coder")
    settings = load_settings(config)
    assert settings.ui.auth and (settings.ui.auth_user, settings.ui.auth_password) == ("coder", "pw")


@pytest.mark.parametrize(
    ("host", "auth", "warned"),
    [
        ("0.0.0.0", {}, True),
        ("192.168.1.20", {}, True),
        ("example.org", {}, True),
        ("0.0.0.0", {"auth_user": "coder", "auth_password": "pw"}, False),
        ("127.0.0.1", {}, False),
        ("localhost", {}, False),
        ("::1", {}, False),
    ],
)
def test_open_bind_without_login_logs_a_warning(
    host: str, auth: dict[str, str], warned: bool, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="codecite.config"):
        load_settings(ui={"host": host, **auth})
    warnings = [r.getMessage() for r in caplog.records if r.name == "codecite.config"]
    assert bool(warnings) == warned
    assert all(host in w and "ui.auth_user" in w for w in warnings)
