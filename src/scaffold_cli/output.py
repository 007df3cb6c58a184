"""What scaffold shows people: the decision table and the next steps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table

from scaffold_cli.lock import INSTALL_UV_URL, lock_advice

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console

    from scaffold_cli.decision import Decision, Rules
    from scaffold_cli.lock import LockOutcome
    from scaffold_cli.update import UpdateResult

LABELS = {"django": "Django", "fastapi": "FastAPI", "hybrid": "Hybrid"}


def format_answer(answer: object) -> str:
    if isinstance(answer, bool):
        return "yes" if answer else "no"
    return str(answer)


def show_decision(console: Console, decision: Decision, rules: Rules) -> None:
    """A table of the answers that counted, their points, and why; then the verdict."""
    table = Table(title="Which framework fits", title_justify="left", expand=False)
    table.add_column("Answer", style="bold", no_wrap=True)
    table.add_column("Django", justify="right")
    table.add_column("FastAPI", justify="right")
    table.add_column("Why")
    for rule in decision.reasons:
        table.add_row(
            f"{rule.question} = {format_answer(rule.answer)}",
            str(rule.django or ""),
            str(rule.fastapi or ""),
            rule.reason,
        )
    if not decision.reasons:
        table.add_row("(no answer leans either way)", "", "", "")
    table.add_section()
    table.add_row("Total", str(decision.scores["django"]), str(decision.scores["fastapi"]), "")
    console.print(table)
    console.print(verdict(decision, rules))
    if decision.advice:
        console.print(decision.advice)


def verdict(decision: Decision, rules: Rules) -> str:
    """The verdict line: the recommendation, and the rule that settled it when that matters."""
    django, fastapi = decision.scores["django"], decision.scores["fastapi"]
    threshold, ratio = rules.hybrid_threshold, rules.hybrid_max_ratio
    question, answer = rules.one_system
    notes = []
    if decision.framework == "hybrid":
        notes.append(f"both scores reach {threshold}, neither more than {ratio}x the other")
    elif decision.advice and min(django, fastapi) * ratio >= max(django, fastapi):
        notes.append(f"both sides are strong, but {question} = {format_answer(answer)}")
    elif decision.advice:
        notes.append(f"FastAPI's score is less than 1/{ratio} of Django's")
    elif django and fastapi:  # evidence on both sides: say how close Hybrid was
        notes.append(f"Hybrid when both scores reach {threshold}")
    if decision.framework != "hybrid" and django == fastapi:
        notes.append("a tie goes to Django")
    note = f" ({'; '.join(notes)})" if notes else ""
    return f"Recommendation: [bold green]{LABELS[decision.framework]}[/]{note}."


def show_choice(console: Console, decision: Decision, framework: str) -> None:
    """One line when the framework being created is not the recommended one."""
    if framework != decision.framework:
        console.print(
            f"Recommended {LABELS[decision.framework]}; creating {LABELS[framework]} as asked."
        )


def show_next_steps(
    console: Console, destination: Path, framework: str, lock: LockOutcome | None = None
) -> None:
    """How to start; `lock` is the outcome of `uv lock` (None: not attempted, --no-lock)."""
    console.print(f"\n[bold green]Created a {LABELS[framework]} project in {destination}[/]")
    console.print("\nNext steps:")
    console.print(f"  cd {destination}")
    if lock is None or not lock.locked:
        if lock is not None and lock.uv_missing:
            console.print(f"  # install uv first: {INSTALL_UV_URL}")
        console.print("  uv lock      # pin the dependencies in uv.lock (CI and the image use it)")
    console.print("  git init && git add -A && git commit -m 'Start from scaffold'")
    console.print("  make dev     # install with uv, migrate, run on http://127.0.0.1:8000")
    console.print("  make test    # run the tests")


def show_update(result: UpdateResult, *, pretend: bool) -> None:
    """What an update changed (or would change), and the files left to merge."""
    import sys

    from rich.console import Console

    console = Console()
    versions = f"{result.old_version} -> {result.new_version}"
    if pretend:
        console.print(f"Would update {versions}; nothing was changed (--pretend).")
        return
    if not result.changed:
        console.print(f"Already up to date ({versions}); nothing changed.")
        return
    console.print(f"Updated {versions}. Changed files (review with `git diff`, then commit):")
    for path in result.changed:
        console.print(f"  {path}")
    if result.lock is not None:
        if result.lock.locked:
            console.print("pyproject.toml changed: uv.lock was updated to match (uv lock).")
        else:
            print(
                f"scaffold: warning: pyproject.toml changed but uv.lock was not updated "
                f"({result.lock.problem}): {lock_advice(result.lock)}",
                file=sys.stderr,
            )
    if "pyproject.toml" in result.conflicts:
        console.print("After merging pyproject.toml, run `uv lock` so uv.lock matches it.")
    if result.conflicts:
        print(
            f"scaffold: {len(result.conflicts)} file(s) need merging by hand (look for "
            f"'<<<<<<< before updating'): {', '.join(result.conflicts)}",
            file=sys.stderr,
        )
