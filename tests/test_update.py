"""Updating generated projects: `scaffold update` and plain `copier update`.

Each test builds a real git repository of the template with tagged releases (offline), makes
a project from v1.0.0, commits it, edits it like a user, and updates it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from scaffold_cli import __version__, source
from scaffold_cli.cli import app
from scaffold_cli.source import TEMPLATE_ENV, public_url
from scaffold_cli.update import changed_paths, has_conflict_markers, knows, tag_names
from tests import fake_uv as fake_uv_module
from tests.conftest import REPO_ROOT
from tests.fake_uv import FakeUv
from tests.helpers import run

runner = CliRunner()
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_GLOBAL": "/dev/null",
}
LINT_LINE = "lint: ## Check style, formatting and types"


def git(cwd: Path, *args: str) -> str:
    return run(["git", *args], cwd, GIT_ENV).stdout


def commit_all(cwd: Path, message: str) -> None:
    git(cwd, "add", "-A")
    git(cwd, "commit", "-q", "-m", message)


class TemplateRepo:
    """A git repository holding the template, released with tags."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir()
        shutil.copy(REPO_ROOT / "copier.yml", path / "copier.yml")
        shutil.copytree(REPO_ROOT / "template", path / "template")
        git(path, "init", "-q", "-b", "main")
        commit_all(path, "v1")
        git(path, "tag", "v1.0.0")

    def release_v2(self) -> None:
        """Change a file, add one, remove one."""
        makefile = self.path / "template" / "Makefile.jinja"
        text = makefile.read_text().replace(
            LINT_LINE, "lint: ## Check style, formatting and imports"
        )
        makefile.write_text(text + "\ncheck: lint test ## Lint, then test\n")
        (self.path / "template" / "CONTRIBUTING.md").write_text("# Contributing\n")
        (self.path / "template" / ".pre-commit-config.yaml").unlink()
        commit_all(self.path, "v2")
        git(self.path, "tag", "v2.0.0")

    def release_v2_with_a_dependency_change(self) -> None:
        """Change pyproject.toml (a dependency's lower bound), as a release that bumps one."""
        pyproject = self.path / "template" / "pyproject.toml.jinja"
        text = pyproject.read_text()
        assert '"ruff>=0.8"' in text
        pyproject.write_text(text.replace('"ruff>=0.8"', '"ruff>=0.9"'))
        commit_all(self.path, "v2: ruff>=0.9")
        git(self.path, "tag", "v2.0.0")


@pytest.fixture(autouse=True)
def fake_uv(request, tmp_path_factory, monkeypatch: pytest.MonkeyPatch) -> FakeUv | None:
    """A stand-in uv answers `uv lock`, except in the smoke tests, which install for real."""
    if request.node.get_closest_marker("smoke"):
        return None
    return fake_uv_module.install(tmp_path_factory, monkeypatch)


@pytest.fixture
def template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TemplateRepo:
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    repo = TemplateRepo(tmp_path / "template-repo")
    monkeypatch.setenv(TEMPLATE_ENV, str(repo.path))
    return repo


def new_project(parent: Path, *data: str, framework: str = "django") -> Path:
    args = ["new", str(parent / "project"), "--defaults", "--framework", framework]
    for pair in data:
        args += ["--data", pair]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    project = parent / "project"
    git(project, "init", "-q", "-b", "main")
    commit_all(project, "Start from scaffold")
    return project


def scaffold_update(project: Path, *args: str):
    return runner.invoke(app, ["update", str(project), *args])


def answers(project: Path) -> dict:
    return yaml.safe_load((project / ".copier-answers.yml").read_text())


def test_the_project_records_where_to_update_from(tmp_path: Path, template) -> None:
    project = new_project(tmp_path)
    assert answers(project)["_src_path"] == str(template.path)
    assert answers(project)["_commit"] == "v1.0.0"


