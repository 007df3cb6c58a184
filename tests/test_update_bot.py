"""The weekly template-update job: its steps, run natively against a two-release template.

GitHub's workflow (.github/workflows/template-update.yml) and GitLab's job (`template-update`
in .gitlab-ci.yml) both run the generated project's scripts/template_update.py, then push the
branch it made and open the request. Here the script runs as the jobs run it, with scaffold
itself as `SCAFFOLD`, against a local template repository (tagged v1.0.0, then v2.0.0) and a
local bare repository as the project's remote; the push and the request (GitHub's and
GitLab's APIs) are the only steps not run.
"""

# The fixtures are imported from tests/test_update.py and requested by name (F811 would call
# each request a redefinition).
# ruff: noqa: F811

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.test_template import check, tool
from tests.test_update import (  # noqa: F401 - fixtures used by name
    LINT_LINE,
    commit_all,
    fake_uv,
    git,
    new_project,
    template,
)

SCRIPT = "scripts/template_update.py"
SCAFFOLD = str(Path(sys.executable).parent / "scaffold")


@pytest.fixture
def project(tmp_path: Path, template) -> Path:
    """A committed project (GitHub CI) whose `origin` is a bare repository, as on a forge."""
    project = new_project(tmp_path, "ci=github")
    origin = tmp_path / "origin.git"
    git(tmp_path, "clone", "--quiet", "--bare", str(project), str(origin))
    git(project, "remote", "add", "origin", str(origin))
    git(project, "fetch", "--quiet", "origin")
    return project


def update_job(project: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess, dict, str]:
    """The job's step, as the workflow runs it: (result, outputs, description)."""
    body, output = tmp_path / "body.md", tmp_path / "github-output"
    output.write_text("")
    result = subprocess.run(
        [sys.executable, SCRIPT, "--body", str(body), "--output", str(output)],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "SCAFFOLD": SCAFFOLD},
    )
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    return result, outputs, body.read_text() if body.exists() else ""


