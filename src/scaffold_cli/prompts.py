"""Asking the questionnaire at a terminal (rich prompts)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from rich.prompt import Confirm, Prompt

from scaffold_cli.output import format_answer

if TYPE_CHECKING:
    from rich.console import Console

    from scaffold_cli.questionnaire import Question, Session


def stdin_is_interactive() -> bool:
    """True when a person can answer prompts (tests replace this)."""
    return sys.stdin.isatty()


def terminal_prompt(console: Console):
    """A questionnaire.Prompt that asks at the terminal (rich prompts, choices numbered)."""

    def ask(session: Session, question: Question, default: Any, error: str | None) -> Any:
        if error:
            console.print(f"[red]{error}[/]")
        # The framework question's help repeats, for plain Copier users, the decision table
        # `scaffold new` has just shown.
        text = "Which framework?" if question.key == "framework" else session.help(question)
        label = f"[bold]{question.key}[/]: {text}"
        if question.type == "bool":
            return Confirm.ask(label, default=bool(default), console=console)
        if question.choices:
            for number, (choice_label, value) in enumerate(question.choices, start=1):
                console.print(f"  {number}. {value:<20} {choice_label}")
            values = [str(value) for value in question.choice_values]
            numbers = [str(n) for n in range(1, len(values) + 1)]
            answer = Prompt.ask(
                label,
                default=str(default),
                console=console,
                choices=values + numbers,
                show_choices=False,
            )
            return values[int(answer) - 1] if answer in numbers else answer
        return Prompt.ask(label, default=format_answer(default), console=console)

    return ask
