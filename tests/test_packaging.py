"""`pip install` of the built wheel alone gives a working `scaffold new` (template inside)."""

from __future__ import annotations

import os
import sys
import zipfile
from pathlib import Path

import pytest

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
