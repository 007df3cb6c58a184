"""The shipped Alembic migrations build exactly the schema the models describe."""

from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory

from .conftest import alembic_config


def test_upgrade_then_check_finds_no_drift(tmp_path: Path) -> None:
    config = alembic_config(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    command.upgrade(config, "head")
    command.check(config)  # raises when the models and the migrated schema differ


def test_migrations_go_down_and_up_again(tmp_path: Path) -> None:
    config = alembic_config(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    command.upgrade(config, "head")


def test_the_test_database_is_at_head(database_url: str) -> None:
    """Also on PostgreSQL, when DATABASE_URL points there."""
    config = alembic_config(database_url)
    command.check(config)
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1
