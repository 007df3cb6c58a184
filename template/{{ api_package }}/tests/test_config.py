import secrets

import pytest
from pydantic import ValidationError

from ..config import Settings, SettingsError, get_settings


def test_development_works_without_configuration() -> None:
    assert Settings(environment="development").secret_key


@pytest.mark.parametrize(
    "secret",
    ["", "short", "changeme-changeme-changeme-changeme", "insecure-development-only-key"],
)
def test_production_refuses_a_missing_or_placeholder_secret(secret: str) -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY must be"):
        Settings(environment="production", secret_key=secret)


def test_production_refuses_the_development_default() -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY must be"):
        Settings(environment="production")


def test_production_accepts_a_real_secret() -> None:
    settings = Settings(environment="production", secret_key=secrets.token_urlsafe(50))
    assert settings.environment == "production"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///db.sqlite3", "sqlite+aiosqlite:///db.sqlite3"),
        ("postgres://u:p@h:5432/d", "postgresql+psycopg://u:p@h:5432/d"),
        ("postgresql://u:p@h/d", "postgresql+psycopg://u:p@h/d"),
    ],
)
def test_database_url_gets_the_async_driver(url: str, expected: str) -> None:
    assert Settings(database_url=url).async_database_url == expected


def test_lists_are_comma_separated_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "https://app.example.com, http://localhost:5173")
    monkeypatch.setenv("ALLOWED_HOSTS", "api.example.com,localhost")
    monkeypatch.setenv("MAX_BODY_SIZE", "2048")
    settings = Settings()
    assert settings.cors_origins == ["https://app.example.com", "http://localhost:5173"]
    assert settings.allowed_hosts == ["api.example.com", "localhost"]
    assert settings.max_body_size == 2048
    monkeypatch.setenv("CORS_ORIGINS", "https://x")
    assert Settings().cors_origins == ["https://x"]
    monkeypatch.setenv("CORS_ORIGINS", '["https://x", "https://y"]')  # a JSON list works too
    assert Settings().cors_origins == ["https://x", "https://y"]


@pytest.mark.parametrize(
    ("name", "value"),
    [("CORS_ORIGINS", "app.example.com"), ("CORS_ORIGINS", "https://x/"), ("MAX_BODY_SIZE", "big")],
)
def test_a_malformed_setting_stops_start_up_with_one_line(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        with pytest.raises(SettingsError) as stopped:
            get_settings()
    finally:
        get_settings.cache_clear()
    message = str(stopped.value)
    assert message.startswith(f"Invalid settings: {name}: ")
    assert "\n" not in message
