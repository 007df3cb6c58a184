"""A stand-in `uv` on PATH, so the command-line tests neither resolve nor download anything.

`uv lock` writes a uv.lock whose content follows pyproject.toml (so a changed pyproject.toml
gives a changed lock), and every call is logged as "<cwd> <args>" for the tests to read.
FAKE_UV_FAIL=1 makes it fail as uv does; FAKE_UV_SLEEP=N makes it hang N seconds first.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

SCRIPT = """#!{python}
import hashlib, os, pathlib, sys, time
with open({log!r}, "a") as log:
    log.write(os.getcwd() + " " + " ".join(sys.argv[1:]) + "\\n")
time.sleep(float(os.environ.get("FAKE_UV_SLEEP", "0")))
if os.environ.get("FAKE_UV_FAIL"):
    print("  x No solution found when resolving dependencies:", file=sys.stderr)
    print("error: Failed to fetch: `https://pypi.org/simple/django/`", file=sys.stderr)
    print("  Caused by: dns error", file=sys.stderr)
    sys.exit(2)
if sys.argv[1:2] == ["lock"]:
    digest = hashlib.sha256(pathlib.Path("pyproject.toml").read_bytes()).hexdigest()
    pathlib.Path("uv.lock").write_text("# fake lock of pyproject.toml " + digest + "\\n")
"""


class FakeUv:
    def __init__(self, folder: Path) -> None:
        self.log = folder / "calls.log"
        self.log.touch()
        self.path = folder / "uv"
        self.path.write_text(SCRIPT.format(python=sys.executable, log=str(self.log)))
        self.path.chmod(self.path.stat().st_mode | stat.S_IXUSR)

    def calls(self) -> list[tuple[Path, str]]:
        """(folder, arguments) of each call, oldest first."""
        lines = self.log.read_text().splitlines()
        return [(Path(cwd), args) for cwd, _, args in (line.partition(" ") for line in lines)]


def install(factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> FakeUv:
    """Put a fresh fake uv first on PATH (outside tmp_path, which tests list)."""
    fake = FakeUv(factory.mktemp("fake-uv"))
    monkeypatch.setenv("PATH", f"{fake.path.parent}:{os.environ['PATH']}")
    monkeypatch.delenv("FAKE_UV_FAIL", raising=False)
    monkeypatch.delenv("FAKE_UV_SLEEP", raising=False)
    return fake
