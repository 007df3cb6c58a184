"""The built wheel: `pip install` alone gives a working `scaffold new` (template inside), and
a newer wheel updates the projects an older one generated, offline (its bundled releases)."""

from __future__ import annotations

import os
import shutil
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO_ROOT
from tests.helpers import run

pytestmark = pytest.mark.smoke

EXPECTED = {
    "django": ["manage.py", "demo/posts/models.py"],
    "fastapi": ["demo/main.py", "demo/posts/router.py", "alembic.ini"],
    "hybrid": ["manage.py", "demo/posts/models.py", "demo_api/main.py", "demo_api/posts/router.py"],
}


def test_the_wheel_carries_the_template_and_renders(tmp_path: Path) -> None:
    run(["uv", "build", "--wheel", "--out-dir", str(tmp_path / "dist"), str(REPO_ROOT)], tmp_path)
    wheel = next((tmp_path / "dist").glob("scaffold_cli-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "scaffold_cli/_template/copier.yml" in names
    assert any(n.startswith("scaffold_cli/_template/template/") for n in names)

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], tmp_path)
    # As pip does by default: byte-compile every .py file, the template's own included, so
    # __pycache__ folders sit beside the template's files in site-packages.
    python = str(venv / "bin" / "python")
    run(["uv", "pip", "install", "--compile-bytecode", "--python", python, str(wheel)], tmp_path)
    installed = next((venv / "lib").glob("python*/site-packages/scaffold_cli/_template/template"))
    assert any(installed.rglob("__pycache__")), "the check below would prove nothing"

    elsewhere = tmp_path / "elsewhere"  # far from the source checkout
    elsewhere.mkdir()
    for framework in ("django", "fastapi", "hybrid"):
        command = [str(venv / "bin" / "scaffold"), "new", framework, "--defaults"]
        run([*command, "--framework", framework, "--data", "project_name=Demo"], elsewhere)
        project = elsewhere / framework
        for path in EXPECTED[framework]:
            assert (project / path).is_file(), f"{framework}: {path} is missing"
        if framework != "fastapi":  # the wheel keeps manage.py's executable bit
            assert os.access(project / "manage.py", os.X_OK), f"{framework}: manage.py mode"
        caches = [p for p in project.rglob("*") if p.name == "__pycache__" or p.suffix == ".pyc"]
        assert not caches, f"{framework}: Python caches copied from site-packages: {caches[:3]}"


# The public repository every project generated from a wheel records (pyproject.toml).
PUBLIC_URL = "https://github.com/scaffold-dev/scaffold.git"
NO_NETWORK_FOR_GIT = {
    # git may only use local files: the public repository cannot answer, whatever the network.
    "GIT_ALLOW_PROTOCOL": "file",
    "HTTPS_PROXY": "http://127.0.0.1:9",  # a closed port, in case a transport slips through
    "HTTP_PROXY": "http://127.0.0.1:9",
    "https_proxy": "http://127.0.0.1:9",
    "http_proxy": "http://127.0.0.1:9",
}
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_GLOBAL": "/dev/null",
}
RELEASE_LINE = "This line arrived with release 0.2.0."


def git(cwd: Path, *args: str) -> str:
    return run(["git", *args], cwd, GIT_ENV).stdout


def release(repo: Path, version: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"Release {version}")
    git(repo, "tag", f"v{version}")


def checkout_copy(target: Path) -> Path:
    """This checkout's files (tracked, or new and not ignored), in a repository of their own."""
    listed = git(REPO_ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in sorted(set(filter(None, listed.split("\0")))):
        path = REPO_ROOT / name
        if path.is_file():  # a file deleted but not yet committed is skipped
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target / name)
    git(target, "init", "-q", "-b", "main")
    return target


def bundled_tags(wheel: Path, tmp_path: Path) -> list[str]:
    bundle = tmp_path / "releases.bundle"
    bundle.write_bytes(zipfile.ZipFile(wheel).read("scaffold_cli/_template/releases.bundle"))
    heads = git(tmp_path, "bundle", "list-heads", str(bundle)).splitlines()
    return sorted(line.split()[1] for line in heads)


