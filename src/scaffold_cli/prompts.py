"""Asking the questionnaire at a terminal, with questionary (the prompt library Copier uses).

Each question of copier.yml becomes the prompt that fits its type: an arrow-key list for
choices (the default preselected; typing part of a choice's label or value, in any case,
narrows the list), a yes/no confirm for booleans (y, Y, yes, n, No... then Enter), and a
line of text with the default prefilled for the rest, whose validator (copier.yml's Jinja,
through questionnaire.Session) answers inline while typing. The question line shows a short
hint; `?` prints the question's full help and asks again. Ctrl-C (or Ctrl-D) raises
KeyboardInterrupt, which the command line reports in one line (nothing is written before
the last question is answered).
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Any

import questionary
from prompt_toolkit.filters import Condition
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from rich.markup import escape

from scaffold_cli.errors import InvalidAnswerError
from scaffold_cli.output import format_answer

if TYPE_CHECKING:
    from prompt_toolkit.key_binding import KeyPressEvent
    from rich.console import Console

    from scaffold_cli.questionnaire import Question, Session

HELP_KEY = "?"
HELP_INSTRUCTION = "(? for help)"
SELECT_INSTRUCTION = "(type to filter, ? for help)"
# Prompt lines stay within 80 columns (questionary's "? " mark, the message, the rest).
WIDTH = 80
MIN_HINT = 16


class _Help:
    """What a prompt returns when `?` was asked for instead of an answer."""


HELP = _Help()


def stdin_is_interactive() -> bool:
    """True when a person can answer prompts (tests replace this)."""
    return sys.stdin.isatty()


def hint(question: Question, help_text: str, width: int) -> str:
    """The short text of the question line: the help's first sentence, at most `width`."""
    # The framework question's help repeats, for plain Copier users, the decision table
    # `scaffold new` has just shown.
    if question.key == "framework":
        return "Which framework?"
    first = re.split(r"(?<=[.?!:])\s", help_text, maxsplit=1)[0].rstrip(".:")
    if len(first) > width:
        first = first[: width - 3].rsplit(" ", 1)[0].rstrip(",;:") + "..."
    return first


def choice_title(label: str) -> tuple[str, str | None]:
    """A choice as listed: `Django: admin, ORM...` is listed as `Django`, the rest of the label
    shown under the list while it is pointed at (so the answered line fits 80 columns)."""
    title, _, description = label.partition(": ")
    return title, description or None


def confirm_instruction(default: Any) -> str:
    return f"{'(Y/n)' if default else '(y/N)'} {HELP_INSTRUCTION} "


def question_lines(question: Question, help_text: str, default: Any) -> list[str]:
    """The lines a question shows while asked and once answered (without colours).

    The hint in `message` is cut so that the longest of them fits WIDTH columns (a text
    prompt's default counts, but a long one wraps like any long answer).
    """
    message = f"{question.key}: {hint(question, help_text, _hint_width(question, default))}"
    if question.type == "bool":
        return [f"? {message} {confirm_instruction(default)}Yes"]
    if question.choices:
        titles = [choice_title(label)[0] for label, _ in question.choices]
        answered = [f"? {message} {title}" for title in titles]
        return [f"? {message} {SELECT_INSTRUCTION}", *answered, *(f" » {t}" for t in titles)]
    return [f"? {message} {HELP_INSTRUCTION}"]  # then the default, which may wrap


def _hint_width(question: Question, default: Any) -> int:
    if question.type == "bool":
        rest = len(confirm_instruction(default)) + len("Yes")
    elif question.choices:
        longest = max(len(choice_title(label)[0]) for label, _ in question.choices)
        rest = max(len(SELECT_INSTRUCTION), longest)
    else:
        rest = len(HELP_INSTRUCTION) + 1 + len(format_answer(default))
    # "? " + key + ": " + hint + " " + rest, kept one column short of the edge.
    return max(MIN_HINT, WIDTH - 1 - len("? ") - len(question.key) - len(": ") - 1 - rest)


