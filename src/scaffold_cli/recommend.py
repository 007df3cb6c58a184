"""`scaffold recommend`: only the decision, for people (a table) or tools (`--json`)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from rich.console import Console

from scaffold_cli import prompts, questionnaire
from scaffold_cli.answers import parse_pairs
from scaffold_cli.decision import Decision, Rules, recommend
from scaffold_cli.output import show_decision


def decide(pairs: Iterable[str], *, ask: bool, console: Console) -> tuple[Decision, Rules]:
    """Answer the decision questions (from --data, prompts or defaults) and decide."""
    form = questionnaire.load()
    data = form.parse_data(parse_pairs(pairs), allowed=form.decision_keys)
    session = questionnaire.collect(
        form,
        data,
        folder_name="",
        prompt=prompts.terminal_prompt(console) if ask else None,
        only=form.decision_keys,
    )
    rules = Rules.from_data(form.decision_rules)
    return recommend(session.answers, rules), rules


def run(pairs: Iterable[str], *, as_json: bool, defaults: bool) -> None:
    console = Console()
    ask = not as_json and not defaults and prompts.stdin_is_interactive()
    decision, rules = decide(pairs, ask=ask, console=console)
    if as_json:
        print(json.dumps(decision.as_dict(), indent=2))
    else:
        show_decision(console, decision, rules)