def test_an_offline_update_from_a_newer_wheel_keeps_the_users_edits(tmp_path: Path) -> None:
    """The Done-when case: wheel 1 generates, wheel 2 updates, git cannot reach the network."""
    repo = checkout_copy(tmp_path / "repo")
    version = tomllib.loads((repo / "pyproject.toml").read_text())["project"]["version"]
    assert version != "0.2.0"
    release(repo, version)
    run(["uv", "build", "--wheel", "--out-dir", str(tmp_path / "dist1"), str(repo)], tmp_path)
    [wheel1] = (tmp_path / "dist1").glob("*.whl")

    # Release 0.2.0: a visible template change, the version bumped (it lives in pyproject.toml).
    readme = repo / "template" / "README.md.jinja"
    assert "{{ description }}\n" in readme.read_text()
    readme.write_text(
        readme.read_text().replace(
            "{{ description }}\n", f"{{{{ description }}}}\n\n{RELEASE_LINE}\n", 1
        )
    )
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace(f'version = "{version}"', 'version = "0.2.0"', 1)
    )
    release(repo, "0.2.0")
    # Through an sdist, as `uv build` does by default: the sdist must carry the bundle.
    run(["uv", "build", "--out-dir", str(tmp_path / "dist2"), str(repo)], tmp_path)
    [wheel2] = (tmp_path / "dist2").glob("*.whl")
    assert bundled_tags(wheel2, tmp_path) == [f"refs/tags/v{version}", "refs/tags/v0.2.0"]
    assert wheel2.stat().st_size < 3_000_000, "the bundle should stay small"

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], tmp_path)
    python = str(venv / "bin" / "python")
    scaffold = str(venv / "bin" / "scaffold")
    run(["uv", "pip", "install", "--offline", "--python", python, str(wheel1)], tmp_path)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run([scaffold, "new", "project", "--defaults", "--no-lock"], elsewhere)
    project = elsewhere / "project"
    answers_file = project / ".copier-answers.yml"
    recorded = yaml.safe_load(answers_file.read_text())
    assert (recorded["_src_path"], recorded["_commit"]) == (PUBLIC_URL, f"v{version}")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Start from scaffold")
    user_line = "Our own notes, kept across updates."
    (project / "README.md").write_text((project / "README.md").read_text() + f"\n{user_line}\n")
    git(project, "commit", "-q", "-am", "My edit")

    run(["uv", "pip", "install", "--offline", "--python", python, str(wheel2)], tmp_path)
    assert run([scaffold, "--version"], tmp_path).stdout.strip() == "scaffold 0.2.0"
    result = run([scaffold, "update", str(project)], tmp_path, NO_NETWORK_FOR_GIT)

    assert result.stderr.startswith(f"scaffold: cannot reach {PUBLIC_URL} ("), result.stderr
    assert "using the releases bundled with scaffold" in result.stderr
    text = (project / "README.md").read_text()
    assert RELEASE_LINE in text  # the template's change arrived
    assert text.endswith(f"\n{user_line}\n")  # the user's edit is kept
    assert "<<<<<<< before updating" not in text.splitlines()  # (the README quotes it)
    recorded = yaml.safe_load(answers_file.read_text())
    assert recorded["_commit"] == "v0.2.0"
    assert recorded["_src_path"] == PUBLIC_URL  # plain `copier update` still uses it


def test_a_build_outside_git_succeeds_without_a_bundle(tmp_path: Path) -> None:
    """An unpacked source tree with no git history (and no sdist bundle) still builds."""
    tree = checkout_copy(tmp_path / "tree")
    shutil.rmtree(tree / ".git")
    run(["uv", "build", "--wheel", "--out-dir", str(tmp_path / "dist"), str(tree)], tmp_path)
    [wheel] = (tmp_path / "dist").glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "scaffold_cli/_template/copier.yml" in names
    assert not any(name.endswith("releases.bundle") for name in names)
