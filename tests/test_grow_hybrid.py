"""A Django project that has lived grows into a Hybrid: `scaffold update --data framework=hybrid`.

The project is made from the template's release v1.0.0 with the example, Redis, Celery, Docker
and GitHub CI, then edited like a team would: an own setting and app in the settings, an own
route, an own service and variable in compose.yaml, an own CI step, an own README section, and
an own Django app (`notes`, a model, its migration, its test). Growing into a Hybrid must keep
every one of those lines, either merged or inside the conflict markers of a file it reports
(exit code 3); never dropped. The slow test then resolves the conflicts as a person would and
runs the project's own tests, the FastAPI side's schema drift test included (it must not report
the team's `notes` table, which the service does not map).

What moves: nothing, except the enrich example (io_fanout or ml_serving), whose endpoint leaves
Django for the service (`test_every_django_file_is_still_there_in_the_hybrid`). That is not the
same file under another path (Django's view becomes a FastAPI router), so Copier's `_migrations`
could not carry an edit across, and they would make every update need `--trust` (Copier counts
any applicable migration as unsafe). Instead `scaffold update` keeps a changed file the update
deletes, and lists it with the conflicts (`test_a_changed_enrich_example_is_kept_and_reported`).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sys
import time
from pathlib import Path

import pytest
from copier import run_copy

from scaffold_cli.update import has_conflict_markers
from tests import test_update
from tests.conftest import REPO_ROOT, SUPPORTED_COMBINATIONS, variant_id
from tests.helpers import run
from tests.test_update import (
    GIT_ENV,
    answers,
    commit_all,
    new_project,
    scaffold_update,
)

# test_update's fixtures: the template repository with its release, and the stand-in uv.
template = test_update.template
fake_uv = test_update.fake_uv

LIVED = (
    "include_example=true",
    "use_redis=true",
    "use_celery=true",
    "use_docker=true",
    "ci=github",
)
SLUG = "project"  # new_project() makes it in a folder named `project`

# The team's own Django app: a model, its migration, a view, and a test.
NOTES_APP = {
    "__init__.py": "",
    "apps.py": '''"""The team's notes: an app of our own, beside the template's."""

from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "project.notes"
    label = "notes"
''',
    "models.py": '''"""A note the team keeps."""

from django.db import models


class Note(models.Model):
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.title
''',
    "views.py": '''"""The notes, newest first, as JSON."""

from django.conf import settings
from django.http import HttpRequest, JsonResponse

from .models import Note


def note_list(request: HttpRequest) -> JsonResponse:
    titles = Note.objects.order_by("-id").values_list("title", flat=True)
    return JsonResponse({"notes": list(titles[: settings.NOTES_PER_PAGE])})
''',
    "migrations/__init__.py": "",
    "migrations/0001_initial.py": """from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Note",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                ("body", models.TextField(blank=True)),
            ],
        ),
    ]
