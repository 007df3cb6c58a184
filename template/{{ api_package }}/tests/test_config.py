import secrets

import pytest
from pydantic import ValidationError

from ..config import Settings


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