def test_a_project_from_the_shipped_template_records_the_public_repository(tmp_path, monkeypatch):
    monkeypatch.delenv(TEMPLATE_ENV, raising=False)
    assert runner.invoke(app, ["new", str(tmp_path / "p"), "--defaults"]).exit_code == 0
    recorded = answers(tmp_path / "p")
    assert recorded["_src_path"] == public_url()
    assert recorded["_src_path"].endswith(".git")
    assert recorded["_commit"] == f"v{__version__}"
    assert "site-packages" not in (tmp_path / "p" / ".copier-answers.yml").read_text()


def test_update_keeps_the_users_edits_and_applies_the_template(tmp_path, template) -> None:
    project = new_project(tmp_path)
    base = project / "config" / "settings" / "base.py"
    base.write_text(base.read_text() + "\nMY_SETTING = 42\n")  # the template never changes this
    makefile = project / "Makefile"
    makefile.write_text(makefile.read_text().replace("# Day-to-day", "# Our day-to-day", 1))
    commit_all(project, "My edits")
    template.release_v2()

    result = scaffold_update(project)

    assert result.exit_code == 0, result.output
    assert "v1.0.0 -> v2.0.0" in result.stdout
    assert base.read_text().endswith("MY_SETTING = 42\n")
    merged = makefile.read_text()
    assert merged.startswith("# Our day-to-day")  # the user's edit
    assert "Check style, formatting and imports" in merged  # the template's change
    assert "check: lint test" in merged
    assert (project / "CONTRIBUTING.md").is_file()
    assert not (project / ".pre-commit-config.yaml").exists()
    assert answers(project)["_commit"] == "v2.0.0"
    assert "<<<<<<<" not in merged


def test_a_conflict_is_marked_reported_and_loses_nothing(tmp_path: Path, template) -> None:
    project = new_project(tmp_path)
    makefile = project / "Makefile"
    makefile.write_text(makefile.read_text().replace(LINT_LINE, "lint: ## Our own lint help"))
    commit_all(project, "Conflicting edit")
    template.release_v2()

    result = scaffold_update(project)

    assert result.exit_code == 3, result.output
    assert "Makefile" in result.stderr
    merged = makefile.read_text()
    assert "<<<<<<< before updating" in merged
    assert "lint: ## Our own lint help" in merged  # the user's line is kept
    assert "Check style, formatting and imports" in merged  # next to the template's
    assert (project / "CONTRIBUTING.md").is_file()  # the rest of the update still applied


def test_a_changed_pyproject_is_relocked(tmp_path: Path, template, fake_uv: FakeUv) -> None:
    project = new_project(tmp_path)
    assert (project / "uv.lock").is_file()  # `scaffold new` locked it, and it was committed
    lock_before = (project / "uv.lock").read_text()
    template.release_v2_with_a_dependency_change()

    result = scaffold_update(project)

    assert result.exit_code == 0, result.output
    assert '"ruff>=0.9"' in (project / "pyproject.toml").read_text()
    assert [args for _, args in fake_uv.calls()] == ["lock", "lock"]  # new, then the update
    assert (project / "uv.lock").read_text() != lock_before
    assert "uv.lock was updated" in result.stdout
    assert "  uv.lock" in result.stdout.splitlines()  # listed with the changed files


def test_no_relock_when_pyproject_is_unchanged(tmp_path: Path, template, fake_uv) -> None:
    project = new_project(tmp_path)
    template.release_v2()  # Makefile and other files only
    result = scaffold_update(project)
    assert result.exit_code == 0, result.output
    assert len(fake_uv.calls()) == 1  # the lock `scaffold new` made
    assert "uv.lock" not in result.stdout


def test_no_lock_is_made_for_a_project_without_one(tmp_path: Path, template, fake_uv) -> None:
    project = new_project(tmp_path)
    git(project, "rm", "-q", "uv.lock")
    commit_all(project, "We do not keep a lock")
    template.release_v2_with_a_dependency_change()
    assert scaffold_update(project).exit_code == 0
    assert len(fake_uv.calls()) == 1
    assert not (project / "uv.lock").exists()


