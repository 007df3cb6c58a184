"""`scaffold update`: bring a generated project up to a newer template release.

Copier rebuilds the project as it was generated (the recorded source and tag), diffs that
against the new release, and applies the difference to the project: a 3-way merge that keeps
the user's edits. Where both changed the same lines, the file gets conflict markers.

When the update changed pyproject.toml of a project that has a uv.lock, the lock is brought up
to date (`uv lock`, which keeps every pin it can), so `uv sync --locked` keeps working; the
new uv.lock is one of the changed files to review. No lock is made for a project without one,
nor while pyproject.toml has conflict markers (resolve them, then run `uv lock`).

Where the releases come from: the repository the project records (`_src_path`) when it can be
reached and has the project's release; otherwise (no network, the repository moved, the tag
is missing), or when asked (`--offline`), the release history shipped inside scaffold (a git
bundle, see source.py). The bundle is cloned into a temporary folder and git is told, for this
update only, to fetch the recorded URL from there (`url.<clone>.insteadOf`): Copier then reads
both the old and the new release from it, and the project still records the public URL, so a
later plain `copier update` works from the public repository.

Copier deletes a file the new release (or the new answers) no longer makes even where the user
changed it; `scaffold update` puts such a file back as committed and lists it with the
conflicts (`keep_changed_files`).

A project may change its framework in one direction only: Django grows into a Hybrid (`--data
framework=hybrid`), which adds the FastAPI service beside a Django core that keeps owning the
schema. Every other change is refused before anything is touched (`check_framework_change`).

Every failure is one line naming the cause and the way out, and leaves the project as it was.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from scaffold_cli import __version__, questionnaire, source
from scaffold_cli.answers import parse_pairs, read_answers
from scaffold_cli.errors import (
    GitError,
    MissingToolError,
    RenderError,
    UpdateSourceError,
    UsageError,
)
from scaffold_cli.lock import LockOutcome, lock_project
from scaffold_cli.render import ANSWERS_FILE, ANSWERS_HEADER

# The lines `git merge-file` writes around a conflict, with Copier's labels.
CONFLICT_MARKERS = frozenset({b"<<<<<<< before updating", b">>>>>>> after updating"})


@dataclass(frozen=True)
class UpdateResult:
    old_version: str
    new_version: str
    changed: tuple[str, ...]
    conflicts: tuple[str, ...]
    # The re-lock after pyproject.toml changed; None when none was attempted.
    lock: LockOutcome | None = None
    # Where the releases came from: the recorded repository, or scaffold's bundled releases.
    origin: str = ""


def _git(project: Path, *args: str) -> str:
    """Run git in `project` and return its output; a failure says what went wrong."""
    try:
        result = subprocess.run(
            ["git", "-C", str(project), *args],
            capture_output=True,
            check=False,
            # git's messages in English, so "not a git repository" can be recognised.
            env={**os.environ, "LC_ALL": "C"},
        )
    except FileNotFoundError:
        raise MissingToolError(
            "git is not installed (not found on PATH); scaffold update needs it"
        ) from None
    except OSError as error:
        raise MissingToolError(f"cannot run git: {error.strerror}") from error
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip()
        if "not a git repository" in message:
            raise UsageError(f"{project} is not a git repository; run `git init` and commit first")
        first_line = message.splitlines()[0] if message else f"exit status {result.returncode}"
        raise GitError(f"git {args[0]} failed in {project}: {first_line}")
    # Paths as the file system has them, even when they are not valid UTF-8.
    return os.fsdecode(result.stdout)


def changed_paths(project: Path) -> tuple[str, ...]:
    """Every path `git status` reports as changed, untracked files included.

    `--porcelain -z` separates entries with NUL and never quotes a path, so names with
    spaces, quotes or newlines come through as they are; a rename or copy is followed by the
    path it came from, which is skipped.
    """
    fields = iter(_git(project, "status", "--porcelain", "-z", "-uall").split("\0"))
    paths = []
    for entry in fields:
        if not entry:
            continue
        status, path = entry[:2], entry[3:]
        paths.append(path)
        if "R" in status or "C" in status:
            next(fields, None)  # the original path
    return tuple(paths)


def check_project(project: Path) -> dict:
    """Refuse anything but a clean, committed, scaffold-generated project. Changes nothing."""
    answers = read_answers(project)
    _git(project, "rev-parse", "--show-toplevel")
    if changed_paths(project):
        raise UsageError(
            f"{project} has uncommitted changes; commit or stash them first, so the update "
            "can be reviewed and undone"
        )
    return answers


def update_project(
    project: Path,
    pairs: Iterable[str],
    *,
    vcs_ref: str | None,
    pretend: bool,
    offline: bool = False,
) -> UpdateResult:
    """Merge the template's release `vcs_ref` (default: the newest) into the project.

    `offline`: use the releases bundled with scaffold, without contacting the recorded
    repository.
    """
    project = project.absolute()
    before = check_project(project)
    form = questionnaire.load()
    data = form.parse_data(parse_pairs(pairs))
    check_framework_change(before, data)
    origin = choose_origin(str(before["_src_path"]), str(before["_commit"]), offline=offline)
    if vcs_ref is not None:
        origin.check_release(vcs_ref)
    if origin.notice:
        print(f"scaffold: {origin.notice}", file=sys.stderr)
    try:
        with origin.serving():
            worker = _run_copier(project, data, vcs_ref=vcs_ref, pretend=pretend)
            kept = () if pretend else keep_changed_files(project, before)
    except GitError as error:
        _restore(project, pretend=pretend)
        raise GitError(f"{error}; {origin.way_out}") from error
    except BaseException:
        _restore(project, pretend=pretend)
        raise
    if origin.bundle is not None and not pretend:
        _keep_recorded_source(project, origin.url)
    new_version = str(worker.template.commit or worker.template.version or "?")
    changed = changed_paths(project)
    conflicts = tuple(path for path in changed if has_conflict_markers(project / path))
    conflicts += tuple(path for path in kept if path not in conflicts)
    lock = None
    if needs_relock(project, changed, conflicts, pretend=pretend):
        lock = lock_project(project)
        changed = changed_paths(project)
    return UpdateResult(
        str(before["_commit"]), new_version, changed, conflicts, lock, origin.description
    )


def keep_changed_files(project: Path, before: Mapping[str, object]) -> tuple[str, ...]:
    """Put back each file the update deleted that the user had changed; return their paths.

    Copier deletes a file the new release (or the new answers) no longer makes even when the
    user changed it: growing a Django project with the enrich example into a Hybrid moves
    that endpoint into the FastAPI service, and deletes the Django one. A changed file is kept
    as the user committed it, and reported with the conflicts: the user moves the change to
    where the template now has it, then deletes the file. "Changed" means it differs from what
    the project's recorded release, with the recorded answers, makes.
    """
    deleted = [
        path
        for path in changed_paths(project)
        if not (project / path).exists() and _git(project, "ls-tree", "HEAD", "--", path)
    ]
    if not deleted:
        return ()
    import copier
    from copier.errors import CopierError, CopierWarning
    from plumbum import ProcessExecutionError

    answers = {key: value for key, value in before.items() if not key.startswith("_")}
    with tempfile.TemporaryDirectory(prefix="scaffold-release-") as scratch:
        pristine = Path(scratch) / "project"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CopierWarning)
            try:
                copier.run_copy(
                    str(before["_src_path"]),
                    str(pristine),
                    data=answers,
                    vcs_ref=str(before["_commit"]),
                    defaults=True,
                    unsafe=False,
                    quiet=True,
                )
            except (CopierError, OSError, ValueError, ProcessExecutionError) as error:
                raise RenderError(
                    f"update failed: cannot make release {before['_commit']} again to tell "
                    f"which deleted files you changed: {first_line(str(error))}"
                ) from error
        kept = []
        for path in deleted:
            committed = subprocess.run(
                ["git", "-C", str(project), "show", f"HEAD:{path}"],
                capture_output=True,
                check=False,
            )
            made = pristine / path
            if committed.returncode or not made.is_file() or made.read_bytes() != committed.stdout:
                _git(project, "checkout", "HEAD", "--", path)
                kept.append(path)
    for path in kept:
        print(
            f"scaffold: kept {path}: the update deletes it, but you changed it; move your "
            "change to where the template now has it, then delete the file",
            file=sys.stderr,
        )
    return tuple(kept)


# Who owns the schema, the users and their tokens in each framework.
SCHEMA_OWNER = {
    "django": "Django's migrations",
    "hybrid": "Django's migrations (the FastAPI service only maps Django's tables)",
    "fastapi": "Alembic and the SQLModel models",
}


def check_framework_change(recorded: Mapping[str, object], data: Mapping[str, object]) -> None:
    """Refuse a change of framework that has no sound update path, before anything changes.

    Django -> Hybrid is the one path: the Django core keeps the schema and its migrations, the
    FastAPI service is added and maps the tables it uses. A change to or from FastAPI would hand
    the schema (tables, users, tokens) to another owner, which no merge of files can do; Hybrid
    -> Django would delete the FastAPI service and whatever the team built on it.
    """
    old, new = recorded.get("framework"), data.get("framework")
    if old is None or new is None or old == new or (old, new) == ("django", "hybrid"):
        return
    if old == "hybrid" and new == "django":
        reason = (
            "it would delete the FastAPI service and the endpoints built on it; the Django core "
            "is the same in a Hybrid, so keep framework=hybrid"
        )
    else:
        reason = (
            f"the schema, users and tokens are owned by {SCHEMA_OWNER[str(old)]} now and would be "
            f"owned by {SCHEMA_OWNER[str(new)]}, which an update cannot hand over; generate a "
            f"{new} project with `scaffold new` and move your code into it"
        )
    raise UsageError(f"cannot change framework from {old} to {new}: {reason}")


def _run_copier(project: Path, data: Mapping[str, object], *, vcs_ref: str | None, pretend: bool):
    import copier
    from copier.errors import CopierError, CopierWarning, UserMessageError
    from plumbum import ProcessExecutionError

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CopierWarning)
        try:
            return copier.run_update(
                str(project),
                data=dict(data),
                defaults=True,
                overwrite=True,
                conflict="inline",
                unsafe=False,
                pretend=pretend,
                quiet=True,
                vcs_ref=vcs_ref,
            )
        except UserMessageError as error:  # downgrades, unreachable sources, ...
            raise UsageError(first_line(str(error))) from error
        except ValueError as error:  # a validator refused a --data answer
            raise UsageError(first_line(str(error))) from error
        except ProcessExecutionError as error:  # git, run by Copier
            command = " ".join(str(part) for part in error.argv[1:3])
            raise GitError(
                f"update failed: git {command}: {first_line(error.stderr or error.stdout)}"
            ) from error
        except (CopierError, OSError) as error:
            raise RenderError(f"update failed: {first_line(str(error))}") from error


def first_line(text: str) -> str:
    """The line of a multi-line message that says what went wrong (git's `fatal:` line)."""
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    for line in lines:
        if line.startswith(("fatal:", "error:")):
            return line
    return lines[0] if lines else "no message"


def _restore(project: Path, *, pretend: bool) -> None:
    """Undo a failed update: the work tree was clean and committed when it started."""
    if pretend:
        return
    with contextlib.suppress(Exception):
        if changed_paths(project):
            _git(project, "reset", "--quiet", "--hard", "HEAD")
            _git(project, "clean", "--quiet", "-d", "--force")


def _keep_recorded_source(project: Path, url: str) -> None:
    """The answers file keeps naming the public repository, never the temporary clone."""
    answers_file = project / ANSWERS_FILE
    answers = yaml.safe_load(answers_file.read_text(encoding="utf-8"))
    if isinstance(answers, dict) and answers.get("_src_path") != url:
        answers["_src_path"] = url
        answers_file.write_text(
            ANSWERS_HEADER + yaml.safe_dump(answers, sort_keys=False, allow_unicode=True),
            encoding="utf-8",
        )


# How long the recorded repository may take to answer before the bundle is used instead.
REACH_TIMEOUT = 20
# `v1.2.0-3-gabc1234`: Copier's record of a commit 3 past the tag v1.2.0.
DESCRIBED = re.compile(r"^(?P<tag>.+)-\d+-g[0-9a-f]+$")


@dataclass(frozen=True)
class Origin:
    """Where this update reads the template's releases from."""

    url: str  # the recorded repository (what the project keeps recording)
    bundle: Path | None = None  # read from this bundle instead of `url`
    notice: str = ""  # why the bundle is used, when it was not asked for
    tags: frozenset[str] = frozenset()  # the releases it has

    @property
    def way_out(self) -> str:
        if self.bundle is None:
            return (
                "check the network, or run `scaffold update --offline` to use the releases "
                "bundled with scaffold"
            )
        return "reinstall scaffold, or update without --offline once the network is back"

    def check_release(self, ref: str) -> None:
        """Refuse a --vcs-ref naming no release here (a commit id or HEAD is left to git)."""
        if ref in self.tags or ref == "HEAD" or re.fullmatch(r"[0-9a-f]{7,40}", ref):
            return
        newest = sorted(self.tags, key=_release_order, reverse=True)[:5]
        raise UsageError(
            f"{self.description} has no release {ref} (newest: {', '.join(newest) or 'none'}); "
            "pick one of those, or leave out --vcs-ref for the newest"
        )

    @property
    def description(self) -> str:
        if self.bundle is None:
            return self.url
        return f"the releases bundled with scaffold {__version__}"

    @contextlib.contextmanager
    def serving(self) -> Iterator[None]:
        """While inside: git fetching `url` gets the bundle's releases instead."""
        if self.bundle is None:
            yield
            return
        with tempfile.TemporaryDirectory(prefix="scaffold-releases-") as scratch:
            clone = Path(scratch) / "releases.git"
            try:
                _run_git("clone", "--quiet", "--mirror", str(self.bundle), str(clone))
            except GitError as error:
                raise UpdateSourceError(
                    f"the releases bundled with scaffold cannot be read ({error}); "
                    "reinstall scaffold"
                ) from error
            count = int(os.environ.get("GIT_CONFIG_COUNT", "0") or 0)
            env = {
                "GIT_CONFIG_COUNT": str(count + 1),
                f"GIT_CONFIG_KEY_{count}": f"url.{clone.as_uri()}.insteadOf",
                f"GIT_CONFIG_VALUE_{count}": self.url,
                # Copier keeps mirrors of remote templates; this one is not the public one.
                "COPIER_CACHE_DIR": str(Path(scratch) / "copier-cache"),
                "GIT_TERMINAL_PROMPT": "0",
            }
            with _environment(env):
                yield


@contextlib.contextmanager
def _environment(env: Mapping[str, str]) -> Iterator[None]:
    """Set variables for this process and for the commands Copier runs (plumbum's copy)."""
    from plumbum import local

    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        with local.env(**env):
            yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _run_git(*args: str, timeout: float | None = None) -> str:
    """git's output; a failure is a GitError carrying git's own line, a timeout too."""
    env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    try:
        result = subprocess.run(
            ["git", *args], capture_output=True, check=False, env=env, timeout=timeout
        )
    except FileNotFoundError:
        raise MissingToolError(
            "git is not installed (not found on PATH); scaffold update needs it"
        ) from None
    except subprocess.TimeoutExpired as error:
        raise GitError(f"no answer within {timeout:g} s") from error
    except OSError as error:
        raise MissingToolError(f"cannot run git: {error.strerror}") from error
    if result.returncode != 0:
        raise GitError(first_line(result.stderr.decode(errors="replace")))
    return result.stdout.decode(errors="replace")


def _release_order(tag: str) -> tuple[int, object]:
    """Sort key: releases by version (PEP 440), other tag names first."""
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(tag.removeprefix("v")))
    except InvalidVersion:
        return (0, tag)


