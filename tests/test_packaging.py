"""`pip install` of the built wheel alone gives a working `scaffold new` (template inside)."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.helpers import run

pytestmark = pytest.mark.smoke


def test_the_wheel_carries_the_template_and_renders(tmp_path: Path) -> None:
    run(["uv", "build", "--wheel", "--out-dir", str(tmp_path / "dist"), str(REPO_ROOT)], tmp_path)
    wheel = next((tmp_path / "dist").glob("scaffold_cli-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "scaffold_cli/_template/copier.yml" in names
    assert any(n.startswith("scaffold_cli/_template/template/") for n in names)

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], tmp_path)
    run(["uv", "pip", "install", "--python", str(venv / "bin" / "python"), str(wheel)], tmp_path)
    elsewhere = tmp_path / "elsewhere"  # far from the source checkout
    elsewhere.mkdir()
    run(
        [str(venv / "bin" / "scaffold"), "new", "demo", "--defaults", "--framework", "fastapi"],
        elsewhere,
    )
    assert (elsewhere / "demo" / "demo" / "main.py").is_file()