def test_a_failed_relock_warns_and_keeps_the_update(tmp_path, template, fake_uv, monkeypatch):
    project = new_project(tmp_path)
    template.release_v2_with_a_dependency_change()
    monkeypatch.setenv("FAKE_UV_FAIL", "1")
    result = scaffold_update(project)
    assert result.exit_code == 0, result.output
    assert '"ruff>=0.9"' in (project / "pyproject.toml").read_text()
    assert "scaffold: warning: pyproject.toml changed but uv.lock was not updated" in result.stderr
    assert "run `uv lock`" in result.stderr
    assert "Traceback" not in result.output


def test_a_changed_file_the_release_deletes_is_kept_and_reported(tmp_path, template) -> None:
    project = new_project(tmp_path)
    hooks = project / ".pre-commit-config.yaml"  # v2 no longer has it
    hooks.write_text(hooks.read_text() + "# our own hook\n")
    commit_all(project, "Our hook")
    template.release_v2()

    result = scaffold_update(project)

    assert result.exit_code == 3, result.output
    assert hooks.read_text().endswith("# our own hook\n")  # kept, as committed
    assert "scaffold: kept .pre-commit-config.yaml: the update deletes it, but you changed it" in (
        result.stderr
    )
    assert "need merging by hand" in result.stderr
    assert (project / "CONTRIBUTING.md").is_file()  # the rest of the update applied


def test_pretend_changes_nothing(tmp_path: Path, template) -> None:
    project = new_project(tmp_path)
    template.release_v2()
    result = scaffold_update(project, "--pretend")
    assert result.exit_code == 0, result.output
    assert "nothing was changed" in result.stdout
    assert git(project, "status", "--porcelain") == ""
    assert not (project / "CONTRIBUTING.md").exists()


def test_plain_copier_update_does_the_same(tmp_path: Path, template) -> None:
    project = new_project(tmp_path)
    makefile = project / "Makefile"
    makefile.write_text(makefile.read_text().replace("# Day-to-day", "# Our day-to-day", 1))
    commit_all(project, "My edit")
    template.release_v2()

    run([sys.executable, "-m", "copier", "update", "--defaults"], project, GIT_ENV)

    merged = makefile.read_text()
    assert merged.startswith("# Our day-to-day")
    assert "check: lint test" in merged
    assert (project / "CONTRIBUTING.md").is_file()
    assert not (project / ".pre-commit-config.yaml").exists()


def test_a_feature_turned_on_later_brings_its_files(tmp_path: Path, template) -> None:
    project = new_project(tmp_path, "include_example=false")
    base = project / "config" / "settings" / "base.py"
    base.write_text(base.read_text() + "\nMY_SETTING = 42\n")
    commit_all(project, "My edit")

    result = scaffold_update(project, "--data", "include_example=true")

    assert result.exit_code == 0, result.output
    assert (project / answers(project)["project_slug"] / "posts" / "models.py").is_file()
    assert '.posts",' in base.read_text()  # the template's INSTALLED_APPS change
    assert base.read_text().endswith("MY_SETTING = 42\n")  # the user's edit
    assert answers(project)["include_example"] is True


@pytest.mark.smoke
def test_the_project_still_passes_its_tests_after_turning_a_feature_on(tmp_path, template):
    project = new_project(tmp_path, "include_example=false")
    assert scaffold_update(project, "--data", "include_example=true").exit_code == 0
    run(["uv", "sync", "--quiet"], project)
    run(["uv", "run", "pytest", "-q", "-p", "no:cacheprovider"], project)


