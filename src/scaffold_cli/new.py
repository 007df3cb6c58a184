"""`scaffold new`: ask, decide, render."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rich.console import Console

from scaffold_cli import prompts, questionnaire
from scaffold_cli.answers import parse_pairs
from scaffold_cli.decision import Rules, recommend
from scaffold_cli.errors import NotInteractiveError, UsageError
from scaffold_cli.output import show_decision, show_next_steps
from scaffold_cli.render import check_destination, render


def run(
    destination: Path | None,
    pairs: Iterable[str],
    *,
    framework: str | None,
    defaults: bool,
    force: bool,
) -> None:
    console = Console()
    form = questionnaire.load()
    raw = parse_pairs(pairs)
    if framework is not None:
        if raw.get("framework", framework) != framework:
            raise UsageError("--framework and --data framework=... disagree; give one of them")
        raw["framework"] = framework
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

    folder_name = destination.absolute().name if destination is not None else ""
    session = questionnaire.collect(
        form,
        data,
        folder_name=folder_name,
        prompt=prompts.terminal_prompt(console) if interactive else None,
    )
    if not interactive:
        rules = Rules.from_data(session.computed["decision_rules"])
        show_decision(console, recommend(session.answers, rules), rules)

    if destination is None:
        destination = Path(session.answers["project_slug"])
    result = render(destination, session.answers, force=force)
    if result.kept:
        console.print(f"Kept {len(result.kept)} file(s) you already had (not overwritten):")
        for path in result.kept:
            console.print(f"  {path}")
    show_next_steps(console, destination, session.answers["framework"])