def tag_names(refs: str) -> frozenset[str]:
    """Tag names from `git ls-remote` or `git bundle list-heads` output."""
    names = set()
    for line in refs.splitlines():
        _, _, ref = line.partition("\t" if "\t" in line else " ")
        if ref.startswith("refs/tags/"):
            names.add(ref.removeprefix("refs/tags/").removesuffix("^{}"))
    return frozenset(names)


def knows(tags: frozenset[str], commit: str) -> bool:
    """Whether a repository with these tags has the release the project records."""
    described = DESCRIBED.match(commit)
    return commit in tags or (described is not None and described["tag"] in tags)


def bundled_tags(bundle: Path) -> frozenset[str]:
    try:
        return tag_names(_run_git("bundle", "list-heads", str(bundle)))
    except GitError as error:
        raise UpdateSourceError(
            f"the releases bundled with scaffold cannot be read ({error}); reinstall scaffold"
        ) from error


def choose_origin(url: str, commit: str, *, offline: bool) -> Origin:
    """The recorded repository when it answers and has `commit`; else the bundled releases."""
    bundle = source.release_bundle()
    if offline:
        if bundle is None:
            raise UpdateSourceError(
                f"this scaffold {__version__} carries no bundled releases (it was built "
                f"without the template's git tags); update without --offline to use {url}"
            )
        tags = bundled_tags(bundle)
        if not knows(tags, commit):
            raise UpdateSourceError(
                f"the project's template release {commit} is not among the releases bundled "
                f"with scaffold {__version__}; update without --offline to use {url}"
            )
        return Origin(url, bundle, tags=tags)
    try:
        remote = tag_names(_run_git("ls-remote", "--tags", "--", url, timeout=REACH_TIMEOUT))
    except GitError as error:
        cause = f"cannot reach {url} ({error})"
    else:
        if knows(remote, commit):
            return Origin(url, tags=remote)
        cause = f"{url} has no release {commit}"
    if bundle is None:
        raise UpdateSourceError(
            f"{cause}, and this scaffold {__version__} carries no bundled releases; "
            "check the network and the `_src_path` in .copier-answers.yml, or install "
            "scaffold from a wheel (which bundles its releases)"
        )
    tags = bundled_tags(bundle)
    if not knows(tags, commit):
        raise UpdateSourceError(
            f"{cause}, and the releases bundled with scaffold {__version__} lack {commit} "
            "too; check the network and the `_src_path` in .copier-answers.yml, or install "
            f"a scaffold release that includes {commit}"
        )
    notice = f"{cause}; using the releases bundled with scaffold"
    return Origin(url, bundle, notice=notice, tags=tags)


def needs_relock(
    project: Path, changed: tuple[str, ...], conflicts: tuple[str, ...], *, pretend: bool
) -> bool:
    """Re-lock when pyproject.toml changed cleanly in a project that keeps a uv.lock."""
    return (
        not pretend
        and "pyproject.toml" in changed
        and "pyproject.toml" not in conflicts
        and (project / "uv.lock").is_file()
    )


def has_conflict_markers(path: Path) -> bool:
    """Copier's own test: a whole line is a conflict marker (text may quote the marker)."""
    try:
        with path.open("rb") as lines:
            return any(line.rstrip() in CONFLICT_MARKERS for line in lines)
    except OSError:  # deleted by the update, or a folder
        return False
