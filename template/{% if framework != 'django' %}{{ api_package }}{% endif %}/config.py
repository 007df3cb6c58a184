"""Settings, read from the environment (and a .env file) in this one place.

Development works with zero configuration; outside development, a missing or placeholder
secret stops the app at start-up instead of running insecurely.
"""

from functools import lru_cache
from typing import Literal, Self

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Drivers for the async engine, by the scheme a DATABASE_URL usually has.
ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+psycopg",
    "postgresql": "postgresql+psycopg",
}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    secret_key: str = ""
    # The same URL form Django uses: sqlite:///db.sqlite3 or postgres://user:pass@host/name.
    database_url: str = "sqlite:///db.sqlite3"
    cors_origins: list[str] = []

    @model_validator(mode="after")
    def _require_a_real_secret_outside_development(self) -> Self:
        weak = len(self.secret_key) < 32 or self.secret_key.startswith(("change", "insecure"))
        if self.environment == "production" and weak:
            raise ValueError(
                "SECRET_KEY must be a random value of at least 32 characters in production, "
                'for example: python -c "import secrets; print(secrets.token_urlsafe(50))"'
            )
        return self

    @property
    def async_database_url(self) -> str:
        """DATABASE_URL with the async driver SQLAlchemy needs (aiosqlite or psycopg)."""
        scheme, sep, rest = self.database_url.partition("://")
        return f"{ASYNC_DRIVERS.get(scheme, scheme)}{sep}{rest}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