""",
    "tests/__init__.py": "",
    "tests/test_notes.py": '''"""Our notes: stored, listed newest first, and their own string."""

import pytest
from django.test import Client

from project.notes.models import Note

pytestmark = pytest.mark.django_db


def test_the_notes_are_listed_newest_first(client: Client) -> None:
    Note.objects.create(title="Buy milk")
    Note.objects.create(title="Call Ann")
    assert client.get("/notes/").json() == {"notes": ["Call Ann", "Buy milk"]}


def test_a_note_reads_as_its_title() -> None:
    assert str(Note(title="Buy milk")) == "Buy milk"
''',
}

# Each edit: (file, the text it replaces, the text the team puts there). The replacement keeps
# the original text and adds the team's lines, which are what must survive the update.
SETTINGS = "config/settings/base.py"
EDITS: list[tuple[str, str, str]] = [
    (SETTINGS, f'    "{SLUG}.posts",\n]', f'    "{SLUG}.posts",\n    "{SLUG}.notes",\n]'),
    (
        "config/urls.py",
        '    path("admin/", admin.site.urls),',
        '    path("notes/", note_list, name="notes"),\n    path("admin/", admin.site.urls),',
    ),
    (
        "config/urls.py",
        f"from {SLUG}.users.api import TokenView",
        f"from {SLUG}.notes.views import note_list\nfrom {SLUG}.users.api import TokenView",
    ),
    (
        "compose.yaml",
        "    REDIS_URL: redis://redis:6379/0\n",
        '    REDIS_URL: redis://redis:6379/0\n    NOTES_PER_PAGE: "50"\n',
    ),
    (
        "compose.yaml",
        "\n  # HTTPS for DOMAIN,",
        "\n  # Our search engine.\n  search:\n    image: getmeili/meilisearch:v1.12\n"
        "    restart: unless-stopped\n\n  # HTTPS for DOMAIN,",
    ),
    (
        ".github/workflows/ci.yml",
        "        run: uv run pytest --cov --cov-report=term\n",
        "        run: uv run pytest --cov --cov-report=term\n"
        "      - name: Migrations are complete\n"
        "        run: uv run python manage.py makemigrations --check --dry-run\n",
    ),
    # Beside the intro the Hybrid rewrites: a conflict (resolved below).
    (
        "README.md",
        "environment, WhiteNoise and gunicorn.\n",
        "environment, WhiteNoise and gunicorn.\nWe run it for the Acme shop's orders.\n",
    ),
    (
        "README.md",
        "\n## Production\n",
        "\n## Our notes\n\nThe team's notes live at `/notes/`.\n\n## Production\n",
    ),
]
# Appended to the settings: the team's own setting.
OWN_SETTING = 'NOTES_PER_PAGE = env.int("NOTES_PER_PAGE", default=20)'


def team_lines() -> dict[str, list[str]]:
    """Per file, every line the team added: each must be in the updated file."""
    lines: dict[str, list[str]] = {SETTINGS: [OWN_SETTING]}
    for path, old, new in EDITS:
        added = [line for line in new.splitlines() if line.strip() and line not in old]
        lines.setdefault(path, []).extend(added)
    return lines


def lived_django_project(parent: Path) -> Path:
    """A committed Django project from v1.0.0, with the team's edits committed on top."""
    project = new_project(parent, *LIVED)
    for path, old, new in EDITS:
        file = project / path
        text = file.read_text()
        assert text.count(old) == 1, (path, old)
        file.write_text(text.replace(old, new))
    settings = project / SETTINGS
    settings.write_text(settings.read_text() + f"\n# Ours.\n{OWN_SETTING}\n")
    for name, text in NOTES_APP.items():
        file = project / SLUG / "notes" / name
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text)
    commit_all(project, "Our notes, our search, our CI step")
    return project


CONFLICT = re.compile(
    r"^<<<<<<< before updating\n(?P<ours>.*?)^=======\n(?P<theirs>.*?)^>>>>>>> after updating\n",
    re.MULTILINE | re.DOTALL,
)


def conflicts_listed(stderr: str) -> list[str]:
    """The paths on scaffold update's "need merging by hand" line."""
    listed = re.search(r"need merging by hand \(.*?\): (?P<paths>.+)$", stderr, re.MULTILINE)
    return listed["paths"].split(", ") if listed else []


def conflicts_in(project: Path, stderr: str) -> dict[str, list[tuple[str, str]]]:
    """The files the update reported as conflicts, with each conflict's (ours, theirs)."""
    reported = conflicts_listed(stderr)
    found = {}
    for path in reported:
        file = project / path
        if file.is_file():
            found[path] = [(m["ours"], m["theirs"]) for m in CONFLICT.finditer(file.read_text())]
    return found


def assert_nothing_dropped(project: Path, conflicted: set[str]) -> None:
    """Every line the team added is in its file: merged, or inside a reported conflict."""
    for path, lines in team_lines().items():
        text = (project / path).read_text()
        for line in lines:
            assert line in text, f"{path}: the team's line {line!r} was dropped"
        if has_conflict_markers(project / path):
            assert path in conflicted, f"{path} has conflict markers but was not reported"
    for name in NOTES_APP:
        assert (project / SLUG / "notes" / name).is_file(), name


