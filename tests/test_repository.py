"""This repository's own CI files stay valid and in step with the variant matrix."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import REPO_ROOT, SUPPORTED_COMBINATIONS, variant_id

WORKFLOW = REPO_ROOT / ".github" / "workflows" / "ci.yml"


def test_the_workflow_passes_actionlint() -> None:
    actionlint = Path(sys.executable).parent / "actionlint"
    result = subprocess.run(
        [str(actionlint), str(WORKFLOW)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_workflow_runs_one_job_per_supported_variant() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    variants = workflow["jobs"]["variant"]["strategy"]["matrix"]["variant"]
    assert variants == [variant_id(answers) for answers in SUPPORTED_COMBINATIONS]


def test_ci_run_calls_the_readme_test_command() -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    ci_run = (REPO_ROOT / ".ci" / "run").read_text()
    assert "uv run pytest" in readme
    assert "\nuv run pytest\n" in ci_run