class TestRefusals:
    def test_not_a_generated_project(self, tmp_path: Path, template) -> None:
        folder = tmp_path / "other"
        folder.mkdir()
        git(folder, "init", "-q")
        result = scaffold_update(folder)
        assert result.exit_code == 2
        assert "not generated by scaffold" in result.stderr

    def test_not_a_git_repository(self, tmp_path: Path, template) -> None:
        assert runner.invoke(app, ["new", str(tmp_path / "p"), "--defaults"]).exit_code == 0
        result = scaffold_update(tmp_path / "p")
        assert result.exit_code == 2
        assert "not a git repository" in result.stderr

    def test_a_dirty_work_tree(self, tmp_path: Path, template) -> None:
        project = new_project(tmp_path)
        template.release_v2()
        (project / "Makefile").write_text("uncommitted\n")
        result = scaffold_update(project)
        assert result.exit_code == 2
        assert "uncommitted changes" in result.stderr
        assert (project / "Makefile").read_text() == "uncommitted\n"
        assert not (project / "CONTRIBUTING.md").exists()

    def test_a_downgrade(self, tmp_path: Path, template) -> None:
        project = new_project(tmp_path)
        template.release_v2()
        assert scaffold_update(project).exit_code == 0
        commit_all(project, "Update to v2")
        before = git(project, "rev-parse", "HEAD")
        result = scaffold_update(project, "--vcs-ref", "v1.0.0")
        assert result.exit_code == 2
        assert "downgrading" in result.stderr.lower()
        assert git(project, "status", "--porcelain") == ""
        assert git(project, "rev-parse", "HEAD") == before

    def test_an_unknown_answer_key(self, tmp_path: Path, template) -> None:
        project = new_project(tmp_path)
        result = scaffold_update(project, "--data", "colour=blue")
        assert result.exit_code == 2
        assert "unknown question" in result.stderr
        assert git(project, "status", "--porcelain") == ""


class TestFrameworkChanges:
    """Django grows into a Hybrid (tests/test_grow_hybrid.py); every other change of framework
    would hand the schema to another owner or delete a side, and is refused in one line with
    nothing changed."""

    @pytest.mark.parametrize(
        ("old", "new", "reason"),
        [
            (
                "fastapi",
                "hybrid",
                "owned by Alembic and the SQLModel models now and would be "
                "owned by Django's migrations (the FastAPI service only maps Django's tables)",
            ),
            ("fastapi", "django", "owned by Alembic and the SQLModel models now"),
            ("django", "fastapi", "owned by Django's migrations now"),
            ("hybrid", "fastapi", "would be owned by Alembic and the SQLModel models"),
            ("hybrid", "django", "it would delete the FastAPI service"),
        ],
    )
    def test_a_change_without_a_sound_path_is_refused(self, tmp_path, template, old, new, reason):
        project = new_project(tmp_path, framework=old)
        head = git(project, "rev-parse", "HEAD")
        template.release_v2()  # a newer release is there to update to: still refused

        line = refused(
            scaffold_update(project, "--data", f"framework={new}"),
            f"cannot change framework from {old} to {new}: ",
            reason,
        )

        if new != "django" or old != "hybrid":
            assert f"generate a {new} project with `scaffold new`" in line
        assert git(project, "status", "--porcelain", "--untracked-files=all") == ""
        assert git(project, "rev-parse", "HEAD") == head
        assert answers(project)["framework"] == old
        guide = (project / "README.md").read_text()  # says why, before anyone tries
        assert "### Changing the framework" in guide or "### Growing into a Hybrid" in guide
        assert "refuse" in guide

    def test_the_same_framework_again_is_no_change(self, tmp_path, template) -> None:
        project = new_project(tmp_path, framework="fastapi")
        template.release_v2()
        result = scaffold_update(project, "--data", "framework=fastapi")
        assert result.exit_code == 0, result.output
        assert answers(project)["_commit"] == "v2.0.0"


def fake_project(path: Path) -> Path:
    """A folder that looks generated (an answers file naming a source and a release)."""
    path.mkdir()
    (path / ".copier-answers.yml").write_text(
        "_commit: v1.0.0\n_src_path: https://x.invalid/t\nframework: django\n"
    )
    return path