# What growing into a Hybrid does to this project: the files the team also edited that merge
# cleanly, and the ones that conflict (the template changed the same lines).
MERGES_CLEANLY = {SETTINGS, "config/urls.py", "compose.yaml", ".github/workflows/ci.yml"}
EXPECTED_CONFLICTS = {"README.md"}


def test_a_lived_django_project_grows_into_a_hybrid_losing_no_edit(tmp_path, template) -> None:
    project = lived_django_project(tmp_path)
    guide = (project / "README.md").read_text()
    assert "### Growing into a Hybrid" in guide  # the path, documented in the project
    assert "uvx copier update --data framework=hybrid --defaults" in guide

    result = scaffold_update(project, "--data", "framework=hybrid")

    assert result.exit_code in (0, 3), result.output
    conflicted = set(conflicts_in(project, result.stderr))
    assert conflicted == EXPECTED_CONFLICTS, result.stderr
    assert result.exit_code == (3 if conflicted else 0)
    assert_nothing_dropped(project, conflicted)
    assert answers(project)["framework"] == "hybrid"
    service = project / f"{SLUG}_api"
    assert (service / "main.py").is_file()
    assert (service / "tests" / "test_schema_drift.py").is_file()
    assert (project / "deploy" / "nginx").is_dir()
    for path in MERGES_CLEANLY:
        assert not has_conflict_markers(project / path), path
    # The template's side of each merged file arrived too.
    assert 'SERVICE_DOCS_URL = env.str("SERVICE_DOCS_URL"' in (project / SETTINGS).read_text()


def resolve(project: Path, path: str) -> None:
    """Resolve each conflict as a person would: the template's new text, plus the team's
    own lines from their side."""
    team = set(team_lines().get(path, []))
    file = project / path

    def resolved(conflict: re.Match[str]) -> str:
        ours = [
            line for line in conflict["ours"].splitlines(keepends=True) if line.strip("\n") in team
        ]
        return conflict["theirs"] + "".join(ours)

    file.write_text(CONFLICT.sub(resolved, file.read_text()))
    assert not has_conflict_markers(file), path


@pytest.mark.smoke
def test_the_grown_hybrid_passes_its_tests_with_the_teams_app(tmp_path, template) -> None:
    started = time.monotonic()
    project = lived_django_project(tmp_path)
    result = scaffold_update(project, "--data", "framework=hybrid")
    assert result.exit_code == 3, result.output
    for path in conflicts_in(project, result.stderr):
        resolve(project, path)
    assert_nothing_dropped(project, set())
    commit_all(project, "Grown into a Hybrid")

    run(["uv", "sync", "--locked", "--quiet"], project)  # scaffold update re-locked it
    tests = run(["uv", "run", "pytest", "-v", "-p", "no:cacheprovider"], project).stdout
    for test in (
        f"{SLUG}/notes/tests/test_notes.py::test_the_notes_are_listed_newest_first",
        # The service's models match Django's migrated schema, the team's table aside.
        f"{SLUG}_api/tests/test_schema_drift.py::test_the_models_match_the_django_migrated_schema",
    ):
        assert re.search(rf"{re.escape(test)} PASSED|PASSED {re.escape(test)}", tests), test
    run(["uv", "run", "python", "manage.py", "makemigrations", "--check", "--dry-run"], project)
    print(f"grown and tested in {time.monotonic() - started:.0f} s")


def test_plain_copier_update_grows_it_the_same(tmp_path: Path, template) -> None:
    """Plain `copier update --data framework=hybrid --defaults` gives the same files."""
    by_scaffold = lived_django_project(tmp_path / "a")
    by_copier = lived_django_project(tmp_path / "b")

    assert scaffold_update(by_scaffold, "--data", "framework=hybrid").exit_code == 3
    run(
        [sys.executable, "-m", "copier", "update", "--data", "framework=hybrid", "--defaults"],
        by_copier,
        GIT_ENV,
    )

    assert_nothing_dropped(by_copier, {"README.md"})
    assert has_conflict_markers(by_copier / "README.md")
    # uv.lock aside: scaffold re-locks after pyproject.toml changed; with plain Copier the
    # person runs `uv lock` (the README says so).
    assert tree(by_copier) == tree(by_scaffold)


