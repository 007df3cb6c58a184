"""Render every variant the tests know into one folder, for a before/after diff of a move.

    uv run python -m tests.render_variants /tmp/before      # on the old commit
    uv run python -m tests.render_variants /tmp/after       # on the new one
    diff -r /tmp/before /tmp/after                          # only `_src_path` should differ

Renders the smoke matrix, the option grid and the longest-slug cases from this checkout's
copier.yml and template/ (uncommitted changes included), each into a folder named after it.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from copier import run_copy

from tests.conftest import REPO_ROOT, SUPPORTED_COMBINATIONS, variant_id
from tests.test_template import LONGEST_SLUG, OPTION_GRID


def cases() -> list[tuple[str, dict[str, Any]]]:
    found = [
        (f"smoke-{variant_id(a)}", {"project_name": "Demo", **a}) for a in SUPPORTED_COMBINATIONS
    ]
    found += [(f"grid-{variant_id(a)}", {"project_name": "Grid", **a}) for a in OPTION_GRID]
    found += [
        (f"longslug-{framework}", {"project_name": "N" * 80, "project_slug": LONGEST_SLUG,
                                   "framework": framework, "description": "D" * 200})
        for framework in ("django", "fastapi", "hybrid")
    ]  # fmt: skip
    return found


def main(out: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        # A plain folder, not a git checkout: Copier renders the files as they are.
        source = Path(tmp) / "template-source"
        source.mkdir()
        shutil.copy(REPO_ROOT / "copier.yml", source)
        shutil.copytree(REPO_ROOT / "template", source / "template")
        for name, data in cases():
            run_copy(str(source), str(out / name), data=data, defaults=True, quiet=True)
    print(f"{len(cases())} variants rendered into {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