def terminal_prompt(console: Console):
    """A questionnaire.Prompt that asks at the terminal with questionary."""

    def ask(session: Session, question: Question, default: Any, error: str | None) -> Any:
        if error:  # the inline validation catches most; this is the questionnaire's re-ask
            console.print(f"[red]{escape(error)}[/]")
        help_text = session.help(question)
        width = _hint_width(question, default)
        message = f"{question.key}: {hint(question, help_text, width)}"
        while True:
            try:
                answer = _prompt(session, question, default, message).unsafe_ask()
            except EOFError:  # Ctrl-D: stop, as Ctrl-C does
                raise KeyboardInterrupt from None
            if answer is HELP or (isinstance(answer, str) and answer.strip() == HELP_KEY):
                console.print(f"[bold]{question.key}[/]: {escape(help_text)}", highlight=False)
                continue
            return answer

    return ask


def _prompt(
    session: Session, question: Question, default: Any, message: str
) -> questionary.Question:
    if question.type == "bool":
        prompt = questionary.confirm(
            message,
            default=bool(default),
            auto_enter=False,  # `yes` + Enter, not `y` taken and `es` left for the next one
            instruction=confirm_instruction(default),
        )
        return _with_help_key(prompt)
    if question.choices:
        choices = []
        for label, value in question.choices:
            title, description = choice_title(label)
            choices.append(questionary.Choice(title, value=value, description=description))
        prompt = questionary.select(
            message,
            choices=choices,
            default=next((c for c in choices if c.value == default), None),
            instruction=SELECT_INSTRUCTION,
            use_search_filter=True,
            use_jk_keys=False,  # letters filter the list
        )
        return _with_help_key(_refusing_unmatched_filters(prompt, list(question.choice_values)))
    prefilled = format_answer(default)
    prompt = questionary.text(
        message,
        default=prefilled,
        instruction=HELP_INSTRUCTION,
        validate=_validator(session, question),
    )
    # `?` on the untouched line (the default, or nothing) is help; elsewhere it is text.
    untouched = Condition(lambda: prompt.application.current_buffer.text in {"", prefilled})
    return _with_help_key(prompt, untouched)


def _validator(session: Session, question: Question):
    """copier.yml's validator, as questionary's inline `validate` (True or the message)."""

    def validate(text: str) -> bool | str:
        if text.strip() == HELP_KEY:
            return True
        try:
            session.check(question, question.parse(text))
        except InvalidAnswerError as invalid:
            return str(invalid)
        return True

    return validate


def _with_help_key(prompt: questionary.Question, when: Any = True) -> questionary.Question:
    """Make `?` end the prompt with HELP (the caller prints the help and asks again)."""
    bindings = KeyBindings()

    @bindings.add(HELP_KEY, eager=True, filter=when)
    def _help(event: KeyPressEvent) -> None:
        event.app.exit(result=HELP)

    app = prompt.application
    app.key_bindings = merge_key_bindings([app.key_bindings, bindings])  # type: ignore[list-item]
    return prompt


def _refusing_unmatched_filters(
    prompt: questionary.Question, values: list[Any]
) -> questionary.Question:
    """Enter on a typed filter that matches no choice's label: the choice of that value
    (`one_app`, in any case), else nothing happens.

    questionary would list every choice again with the first one pointed at, and Enter would
    answer `flask` with Django.
    """
    from questionary.prompts.common import InquirerControl

    control = next(
        c for c in prompt.application.layout.find_all_controls() if isinstance(c, InquirerControl)
    )

    def typed() -> str:
        return (control.search_filter or "").lower()

    def unmatched() -> bool:
        return bool(typed()) and not any(typed() in str(c.title).lower() for c in control.choices)

    bindings = KeyBindings()

    @bindings.add("enter", eager=True, filter=Condition(unmatched))
    def _by_value(event: KeyPressEvent) -> None:
        spelled = [str(value).lower() for value in values]
        if typed() not in spelled:
            event.app.output.bell()
            return
        index = spelled.index(typed())
        control.search_filter = None
        control.pointed_at = index
        control.is_answered = True
        event.app.exit(result=values[control.pointed_at])

    app = prompt.application
    app.key_bindings = merge_key_bindings([app.key_bindings, bindings])  # type: ignore[list-item]
    return prompt
