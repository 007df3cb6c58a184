"""`scaffold doctor`: what the owner of a generated project should know, read from the project.

Run inside (or pointed at) a generated project, it reports:
- the template release the project is on (`_commit` in .copier-answers.yml) and the newest
  release of the template it records (`_src_path`, asked with `git ls-remote`; the releases
  bundled with scaffold when that repository cannot be reached, or with `--offline`);
- the decision re-run on the stored answers, and on changed answers given with `--data`
  ("with teams=many this would now recommend Hybrid"), with the command that gets there
  when an update can make that change (Django grows into the Hybrid; update.py's
  `check_framework_change` is the rule);
- drift it can see: uncommitted changes (an update needs a clean work tree), conflict markers
  an update or a merge left in files, `.rej` files.

It changes nothing, and it still reports what it could see when a part cannot be checked
(the template repository unreachable, the project not under git). The exit code is 0 when it
could look, whatever it found; `--json` gives tools the same report (the update bot reads
`template.newest` and `template.update_available` from it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from scaffold_cli import __version__, questionnaire, source
from scaffold_cli.answers import parse_pairs, read_answers
from scaffold_cli.decision import FRAMEWORK_KEY, Decision
from scaffold_cli.errors import GitError, ScaffoldError, UsageError
from scaffold_cli.output import LABELS
from scaffold_cli.update import (
    DESCRIBED,
    REACH_TIMEOUT,
    _git,
    _release_order,
    _run_git,
    bundled_tags,
    changed_paths,
    check_framework_change,
    tag_names,
)

# A line a merge leaves: `<<<<<<< before updating` (Copier), `<<<<<<< HEAD` (git), and the end.
MARKER_START = re.compile(rb"^<{7}(?: |$)")
MARKER_END = re.compile(rb"^>{7}(?: |$)")
# Files larger than this are not searched for markers (data, not code a merge touches).
MAX_SCANNED_BYTES = 2_000_000


@dataclass(frozen=True)
class TemplateStatus:
    source: str  # the recorded repository (`_src_path`)
    release: str  # the release the project is on (`_commit`)
    newest: str | None = None  # the newest release found; None when none could be read
    update_available: bool | None = None  # None: unknown (see `problem`)
    checked: str = ""  # where the releases were read from
    problem: str = ""  # why the newest release is unknown, or why the bundle was used


@dataclass(frozen=True)
class DecisionCheck:
    framework: str  # the project's framework
    stored: dict[str, Any]  # the decision on the stored answers (Decision.as_dict())
    changed: dict[str, Any] | None = None  # the decision with --data applied
    data: dict[str, Any] = field(default_factory=dict)  # the changed answers
    advice: str = ""  # what to run, when the decision points elsewhere


@dataclass(frozen=True)
class Drift:
    git: bool  # the project is a git work tree (False: nothing else here could be checked)
    uncommitted: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()  # files holding merge conflict markers
    rejects: tuple[str, ...] = ()  # `.rej` files: hunks an update could not apply


@dataclass(frozen=True)
class Report:
    project: str
    framework: str
    template: TemplateStatus
    decision: DecisionCheck
    drift: Drift

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def examine(project: Path, pairs: Iterable[str], *, offline: bool = False) -> Report:
    project = project.absolute()
    answers = read_answers(project)
    return Report(
        project=str(project),
        framework=str(answers[FRAMEWORK_KEY]),
        template=template_status(str(answers["_src_path"]), str(answers["_commit"]), offline),
        decision=check_decision(answers, parse_pairs(pairs)),
        drift=find_drift(project),
    )


def newest_release(tags: Iterable[str]) -> str | None:
    releases = [tag for tag in tags if _release_order(tag)[0] == 1]
    return max(releases, key=_release_order) if releases else None


def template_status(url: str, commit: str, offline: bool) -> TemplateStatus:
    """The project's release and the newest one: from `url`, else the bundled releases."""
    described = DESCRIBED.match(commit)
    release = described["tag"] if described else commit
    problem = ""
    if not offline:
        try:
            tags = tag_names(_run_git("ls-remote", "--tags", "--", url, timeout=REACH_TIMEOUT))
        except GitError as error:
            problem = f"cannot reach {url} ({error})"
        else:
            return _status(url, commit, release, tags, checked=url)
    bundle = source.release_bundle()
    if bundle is None:
        problem = problem or "--offline, and this scaffold carries no bundled releases"
        return TemplateStatus(url, commit, problem=problem)
    try:
        tags = bundled_tags(bundle)
    except ScaffoldError as error:
        return TemplateStatus(url, commit, problem=f"{problem}; {error}" if problem else str(error))
    checked = f"the releases bundled with scaffold {__version__}"
    return _status(url, commit, release, tags, checked=checked, problem=problem)