class TestGitFailures:
    """Each git failure says what it is, in one line: git missing, not a repository, other."""

    def test_git_missing_from_path(self, tmp_path: Path) -> None:
        project = fake_project(tmp_path / "project")
        scaffold = Path(sys.executable).parent / "scaffold"
        no_git = tmp_path / "bin"  # an empty PATH entry: no git (the script names its Python)
        no_git.mkdir()
        result = subprocess.run(
            [str(scaffold), "update", str(project)],
            env={"PATH": str(no_git), "HOME": str(tmp_path)},
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode != 0
        assert "Traceback" not in result.stdout + result.stderr
        assert result.stderr.splitlines() == [
            "scaffold: error: git is not installed (not found on PATH); scaffold update needs it"
        ]

    def test_not_a_repository(self, tmp_path: Path) -> None:
        project = fake_project(tmp_path / "project")
        result = scaffold_update(project)
        assert result.exit_code == 2
        assert result.stderr.strip() == (
            f"scaffold: error: {project} is not a git repository; run `git init` and commit first"
        )

    def test_another_git_failure_gives_gits_own_words(self, tmp_path, monkeypatch) -> None:
        for name, value in GIT_ENV.items():
            monkeypatch.setenv(name, value)
        project = fake_project(tmp_path / "project")
        git(project, "init", "-q")
        commit_all(project, "Start")
        (project / ".git" / "index").write_bytes(b"not an index")
        result = scaffold_update(project)
        assert result.exit_code == 1
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith(f"scaffold: error: git status failed in {project}: ")
        assert "index" in lines[0] or "signature" in lines[0]


def test_changed_paths_come_through_as_they_are(tmp_path: Path, monkeypatch) -> None:
    """Spaces, quotes, non-ASCII names and renames, read from `git status --porcelain -z`."""
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "old name.txt").write_text("kept\n")
    (repo / "plain.txt").write_text("plain\n")
    commit_all(repo, "Start")
    git(repo, "mv", "old name.txt", "new name.txt")
    (repo / "plain.txt").write_text("changed\n")
    (repo / "sub dir").mkdir()
    (repo / "sub dir" / 'quote " and é.txt').write_text("new\n")
    assert sorted(changed_paths(repo)) == [
        "new name.txt",
        "plain.txt",
        'sub dir/quote " and é.txt',
    ]


def test_only_whole_marker_lines_are_conflicts(tmp_path: Path) -> None:
    """A README that quotes the marker (the generated one does) is not a conflict."""
    quoting = tmp_path / "README.md"
    quoting.write_text("Look for (`<<<<<<< before updating`) and resolve.\n")
    conflict = tmp_path / "Makefile"
    conflict.write_text("<<<<<<< before updating\nmine\n=======\ntheirs\n>>>>>>> after updating\n")
    assert not has_conflict_markers(quoting)
    assert has_conflict_markers(conflict)
    assert not has_conflict_markers(tmp_path / "deleted")
    assert not has_conflict_markers(tmp_path)


