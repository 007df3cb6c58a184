"""Models changed without their migration, found before the tests touch the database.

Without a migration the test database lacks the new columns, and every test using the model
fails with a database error: a screenful that hides the cause. The root conftest.py asks
`pending_migrations()` first and stops the run with one line saying what to do.
"""

from django.apps import apps
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.questioner import NonInteractiveMigrationQuestioner
from django.db.migrations.state import ProjectState

ADVICE = "run `uv run python manage.py makemigrations`, review and commit the new migration"


def pending_migrations(models: ProjectState | None = None) -> list[str]:
    """`app.migration_name` for each migration `makemigrations` would write (none: in step).

    What `makemigrations --check --dry-run` computes, without its database consistency
    check (no database is needed) and without exiting the process.
    """
    loader = MigrationLoader(None, ignore_no_migrations=True)
    autodetector = MigrationAutodetector(
        loader.project_state(),
        models or ProjectState.from_apps(apps),
        NonInteractiveMigrationQuestioner(dry_run=True),
    )
    changes = autodetector.changes(graph=loader.graph)
    return [f"{label}.{migration.name}" for label, found in changes.items() for migration in found]


def message(pending: list[str]) -> str:
    return f"Models changed without a migration ({', '.join(pending)}): {ADVICE}."