def _status(
    url: str, commit: str, release: str, tags: Iterable[str], *, checked: str, problem: str = ""
) -> TemplateStatus:
    newest = newest_release(tags)
    if newest is None:
        return TemplateStatus(url, commit, checked=checked, problem=f"{checked} has no releases")
    if _release_order(release)[0] != 1:  # a branch or commit name: no order to compare
        problem = problem or f"the project's release {release!r} is not a version"
        return TemplateStatus(url, commit, newest, None, checked, problem)
    available = _release_order(newest) > _release_order(release)
    return TemplateStatus(url, commit, newest, available, checked, problem)


def check_decision(answers: Mapping[str, Any], changes: Mapping[str, str]) -> DecisionCheck:
    """The decision on the stored answers, and with the changed ones (decision questions)."""
    form = questionnaire.load()
    data = form.parse_data(changes, allowed=form.decision_keys)
    stored = {key: answers[key] for key in form.decision_keys if key in answers}
    framework = str(answers[FRAMEWORK_KEY])

    def decide(given: Mapping[str, Any]) -> Decision:
        session = questionnaire.collect(
            form, given, folder_name="", only=form.decision_keys, until=FRAMEWORK_KEY
        )
        return Decision.from_session(session)

    before = decide(stored)
    after = decide({**stored, **data}) if data else None
    target = (after or before).framework
    return DecisionCheck(
        framework=framework,
        stored=before.as_dict(),
        changed=after.as_dict() if after else None,
        data=data,
        advice=_advice(framework, target, data),
    )


def _advice(framework: str, target: str, data: Mapping[str, Any]) -> str:
    """The command that gets the project to `target`, or why no update can (update.py's rule)."""
    if target == framework:
        return ""
    try:
        check_framework_change({FRAMEWORK_KEY: framework}, {FRAMEWORK_KEY: target})
    except UsageError as refusal:
        return f"no update gets there: {refusal}"
    pairs = [f"--data {key}={_format(value)}" for key, value in data.items()]
    command = " ".join(["scaffold update", *pairs, f"--data framework={target}"])
    return f"run `{command}`"


def _format(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def find_drift(project: Path) -> Drift:
    """Uncommitted changes, conflict markers and `.rej` files: what blocks or follows an update."""
    try:
        _git(project, "rev-parse", "--show-toplevel")
    except UsageError:  # not a git repository
        return Drift(git=False)
    uncommitted = changed_paths(project)
    listed = _git(project, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    files = sorted({path for path in listed.split("\0") if path})
    conflicts = tuple(path for path in files if has_merge_markers(project / path))
    rejects = tuple(path for path in files if path.endswith(".rej"))
    return Drift(git=True, uncommitted=uncommitted, conflicts=conflicts, rejects=rejects)


def has_merge_markers(path: Path) -> bool:
    """A whole line opens a conflict and another closes one (text may quote a single marker)."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_SCANNED_BYTES:
            return False
        lines = path.read_bytes().splitlines()
    except OSError:
        return False
    return any(MARKER_START.match(line) for line in lines) and any(
        MARKER_END.match(line) for line in lines
    )


def show(report: Report, *, as_json: bool) -> None:
    if as_json:
        print(json.dumps(report.as_dict(), indent=2))
        return
    for line in describe(report):
        print(line)


def describe(report: Report) -> list[str]:
    """The report for people: one line per fact, and what to run about it."""
    template, decision, drift = report.template, report.decision, report.drift
    lines = [f"Project: {report.project} ({LABELS[report.framework]})"]
    on = f"Template: release {template.release} of {template.source}"
    if template.update_available:
        lines.append(f"{on}; a newer release, {template.newest}, exists: run `scaffold update`")
    elif template.update_available is False:
        lines.append(f"{on}; the newest release ({template.newest}): nothing to update")
    else:
        lines.append(f"{on}; the newest release is unknown ({template.problem})")
    if template.update_available is not None and template.problem:
        lines.append(f"  ({template.problem}; read {template.checked} instead)")
    lines.append(_decision_line("on the stored answers", decision.stored))
    if decision.changed is not None:
        given = ", ".join(f"{key}={_format(value)}" for key, value in decision.data.items())
        lines.append(_decision_line(f"with {given}", decision.changed))
    if decision.advice:
        lines.append(f"  The project is {LABELS[decision.framework]}: {decision.advice}")
    if not drift.git:
        lines.append("Drift: not a git repository (updates need a committed git work tree)")
    for label, paths in (
        ("uncommitted change(s); commit them before updating", drift.uncommitted),
        ("file(s) with conflict markers to resolve", drift.conflicts),
        ("rejected update hunk(s) (.rej) to apply by hand", drift.rejects),
    ):
        if paths:
            lines.append(f"Drift: {len(paths)} {label}: {', '.join(paths)}")
    if drift.git and not (drift.uncommitted or drift.conflicts or drift.rejects):
        lines.append("Drift: none (a clean work tree, no conflict markers)")
    return lines


def _decision_line(label: str, decision: Mapping[str, Any]) -> str:
    scores = decision["scores"]
    return (
        f"Decision {label}: {LABELS[decision['framework']]} "
        f"(Django {scores['django']}, FastAPI {scores['fastapi']})"
    )