def test_a_current_project_gets_nothing(project: Path, tmp_path: Path) -> None:
    head = git(project, "rev-parse", "HEAD")
    result, outputs, body = update_job(project, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "on the newest template release (v1.0.0)" in result.stdout
    assert outputs == {}
    assert body == ""
    assert git(project, "branch", "--show-current").strip() == "main"
    assert git(project, "rev-parse", "HEAD") == head


def test_a_newer_release_becomes_a_branch_to_propose(
    project: Path, tmp_path: Path, template
) -> None:
    template.release_v2()
    result, outputs, body = update_job(project, tmp_path)
    assert result.returncode == 0, result.stderr
    assert outputs == {
        "branch": "template-update/v2.0.0",
        "title": "Update to template release v2.0.0",
        "conflicts": "0",
    }
    assert git(project, "branch", "--show-current").strip() == "template-update/v2.0.0"
    assert git(project, "status", "--porcelain") == ""  # everything is committed
    assert git(project, "log", "-1", "--format=%s").strip() == "Update to template release v2.0.0"
    changed = git(project, "diff", "--name-only", "main", "HEAD").split()
    assert {"CONTRIBUTING.md", "Makefile", ".copier-answers.yml"} <= set(changed)
    assert "release **v2.0.0**" in body
    assert "(it was on v1.0.0)" in body
    assert "No conflicts" in body
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"] == "v2.0.0"


def test_conflicts_are_committed_and_listed(project: Path, tmp_path: Path, template) -> None:
    makefile = project / "Makefile"
    makefile.write_text(makefile.read_text().replace(LINT_LINE, "lint: ## Our own lint help"))
    commit_all(project, "Conflicting edit")
    template.release_v2()
    result, outputs, body = update_job(project, tmp_path)
    assert result.returncode == 0, result.stderr
    assert outputs["conflicts"] == "1"
    assert "**1 file(s) have conflicts to resolve**" in body
    assert "- `Makefile`" in body
    committed = git(project, "show", "HEAD:Makefile")
    assert "<<<<<<< before updating" in committed
    assert "lint: ## Our own lint help" in committed  # the user's line is kept


def test_a_changed_file_the_release_deletes_is_listed(
    project: Path, tmp_path: Path, template
) -> None:
    """v2 deletes .pre-commit-config.yaml; changed here, `scaffold update` keeps it (no
    markers in it), and the description says so."""
    hooks = project / ".pre-commit-config.yaml"
    hooks.write_text(hooks.read_text() + "# our own hook settings\n")
    commit_all(project, "Our hooks")
    template.release_v2()
    result, outputs, body = update_job(project, tmp_path)
    assert result.returncode == 0, result.stderr
    assert outputs["conflicts"] == "1"
    assert "**1 file(s) this release deletes were changed here**" in body
    assert "- `.pre-commit-config.yaml`" in body
    assert "No conflicts" not in body
    assert "# our own hook settings" in git(project, "show", "HEAD:.pre-commit-config.yaml")


def test_a_release_already_proposed_is_not_proposed_again(
    project: Path, tmp_path: Path, template
) -> None:
    template.release_v2()
    assert update_job(project, tmp_path)[0].returncode == 0
    git(project, "push", "--quiet", "origin", "template-update/v2.0.0")  # the job's push
    git(project, "switch", "--quiet", "main")  # next week's run starts from main again
    head = git(project, "rev-parse", "HEAD")
    result, outputs, _ = update_job(project, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "template-update/v2.0.0 is already on origin" in result.stdout
    assert outputs == {}
    assert git(project, "rev-parse", "HEAD") == head


def test_a_failing_step_fails_the_job_in_one_line(project: Path, tmp_path: Path, template) -> None:
    template.release_v2()
    (project / "Makefile").write_text("uncommitted\n")
    result, outputs, _ = update_job(project, tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "template-update: the work tree has uncommitted changes; run this on a clean checkout"
    ]
    assert outputs == {}
    assert git(project, "branch", "--list", "template-update/*") == ""


def test_the_workflows_run_this_script(tmp_path: Path, template) -> None:
    """GitHub: weekly and by hand, least privilege, pinned actions, the script's outputs used;
    validated by actionlint, the workflow schema and zizmor. GitLab: a scheduled job only."""
    github = new_project(tmp_path / "gh", "ci=github")
    workflow_file = github / ".github" / "workflows" / "template-update.yml"
    check(tool("actionlint"), str(workflow_file), cwd=github)
    check(tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
          str(workflow_file), cwd=github)  # fmt: skip
    check(tool("zizmor"), "--offline", "--no-progress", str(workflow_file), cwd=github)
    workflow = yaml.safe_load(workflow_file.read_text())
    assert workflow[True] == {"schedule": [{"cron": "23 5 * * 1"}], "workflow_dispatch": None}
    assert workflow["permissions"] == {}
    job = workflow["jobs"]["propose"]
    assert job["permissions"] == {"contents": "write", "pull-requests": "write"}
    steps = {step.get("id", step.get("name", step.get("uses"))): step for step in job["steps"]}
    assert f"python {SCRIPT} --body" in steps["update"]["run"]
    assert '--output "$GITHUB_OUTPUT"' in steps["update"]["run"]
    assert SCRIPT in {str(p.relative_to(github)) for p in github.rglob("*.py")}

    gitlab = new_project(tmp_path / "gl", "ci=gitlab")
    jobs = yaml.safe_load((gitlab / ".gitlab-ci.yml").read_text())
    update = jobs["template-update"]
    assert update["rules"] == [
        {"if": '$CI_PIPELINE_SOURCE == "schedule" && $TEMPLATE_UPDATE == "1" && '
               "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}
    ]  # fmt: skip
    assert any(f"python {SCRIPT} --body" in line for line in update["script"])
    assert (gitlab / SCRIPT).is_file()
    assert not (gitlab / ".github").exists()

    none = new_project(tmp_path / "none", "ci=none")
    assert not (none / "scripts").exists()