class TestBundledReleases:
    """The releases shipped inside scaffold (a git bundle) serve an update when the recorded
    repository cannot, or when asked with --offline; the project keeps recording the
    repository."""

    @staticmethod
    def bundle(template: TemplateRepo, monkeypatch, *refs: str) -> Path:
        """Bundle the template repository's tags (or `refs`), as the wheel build does."""
        path = template.path.parent / "releases.bundle"
        git(template.path, "bundle", "create", "-q", str(path), *(refs or ["--tags=v*"]))
        monkeypatch.setattr(source, "release_bundle", lambda: path)
        return path

    @staticmethod
    def edited_project(tmp_path: Path) -> Path:
        project = new_project(tmp_path)
        makefile = project / "Makefile"
        makefile.write_text(makefile.read_text().replace("# Day-to-day", "# Our day-to-day", 1))
        commit_all(project, "My edit")
        return project

    @staticmethod
    def assert_updated_to_v2(project: Path, recorded: str) -> None:
        merged = (project / "Makefile").read_text()
        assert merged.startswith("# Our day-to-day")  # the user's edit
        assert "check: lint test" in merged  # the template's change
        assert (project / "CONTRIBUTING.md").is_file()
        assert answers(project)["_commit"] == "v2.0.0"
        assert answers(project)["_src_path"] == recorded  # never the temporary clone

    def test_an_unreachable_repository_falls_back_to_the_bundle(
        self, tmp_path, template, monkeypatch
    ):
        project = self.edited_project(tmp_path)
        unreachable = "https://git.invalid/scaffold.git"  # moved, or no network
        recorded = answers(project) | {"_src_path": unreachable}
        (project / ".copier-answers.yml").write_text(yaml.safe_dump(recorded, sort_keys=False))
        commit_all(project, "The repository's public address")
        template.release_v2()
        self.bundle(template, monkeypatch)

        result = scaffold_update(project)

        assert result.exit_code == 0, result.output
        [notice] = result.stderr.splitlines()
        assert notice.startswith(f"scaffold: cannot reach {unreachable} (fatal: ")
        assert notice.endswith("); using the releases bundled with scaffold")
        self.assert_updated_to_v2(project, unreachable)

    def test_a_tag_missing_from_the_repository_is_taken_from_the_bundle(
        self, tmp_path, template, monkeypatch
    ):
        project = self.edited_project(tmp_path)
        template.release_v2()
        self.bundle(template, monkeypatch)
        git(template.path, "tag", "-d", "v1.0.0")

        result = scaffold_update(project)

        assert result.exit_code == 0, result.output
        assert f"{template.path} has no release v1.0.0; using the releases" in result.stderr
        self.assert_updated_to_v2(project, str(template.path))

    def test_offline_never_asks_the_repository(self, tmp_path, template, monkeypatch):
        project = self.edited_project(tmp_path)
        template.release_v2()
        self.bundle(template, monkeypatch)
        (template.path / "template" / "LATER.md").write_text("only in the repository\n")
        commit_all(template.path, "v3")
        git(template.path, "tag", "v3.0.0")

        result = scaffold_update(project, "--offline")

        assert result.exit_code == 0, result.output
        assert result.stderr == ""
        self.assert_updated_to_v2(project, str(template.path))
        assert not (project / "LATER.md").exists()  # v3 is not in the bundle

    def test_plain_copier_update_still_uses_the_repository(self, tmp_path, template, monkeypatch):
        project = self.edited_project(tmp_path)
        template.release_v2()
        self.bundle(template, monkeypatch)
        assert scaffold_update(project, "--offline").exit_code == 0
        commit_all(project, "Update to v2 offline")
        (template.path / "template" / "LATER.md").write_text("only in the repository\n")
        commit_all(template.path, "v3")
        git(template.path, "tag", "v3.0.0")

        run([sys.executable, "-m", "copier", "update", "--defaults"], project, GIT_ENV)

        assert (project / "LATER.md").is_file()
        assert answers(project)["_commit"] == "v3.0.0"


def refused(result, *fragments: str) -> str:
    """The command failed with exactly one line on stderr, holding every fragment."""
    assert result.exit_code not in (0, 3), result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("scaffold: error: ")
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


