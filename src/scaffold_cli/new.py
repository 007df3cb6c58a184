"""`scaffold new`: ask, decide, ask the rest, render.

The steps are visible in `create_project`: the project and decision questions are collected
first; the decision copier.yml computes from them is shown (the table); then `framework`
(whose default is that decision) and the stack questions are asked, and the project is
rendered. Last, the dependencies are locked (`uv lock`, see lock.py) when uv is available.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from rich.console import Console

from scaffold_cli import prompts, questionnaire
from scaffold_cli.answers import parse_pairs
from scaffold_cli.decision import FRAMEWORK_KEY, Decision, Rules
from scaffold_cli.errors import NotInteractiveError, UsageError
from scaffold_cli.lock import LockOutcome, lock_project
from scaffold_cli.output import show_choice, show_decision, show_next_steps
from scaffold_cli.render import check_destination, render_project


def create_project(
    destination: Path | None,
    pairs: Iterable[str],
    *,
    framework: str | None,
    defaults: bool,
    force: bool,
    lock: bool = True,
) -> None:
    console = Console()
    form = questionnaire.load()
    raw = parse_pairs(pairs)
    if framework is not None:
        if raw.get(FRAMEWORK_KEY, framework) != framework:
            raise UsageError("--framework and --data framework=... disagree; give one of them")
        raw[FRAMEWORK_KEY] = framework
    data = form.parse_data(raw)

    # Every check runs before a question is asked or a file is written.
    if destination is not None:
        check_destination(destination.absolute(), force=force)
    interactive = not defaults
    if interactive and not prompts.stdin_is_interactive():
        raise NotInteractiveError(
            "no terminal to ask questions at; pass --defaults (with --data KEY=VALUE answers) "
            "to run without prompts"
        )
    prompt = prompts.terminal_prompt(console) if interactive else None
    folder_name = destination.absolute().name if destination is not None else ""

    # 1. The project and the decision questions.
    session = questionnaire.collect(
        form, data, folder_name=folder_name, prompt=prompt, until=FRAMEWORK_KEY
    )
    # 2. The decision, as copier.yml computed it from those answers.
    decision = Decision.from_session(session)
    show_decision(console, decision, Rules.from_session(session))
    # 3. The framework (default: the decision) and the stack.
    questionnaire.collect_rest(session, data, prompt=prompt)
    show_choice(console, decision, session.answers[FRAMEWORK_KEY])

    if destination is None:
        destination = Path(session.answers["project_slug"])
    result = render_project(destination, session.answers, force=force)
    if result.kept:
        console.print(f"Kept {len(result.kept)} file(s) you already had (not overwritten):")
        for path in result.kept:
            console.print(f"  {path}")
    outcome = lock_dependencies(console, destination) if lock else None
    show_next_steps(console, destination, session.answers[FRAMEWORK_KEY], outcome)


def lock_dependencies(console: Console, destination: Path) -> LockOutcome:
    """`uv lock` in the new project; a failure is a warning, the project stands."""
    console.print("Locking the dependencies (uv lock)...")
    outcome = lock_project(destination)
    if outcome.locked:
        console.print("Locked: uv.lock pins every dependency (commit it).")
    else:
        print(f"scaffold: warning: {outcome.problem}; uv.lock was not written", file=sys.stderr)
    return outcome
