"""`scaffold recommend`: only the decision, for people (a table) or tools (`--json`)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from rich.console import Console

from scaffold_cli import prompts, questionnaire
from scaffold_cli.answers import parse_pairs
from scaffold_cli.decision import FRAMEWORK_KEY, Decision, Rules
from scaffold_cli.output import show_decision


def show_recommendation(pairs: Iterable[str], *, as_json: bool, defaults: bool) -> None:
    """Answer the decision questions (from --data, prompts or defaults); show the decision."""
    console = Console()
    ask = not as_json and not defaults and prompts.stdin_is_interactive()
    form = questionnaire.load()
    data = form.parse_data(parse_pairs(pairs), allowed=form.decision_keys)
    session = questionnaire.collect(
        form,
        data,
        folder_name="",
        prompt=prompts.terminal_prompt(console) if ask else None,
        only=form.decision_keys,
        until=FRAMEWORK_KEY,
    )
    decision = Decision.from_session(session)
    if as_json:
        print(json.dumps(decision.as_dict(), indent=2))
    else:
        show_decision(console, decision, Rules.from_session(session))
