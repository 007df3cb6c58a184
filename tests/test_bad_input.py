"""Bad input to `scaffold new`, the installed command run as a person would run it.

Every case must end with exit code 2 (bad input) or 1 (the machine refused), exactly one
line on stderr that says what is wrong, no traceback, and nothing created or changed outside
the target: each run happens in a sandbox (its own working directory and HOME) that is
compared, file by file, before and after.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

SCAFFOLD = str(Path(sys.executable).parent / "scaffold")
LONG = "x" * 5000
MINE = "demo/notes.txt"
FILE = ("demo", "a file")
MINE = "demo/notes.txt"
FILE = ("demo", "a file")


@dataclass(frozen=True)
class Case:
    id: str
    args: tuple[str, ...]
    fragment: str
    code: int = 2
    # What the sandbox holds before the run (relative path -> content; None for a folder).
    setup: tuple[tuple[str, str | None], ...] = ()


def data(*pairs: str) -> tuple[str, ...]:
    return ("demo", "--defaults", *[arg for pair in pairs for arg in ("--data", pair)])


CASES = [
    # The project's name and slug.
    Case("empty-name", data("project_name="), "project name cannot be empty"),
    Case("whitespace-name", data("project_name=   "), "project name cannot be empty"),
    Case("newline-name", data("project_name=a\nb"), "printable text on one line"),
    Case("very-long-name", data(f"project_name={LONG}"), "too long"),
    Case("empty-slug", data("project_slug="), "cannot be empty"),
    Case("whitespace-slug", data("project_slug=  "), "not a valid package name"),
    Case("very-long-slug", data(f"project_slug={'a' * 51}"), "too long"),
    Case("unicode-slug", data("project_slug=café"), "not a valid package name"),
    Case("traversal-slug", data("project_slug=../x"), "not a valid package name"),
    Case("absolute-slug", data("project_slug=/etc/x"), "not a valid package name"),
    Case("dotted-slug", data("project_slug=a.b"), "not a valid package name"),
    Case("uppercase-slug", data("project_slug=Shop"), "not a valid package name"),
    Case("digit-first-slug", data("project_slug=9lives"), "not a valid package name"),
    Case("keyword-slug", data("project_slug=import"), "Python keyword"),
    Case("soft-keyword-slug", data("project_slug=match"), "Python keyword"),
    Case("shadows-stdlib", data("project_slug=logging"), "standard library"),
    Case("shadows-dependency", data("project_slug=django"), "depends on"),
    Case("shadows-dependency-2", data("project_slug=sqlalchemy"), "depends on"),
    Case("shadows-a-folder", data("project_slug=config"), "folder in the generated project"),
    # Other answers.
    Case("bad-email", data("author_email=not-an-email"), "not a valid email"),
    Case("email-without-domain", data("author_email=ada@"), "not a valid email"),
    Case("long-description", data(f"description={LONG}"), "too long"),
    Case("unknown-key", data("colour=blue"), "unknown question 'colour'"),
    Case("no-equals-sign", data("framework"), "KEY=VALUE"),
    Case("empty-key", data("=django"), "KEY=VALUE"),
    Case("wrong-type-bool", data("use_docker=maybe"), "expected yes or no"),
    Case("number-for-bool", data("realtime=2"), "expected yes or no"),
    Case("invalid-choice", data("framework=flask"), "not one of"),
    Case("invalid-ci", data("ci=jenkins"), "not one of"),
    Case("celery-without-redis", data("use_celery=yes", "use_redis=no"), "needs Redis"),
    Case(
        "conflicting-framework", (*data("framework=fastapi"), "--framework", "django"), "disagree"
    ),
    Case("unknown-option", ("demo", "--defaults", "--colour", "blue"), "No such option"),
    Case("option-without-value", ("demo", "--defaults", "--data"), "requires an argument"),
    # Targets.
    Case("target-not-empty", ("demo", "--defaults"), "not empty", setup=((MINE, "mine"),)),
    Case("target-is-a-file", ("demo", "--defaults"), "not a directory", setup=(FILE,)),
    Case("target-under-a-file", ("demo/sub", "--defaults"), "demo", setup=(FILE,)),
    Case(
        "traversal-to-a-file", ("../work/x/../demo", "--defaults"), "not a directory", setup=(FILE,)
    ),
    Case("target-in-proc", ("/proc/scaffold-demo", "--defaults"), "cannot create"),
    Case("target-in-sys", ("/sys/scaffold-demo", "--defaults"), "cannot create"),
    Case("target-is-root", ("/", "--defaults"), "not empty"),
    # Without --defaults and without a terminal, nobody can answer the questions.
    Case("no-terminal", ("demo",), "--defaults"),
]


def snapshot(root: Path) -> dict[str, tuple[int, bytes | None]]:
    """Every path under `root`: its mode, and its content when it is a file."""
    found: dict[str, tuple[int, bytes | None]] = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        content = path.read_bytes() if path.is_file() and not path.is_symlink() else None
        found[str(path.relative_to(root))] = (info.st_mode, content)
    return found


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    root = tmp_path / "sandbox"
    (root / "work").mkdir(parents=True)
    (root / "home").mkdir()
    return root


def scaffold_env(sandbox: Path) -> dict[str, str]:
    keep = ("PATH", "LANG", "LC_ALL", "SYSTEMROOT")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    return {**env, "HOME": str(sandbox / "home"), "TMPDIR": str(sandbox / "work"),
            "NO_COLOR": "1", "COLUMNS": "200"}  # fmt: skip


def assert_one_clear_line(stderr: str, fragment: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("scaffold: error: "), stderr
    assert fragment in lines[0], stderr


@pytest.mark.parametrize("case", [pytest.param(case, id=case.id) for case in CASES])
def test_bad_input(sandbox: Path, case: Case) -> None:
    work = sandbox / "work"
    for relative, content in case.setup:
        path = work / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if content is None:
            path.mkdir()
        else:
            path.write_text(content)
    before = snapshot(sandbox)
    result = subprocess.run(
        [SCAFFOLD, "new", *case.args], cwd=work, env=scaffold_env(sandbox),
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == case.code, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert_one_clear_line(result.stderr, case.fragment)
    assert snapshot(sandbox) == before  # nothing created, changed or removed


def test_the_table_is_long_enough() -> None:
    assert len(CASES) >= 30
    assert len({case.id for case in CASES}) == len(CASES)


def ctrl_c_as_in_a_terminal() -> None:
    """In the child: SIGINT at its default, whatever this run inherited (a shell's background
    job, `nohup`, starts with SIGINT ignored, and so would every process it starts)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_an_interrupted_render_leaves_nothing(sandbox: Path) -> None:
    """Ctrl-C (SIGINT) or SIGTERM in the middle of rendering: exit 130/143, no files left."""
    work = sandbox / "work"
    for sent, code in ((signal.SIGINT, 130), (signal.SIGTERM, 143)):
        before = snapshot(sandbox)
        # On a busy machine the render can finish between seeing its first file and the
        # signal landing: that attempt proves nothing, so it is cleaned up and tried again.
        for _attempt in range(5):
            process = subprocess.Popen(
                [SCAFFOLD, "new", "demo", "--defaults", "--no-lock"], cwd=work,
                env=scaffold_env(sandbox), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, text=True, preexec_fn=ctrl_c_as_in_a_terminal,
            )  # fmt: skip
            deadline = time.monotonic() + 30
            # The staging folder exists from the start of the render to its move into place.
            while not any(work.glob(".scaffold-*")):  # rendering has begun
                assert process.poll() is None, process.communicate()
                assert time.monotonic() < deadline, "the render never started"
                time.sleep(0.005)
            process.send_signal(sent)
            _, stderr = process.communicate(timeout=30)
            if process.returncode == 0 and (work / "demo").is_dir():
                shutil.rmtree(work / "demo")  # finished before the signal arrived
                continue
            break
        assert process.returncode == code, stderr
        assert "nothing was written" in stderr
        assert "Traceback" not in stderr
        assert snapshot(sandbox) == before
