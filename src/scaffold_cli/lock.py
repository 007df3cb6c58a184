"""Locking a generated project's dependencies: `uv lock`, which writes uv.lock.

A generated project installs from its lock (`uv sync --locked` in CI and in the Dockerfile), so
`scaffold new` leaves a locked project, and `scaffold update` re-locks when an update changed
pyproject.toml. Locking needs uv and, the first time, the package index: when either is
missing the project is still created (or updated) and the user is told what to run. A failure
here is never an error of the command.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

# Resolving from an empty cache takes seconds; a stalled index must not hang `scaffold new`.
LOCK_TIMEOUT_SECONDS = 300
INSTALL_UV_URL = "https://docs.astral.sh/uv/getting-started/installation/"


@dataclass(frozen=True)
class LockOutcome:
    """Whether uv.lock is now up to date, and if not, why (one line for the user)."""

    locked: bool
    problem: str = ""
    uv_missing: bool = False


def lock_project(project: Path) -> LockOutcome:
    """Run `uv lock` in `project`; never raises for uv's own failures."""
    uv = shutil.which("uv")
    if uv is None:
        return LockOutcome(False, "uv is not installed (not found on PATH)", uv_missing=True)
    try:
        result = subprocess.run(
            [uv, "lock"],
            cwd=project,
            capture_output=True,
            text=True,
            errors="replace",
            check=False,
            stdin=subprocess.DEVNULL,
            timeout=LOCK_TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired:
        return LockOutcome(False, f"uv lock did not finish within {LOCK_TIMEOUT_SECONDS} s")
    except KeyboardInterrupt:  # the project is written; only the lock is missing
        return LockOutcome(False, "uv lock was interrupted")
    except OSError as error:
        return LockOutcome(False, f"cannot run uv: {error.strerror or error}")
    if result.returncode != 0:
        return LockOutcome(False, f"uv lock failed: {_first_error(result.stderr)}")
    return LockOutcome(True)


def _first_error(stderr: str) -> str:
    """uv's own words, in one line: its `error:` line, or the first line it printed."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        if line.startswith("error:"):
            return line.removeprefix("error:").strip()
    return lines[0] if lines else "no message"


def lock_advice(outcome: LockOutcome) -> str:
    """What to run, as a next step, when the project is not locked."""
    if outcome.uv_missing:
        return f"install uv ({INSTALL_UV_URL}), then run `uv lock` and commit uv.lock"
    return "run `uv lock` and commit uv.lock"
