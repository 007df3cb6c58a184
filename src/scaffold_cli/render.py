"""Rendering the template into a destination, without ever leaving it half-written.

Copier renders into a fresh staging folder next to the destination (same file system), and
only a complete render is moved into place: a failure or Ctrl-C leaves the destination as it
was. Files the user already had are never overwritten or deleted.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scaffold_cli.answers import ANSWERS_FILE
from scaffold_cli.errors import DestinationError, InvalidAnswerError, RenderError
from scaffold_cli.source import TemplateSource, template_root, template_source

ANSWERS_HEADER = "# Changes here will be overwritten by Copier; NEVER EDIT MANUALLY\n"


@dataclass(frozen=True)
class RenderResult:
    destination: Path
    written: tuple[Path, ...]
    kept: tuple[Path, ...] = field(default=())


def check_destination(destination: Path, *, force: bool) -> None:
    """Refuse a destination we cannot render into safely. Writes nothing."""
    if destination.exists() or destination.is_symlink():
        if not destination.is_dir():
            raise DestinationError(f"{destination} exists and is not a directory")
        if any(destination.iterdir()) and not force:
            raise DestinationError(
                f"{destination} is not empty; choose another folder, or pass --force to add "
                "the project's files beside yours (yours are never overwritten)"
            )
        if not os.access(destination, os.W_OK | os.X_OK):
            raise DestinationError(f"{destination} is not writable")
        return
    parent = _existing_ancestor(destination)
    if not parent.is_dir():
        raise DestinationError(f"{parent} is not a directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise DestinationError(f"cannot create {destination}: {parent} is not writable")


def _existing_ancestor(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path.cwd()  # pragma: no cover - the root always exists


def render_project(
    destination: Path, answers: Mapping[str, Any], *, force: bool = False
) -> RenderResult:
    """Render the template with these answers into `destination`."""
    # Lexically, as a shell would: "a/../b" is "b" even when "a" is a file.
    destination = Path(os.path.abspath(destination))
    check_destination(destination, force=force)
    staging_root: Path | None = None
    try:
        # A signal between the folder's creation and this assignment would leave it behind.
        with _signals_deferred():
            try:
                destination.parent.mkdir(parents=True, exist_ok=True)
                staging_root = Path(tempfile.mkdtemp(prefix=".scaffold-", dir=destination.parent))
            except OSError as error:
                message = f"cannot create {destination}: {error.strerror}"
                raise DestinationError(message) from error
        # The staging folder carries the destination's name: Copier shows it as _folder_name.
        staging = staging_root / destination.name
        source = template_source(template_root())
        _copy(staging, answers, source)
        if source.bundled:
            _record_source(staging / ANSWERS_FILE, source)
        # Once the move begins, the project is written: a late Ctrl-C no longer undoes it.
        with _signals_deferred(deliver=False):
            return _move_into_place(staging, destination)
    finally:
        if staging_root is not None:
            with _signals_deferred(deliver=False):
                shutil.rmtree(staging_root, ignore_errors=True)


@contextlib.contextmanager
def _signals_deferred(*, deliver: bool = True) -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block ends, then deliver them (or drop them).

    For the few steps that must not be cut in two: creating the staging folder and
    remembering it, moving the finished project into place, removing the staging folder.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread receives signals
        return
    received: list[int] = []
    previous = {
        number: signal.signal(number, lambda number, _frame: received.append(number))
        for number in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if deliver:
            for number in received:
                signal.raise_signal(number)


@contextlib.contextmanager
def _compiled_once() -> Iterator[None]:
    """Compile each distinct Jinja source once while Copier renders.

    Copier compiles every part of every file's path, and every file, anew: about 1,200
    compiles per render, most of them the same few folder names again, and two thirds of the
    render time. Jinja's compiled code does not depend on the context it is rendered with,
    so it is reused for identical sources. Only for this process, only during the render;
    sources with Copier's `{% yield %}` tag (which the template does not use) are left alone.
    """
    from jinja2 import Environment

    original = Environment.compile
    compiled: dict[tuple[int, str, str | None, str | None, bool], Any] = {}

    def compile_once(
        self: Environment,
        source: Any,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        if not isinstance(source, str) or defer_init or "yield" in source:
            return original(self, source, name, filename, raw, defer_init)
        key = (id(self), source, name, filename, raw)
        if key not in compiled:
            compiled[key] = original(self, source, name, filename, raw)
        return compiled[key]

    Environment.compile = compile_once  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        Environment.compile = original  # type: ignore[method-assign]


@contextlib.contextmanager
def _no_git_index_sync() -> Iterator[None]:
    """Skip Copier's per-file git query while rendering a new project.

    Recent Copier releases (9.19 here) run `git config core.fileMode` (a git process) after
    writing each file, to re-record an executable bit in the destination's git index when git
    ignores file modes; for a file git does not track yet it changes nothing. A new project's
    files are never tracked (they are written into a fresh staging folder), so the hundred or
    so processes per render (a quarter of `scaffold new`'s time) are skipped: the file modes
    on disk are Copier's as before (`manage.py` stays executable, tests/test_template.py).
    """
    from copier._main import Worker

    original = getattr(Worker, "_sync_git_index_executable_bit", None)
    if original is None:  # a Copier without the query
        yield
        return
    Worker._sync_git_index_executable_bit = lambda *_args: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        Worker._sync_git_index_executable_bit = original  # type: ignore[method-assign]


def _copy(staging: Path, answers: Mapping[str, Any], source: TemplateSource) -> None:
    # Copier is heavy to import; only rendering needs it.
    import copier
    from copier.errors import CopierError, CopierWarning
    from jinja2 import TemplateError as JinjaError

    with warnings.catch_warnings(), _compiled_once(), _no_git_index_sync():
        # A dirty source checkout or a template without tags is normal while developing.
        warnings.simplefilter("ignore", CopierWarning)
        try:
            copier.run_copy(
                source.render_from,
                str(staging),
                data=dict(answers),
                defaults=True,
                quiet=True,
                unsafe=False,
                cleanup_on_error=True,
                # The shipped template: render it as it is (a source checkout with its
                # uncommitted changes too). Another source: its newest release tag.
                vcs_ref="HEAD" if source.bundled else None,
            )
        except ValueError as error:
            # Copier's validators raise ValueError("Validation error for question ...").
            if "Validation error" in str(error):
                raise InvalidAnswerError(str(error)) from error
            raise RenderError(f"rendering failed: {error}") from error
        except (CopierError, JinjaError, OSError) as error:
            raise RenderError(f"rendering failed: {error}") from error


def _record_source(answers_file: Path, source: TemplateSource) -> None:
    """Record the public template repository and release tag instead of a local path."""
    answers = yaml.safe_load(answers_file.read_text(encoding="utf-8"))
    answers = {"_commit": source.tag, "_src_path": source.url} | {
        key: value for key, value in answers.items() if key not in {"_commit", "_src_path"}
    }
    answers_file.write_text(
        ANSWERS_HEADER + yaml.safe_dump(answers, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )


def _move_into_place(staging: Path, destination: Path) -> RenderResult:
    files = sorted(path for path in staging.rglob("*") if not path.is_dir())
    relative = tuple(path.relative_to(staging) for path in files)
    try:
        if not destination.exists():
            os.replace(staging, destination)
            return RenderResult(destination, relative)
        if not any(destination.iterdir()):
            destination.rmdir()
            os.replace(staging, destination)
            return RenderResult(destination, relative)
        # --force into a non-empty folder: add what is missing, keep what the user has.
        written, kept = [], []
        for source, rel in zip(files, relative, strict=True):
            target = destination / rel
            if target.exists() or target.is_symlink():
                kept.append(rel)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
            written.append(rel)
        return RenderResult(destination, tuple(written), tuple(kept))
    except OSError as error:
        raise RenderError(f"cannot move the project into {destination}: {error}") from error
