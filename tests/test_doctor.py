"""`scaffold doctor`: one test per finding, on real projects made from a two-release template.

The template repository, the project and the stand-in uv come from tests/test_update.py's
fixtures: a git repository of the template tagged v1.0.0 (and v2.0.0 after `release_v2`),
a committed Django project made from v1.0.0.
"""

# The fixtures are imported from tests/test_update.py and requested by name (F811 would call
# each request a redefinition).
# ruff: noqa: F811

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from scaffold_cli import doctor, source
from scaffold_cli.cli import app
from tests.test_update import (  # noqa: F401 - fixtures used by name
    commit_all,
    fake_uv,
    git,
    new_project,
    template,
)

runner = CliRunner()
# A Django project whose FastAPI side is strong but which prefers one application to run.
NEWSROOM = ("needs_admin=true", "renders_html=true", "io_fanout=true", "ml_serving=true")


def doctor_json(project: Path, *args: str) -> dict:
    result = runner.invoke(app, ["doctor", str(project), "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def doctor_text(project: Path, *args: str) -> str:
    result = runner.invoke(app, ["doctor", str(project), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


class TestTemplateRelease:
    def test_a_current_project(self, tmp_path: Path, template) -> None:
        project = new_project(tmp_path)
        report = doctor_json(project)["template"]
        assert report["source"] == str(template.path)
        assert report["release"] == "v1.0.0"
        assert report["newest"] == "v1.0.0"
        assert report["update_available"] is False
        assert report["checked"] == str(template.path)
        assert "nothing to update" in doctor_text(project)

    def test_a_newer_release(self, tmp_path: Path, template) -> None:
        project = new_project(tmp_path)
        template.release_v2()
        report = doctor_json(project)["template"]
        assert (report["newest"], report["update_available"]) == ("v2.0.0", True)
        assert "v2.0.0, exists: run `scaffold update`" in doctor_text(project)
        assert git(project, "status", "--porcelain") == ""  # the doctor changed nothing

    def test_an_unreachable_source_falls_back_to_the_bundled_releases(
        self, tmp_path: Path, template, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        project = new_project(tmp_path)
        template.release_v2()
        bundle = tmp_path / "releases.bundle"
        git(template.path, "bundle", "create", str(bundle), "--tags")
        monkeypatch.setattr(source, "release_bundle", lambda: bundle)
        moved = tmp_path / "moved"
        template.path.rename(moved)  # the recorded repository is gone
        report = doctor_json(project)["template"]
        assert (report["newest"], report["update_available"]) == ("v2.0.0", True)
        assert report["checked"].startswith("the releases bundled with scaffold")
        assert report["problem"].startswith(f"cannot reach {template.path}")
        offline = doctor_json(project, "--offline")["template"]
        assert offline["update_available"] is True
        assert offline["problem"] == ""  # asked for: not a problem

    def test_no_source_at_all_is_reported_not_fatal(
        self, tmp_path: Path, template, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        project = new_project(tmp_path)
        monkeypatch.setattr(source, "release_bundle", lambda: None)
        template.path.rename(tmp_path / "moved")
        report = doctor_json(project)
        assert report["template"]["newest"] is None
        assert report["template"]["update_available"] is None
        assert report["template"]["problem"].startswith("cannot reach")
        assert report["drift"]["git"] is True  # the rest was still checked
        assert "the newest release is unknown (cannot reach" in doctor_text(project)


class TestDecision:
    def test_the_stored_answers_still_fit(self, tmp_path: Path, template) -> None:
        project = new_project(tmp_path)
        report = doctor_json(project)["decision"]
        assert report["framework"] == "django"
        assert report["stored"]["framework"] == "django"
        assert report["changed"] is None
        assert report["advice"] == ""

    def test_changed_answers_that_grow_into_the_hybrid(self, tmp_path: Path, template) -> None:
        project = new_project(tmp_path, *NEWSROOM)
        assert doctor_json(project)["decision"]["stored"]["framework"] == "django"
        report = doctor_json(project, "--data", "ops_tolerance=many_services")["decision"]
        assert report["changed"]["framework"] == "hybrid"
        assert report["data"] == {"ops_tolerance": "many_services"}
        command = "scaffold update --data ops_tolerance=many_services --data framework=hybrid"
        assert report["advice"] == f"run `{command}`"
        text = doctor_text(project, "--data", "ops_tolerance=many_services")
        assert "Decision with ops_tolerance=many_services: Hybrid" in text
        assert command in text

    def test_a_move_without_an_update_path_says_so(self, tmp_path: Path, template) -> None:
        project = new_project(tmp_path)
        report = doctor_json(
            project, "--data", "api_first=true", "--data", "io_fanout=true",
            "--data", "realtime=true", "--data", "needs_admin=false",
        )["decision"]  # fmt: skip
        assert report["changed"]["framework"] == "fastapi"
        assert report["advice"].startswith(
            "no update gets there: cannot change framework from django to fastapi: "
        )

    @pytest.mark.parametrize(
        ("pair", "message"),
        [
            ("colour=blue", "unknown question 'colour'"),
            ("use_redis=true", "unknown question 'use_redis'"),  # not a decision question
            ("teams=lots", "'lots' is not one of one, few, many"),
            ("teams", "--data expects KEY=VALUE"),
        ],
    )
    def test_bad_data_is_one_line(self, tmp_path: Path, template, pair, message) -> None:
        project = new_project(tmp_path)
        result = runner.invoke(app, ["doctor", str(project), "--data", pair])
        assert result.exit_code == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("scaffold: error: ")
        assert message in lines[0]


class TestDrift:
    def test_a_clean_project(self, tmp_path: Path, template) -> None:
        project = new_project(tmp_path)
        drift = doctor_json(project)["drift"]
        assert drift == {"git": True, "uncommitted": [], "conflicts": [], "rejects": []}
        assert "Drift: none" in doctor_text(project)

    def test_uncommitted_changes(self, tmp_path: Path, template) -> None:
        project = new_project(tmp_path)
        (project / "Makefile").write_text("changed\n")
        (project / "notes.txt").write_text("new\n")
        drift = doctor_json(project)["drift"]
        assert drift["uncommitted"] == ["Makefile", "notes.txt"]
        assert "2 uncommitted change(s); commit them before updating: Makefile, notes.txt" in (
            doctor_text(project)
        )

    def test_conflict_markers_left_by_an_update(self, tmp_path: Path, template) -> None:
        project = new_project(tmp_path)
        makefile = project / "Makefile"
        makefile.write_text(makefile.read_text().replace("lint:", "lint: ## ours\nlint:", 1))
        commit_all(project, "Conflicting edit")
        template.release_v2()
        assert runner.invoke(app, ["update", str(project)]).exit_code == 3
        commit_all(project, "Update, with conflicts")  # committed as they were: still found
        drift = doctor_json(project)["drift"]
        assert drift["conflicts"] == ["Makefile"]
        assert drift["uncommitted"] == []
        assert "1 file(s) with conflict markers to resolve: Makefile" in doctor_text(project)

    def test_gits_own_markers_and_rejected_hunks(self, tmp_path: Path, template) -> None:
        project = new_project(tmp_path)
        (project / "merged.py").write_text("<<<<<<< HEAD\na = 1\n=======\na = 2\n>>>>>>> b\n")
        (project / "quoted.md").write_text("Copier writes `<<<<<<< before updating`.\n")
        (project / "only_start.txt").write_text("<<<<<<< a lone line\n")
        (project / "Makefile.rej").write_text("@@ -1 +1 @@\n")
        drift = doctor_json(project)["drift"]
        assert drift["conflicts"] == ["merged.py"]
        assert drift["rejects"] == ["Makefile.rej"]

    def test_not_a_git_repository(self, tmp_path: Path, template) -> None:
        project = new_project(tmp_path)
        subprocess.run(["rm", "-rf", str(project / ".git")], check=True)
        report = doctor_json(project)
        assert report["drift"] == {"git": False, "uncommitted": [], "conflicts": [], "rejects": []}
        assert report["template"]["update_available"] is False  # still checked
        assert "not a git repository" in doctor_text(project)


class TestRefusals:
    def test_not_a_generated_project(self, tmp_path: Path) -> None:
        result = runner.invoke(app, ["doctor", str(tmp_path)])
        assert result.exit_code == 2
        assert result.stderr.strip() == (
            f"scaffold: error: {tmp_path} was not generated by scaffold (no .copier-answers.yml)"
        )

    def test_not_a_directory(self, tmp_path: Path) -> None:
        result = runner.invoke(app, ["doctor", str(tmp_path / "missing")])
        assert result.exit_code == 2
        assert "is not a directory" in result.stderr

    @pytest.mark.parametrize(
        "text",
        ["_commit: [unclosed\n", "- a list\n", "_commit: v1\n_src_path: x\nframework: rails\n"],
    )
    def test_a_broken_answers_file(self, tmp_path: Path, text: str) -> None:
        (tmp_path / ".copier-answers.yml").write_text(text)
        result = runner.invoke(app, ["doctor", str(tmp_path), "--json"])
        assert result.exit_code == 2
        assert len(result.stderr.strip().splitlines()) == 1
        assert result.stdout == ""


def test_the_release_order_is_by_version_not_by_text() -> None:
    assert doctor.newest_release(["v1.9.0", "v1.10.0", "latest", "v1.10.0rc1"]) == "v1.10.0"
    assert doctor.newest_release(["latest"]) is None


def test_the_report_is_json_a_tool_can_read(tmp_path: Path, template) -> None:
    project = new_project(tmp_path)
    report = doctor_json(project)
    assert set(report) == {"project", "framework", "template", "decision", "drift"}
    assert (
        report["framework"]
        == yaml.safe_load((project / ".copier-answers.yml").read_text())["framework"]
    )