def tree(project: Path) -> dict[str, str]:
    """Every file of the project but uv.lock and git's own, by path, with a digest."""
    return {
        str(path.relative_to(project)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(project.rglob("*"))
        if path.is_file()
        and ".git" not in path.relative_to(project).parts
        and path.name != "uv.lock"
    }


def test_nothing_moves(tmp_path: Path, template) -> None:
    """Growing into a Hybrid adds and changes files but removes (or moves) none: no file of the
    Django project is missing from the Hybrid, so Copier needs no `_migrations`."""
    project = lived_django_project(tmp_path)
    before = set(tree(project))
    assert scaffold_update(project, "--data", "framework=hybrid").exit_code == 3
    after = tree(project)
    assert before <= set(after)
    added = sorted(set(after) - before)
    assert added
    new_places = (f"{SLUG}_api/", "deploy/nginx/", "deploy/k8s/base/api.yaml")
    assert all(path.startswith(new_places) for path in added), added


DJANGO_ROWS = [answers for answers in SUPPORTED_COMBINATIONS if answers["framework"] == "django"]


@pytest.mark.parametrize("row", DJANGO_ROWS, ids=variant_id)
def test_every_django_file_is_still_there_in_the_hybrid(tmp_path: Path, row) -> None:
    """For each Django variant we support, the Hybrid with the same answers has every path the
    Django project has: nothing to move, so nothing for `_migrations` to do."""
    source = tmp_path / "source"  # this checkout's template, uncommitted changes included
    source.mkdir()
    shutil.copy(REPO_ROOT / "copier.yml", source)
    shutil.copytree(REPO_ROOT / "template", source / "template")
    paths = {}
    for framework in ("django", "hybrid"):
        data = {"project_name": "Shop", **row, "framework": framework}
        run_copy(str(source), str(tmp_path / framework), data=data, defaults=True, quiet=True)
        paths[framework] = set(tree(tmp_path / framework))
    # The one thing that moves: with the enrich example, its endpoint leaves Django for the
    # service (`test_a_changed_enrich_example_is_kept_and_reported`).
    gone = {
        path for path in paths["django"] - paths["hybrid"] if not moves_to_the_service(path, "shop")
    }
    assert not gone, sorted(gone)


def moves_to_the_service(path: str, slug: str) -> bool:
    """The Django enrich example, replaced in a Hybrid by the service's `<slug>_api/enrich/`."""
    return path.startswith((f"{slug}/enrich/", f"{slug}/core/async_api.py"))


def test_a_changed_enrich_example_is_kept_and_reported(tmp_path: Path, template) -> None:
    """The enrich endpoint moves into the service, and Copier deletes Django's, changed or not:
    scaffold update keeps a changed one, as committed, and lists it to be dealt with."""
    project = new_project(tmp_path, "io_fanout=true")
    services = project / SLUG / "enrich" / "services.py"
    services.write_text(services.read_text() + "\n\ndef our_helper() -> int:\n    return 42\n")
    commit_all(project, "Our helper")

    result = scaffold_update(project, "--data", "framework=hybrid")

    assert result.exit_code == 3, result.output
    assert services.read_text().endswith("def our_helper() -> int:\n    return 42\n")
    assert f"scaffold: kept {SLUG}/enrich/services.py: the update deletes it" in result.stderr
    assert f"{SLUG}/enrich/services.py" in conflicts_listed(result.stderr)
    assert not (project / SLUG / "enrich" / "api.py").exists()  # unchanged: gone
    assert (project / f"{SLUG}_api" / "enrich" / "service.py").is_file()