class TestEveryFailureIsOneLine:
    """Cause and way out, in one line; the project as it was."""

    def unchanged(self, project: Path, head: str) -> None:
        assert git(project, "status", "--porcelain", "--untracked-files=all") == ""
        assert git(project, "rev-parse", "HEAD") == head

    def test_offline_without_bundled_releases(self, tmp_path, template, monkeypatch):
        project = new_project(tmp_path)
        head = git(project, "rev-parse", "HEAD")
        template.release_v2()
        monkeypatch.setattr(source, "release_bundle", lambda: None)
        result = scaffold_update(project, "--offline")
        refused(result, "carries no bundled releases", "update without --offline")
        self.unchanged(project, head)

    def test_unreachable_and_no_bundle(self, tmp_path, template, monkeypatch):
        project = new_project(tmp_path)
        head = git(project, "rev-parse", "HEAD")
        monkeypatch.setattr(source, "release_bundle", lambda: None)
        shutil.rmtree(template.path)
        result = scaffold_update(project)
        refused(result, f"cannot reach {template.path}", "no bundled releases", "network")
        self.unchanged(project, head)

    def test_the_release_is_unknown_to_both(self, tmp_path, template, monkeypatch):
        project = new_project(tmp_path)
        head = git(project, "rev-parse", "HEAD")
        template.release_v2()
        TestBundledReleases.bundle(template, monkeypatch, "refs/tags/v2.0.0")
        git(template.path, "tag", "-d", "v1.0.0")
        result = scaffold_update(project)
        refused(result, "has no release v1.0.0", "lack v1.0.0 too", "includes v1.0.0")
        self.unchanged(project, head)

    def test_offline_and_the_release_is_not_bundled(self, tmp_path, template, monkeypatch):
        project = new_project(tmp_path)
        template.release_v2()
        TestBundledReleases.bundle(template, monkeypatch, "refs/tags/v2.0.0")
        result = scaffold_update(project, "--offline")
        refused(result, "v1.0.0 is not among the releases bundled", "without --offline")

    def test_an_unreadable_bundle(self, tmp_path, template, monkeypatch):
        project = new_project(tmp_path)
        head = git(project, "rev-parse", "HEAD")
        broken = tmp_path / "releases.bundle"
        broken.write_text("not a bundle\n")
        monkeypatch.setattr(source, "release_bundle", lambda: broken)
        result = scaffold_update(project, "--offline")
        refused(result, "bundled with scaffold cannot be read", "reinstall scaffold")
        self.unchanged(project, head)

    def test_an_unknown_target_release(self, tmp_path, template):
        project = new_project(tmp_path)
        head = git(project, "rev-parse", "HEAD")
        template.release_v2()
        refused(
            scaffold_update(project, "--vcs-ref", "v9.9.9"),
            f"{template.path} has no release v9.9.9 (newest: v2.0.0, v1.0.0)",
            "leave out --vcs-ref",
        )
        self.unchanged(project, head)

    def test_git_failing_half_way_is_one_line_and_undone(self, tmp_path, template, monkeypatch):
        import copier
        from plumbum import ProcessExecutionError

        project = new_project(tmp_path)
        head = git(project, "rev-parse", "HEAD")
        template.release_v2()

        def half_way(dst_path, **_kwargs):  # wrote a file, then git failed (a dropped network)
            (Path(dst_path) / "Makefile").write_text("half-written\n")
            (Path(dst_path) / "NEW.md").write_text("new\n")
            stderr = "Cloning into 'x'...\nfatal: unable to access 'https://h/': timed out\n"
            raise ProcessExecutionError(["git", "clone", "--mirror"], 128, "", stderr)

        monkeypatch.setattr(copier, "run_update", half_way)
        line = refused(scaffold_update(project), "git clone --mirror: fatal: unable to access")
        assert line.endswith(
            "or run `scaffold update --offline` to use the releases bundled with scaffold"
        )
        self.unchanged(project, head)

    def test_the_old_release_failing_to_render_is_one_line_and_undone(
        self, tmp_path, template, monkeypatch
    ):
        import copier
        from copier.errors import CopierError

        project = new_project(tmp_path)
        hooks = project / ".pre-commit-config.yaml"  # changed, and v2 deletes it
        hooks.write_text(hooks.read_text() + "# our own hook\n")
        commit_all(project, "Our hook")
        head = git(project, "rev-parse", "HEAD")
        template.release_v2()

        def broken(*_args, **_kwargs):
            raise CopierError("the template cannot be rendered\nmore detail")

        monkeypatch.setattr(copier, "run_copy", broken)
        refused(
            scaffold_update(project),
            "cannot make release v1.0.0 again to tell which deleted files you changed: "
            "the template cannot be rendered",
        )
        self.unchanged(project, head)

    def test_the_existing_refusals_are_one_line_too(self, tmp_path, template) -> None:
        project = new_project(tmp_path)
        (project / "Makefile").write_text("uncommitted\n")
        refused(scaffold_update(project), "uncommitted changes", "commit or stash")
        other = tmp_path / "other"
        other.mkdir()
        refused(scaffold_update(other), "not generated by scaffold")


def test_tag_names_and_known_releases() -> None:
    listing = "a\trefs/tags/v1.0.0\na\trefs/tags/v1.0.0^{}\nb refs/tags/v2.0.0\nc refs/heads/m\n"
    tags = tag_names(listing)
    assert tags == {"v1.0.0", "v2.0.0"}
    assert knows(tags, "v1.0.0")
    assert knows(tags, "v2.0.0-3-gabc1234")  # Copier's record of a commit past a tag
    assert not knows(tags, "v3.0.0")
    assert not knows(tags, "abc1234")
