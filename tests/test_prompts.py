"""The prompts as a person meets them: `scaffold new` in a pseudo-terminal (pexpect), 80 columns.

Questions a test is not about are answered with `--data`, so each run asks only a few; the
project is rendered without `uv lock` (`--no-lock`). Timeouts are generous for a busy machine.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest
import yaml
from rich.console import Console

from scaffold_cli import prompts, questionnaire
from scaffold_cli.decision import Decision, Rules
from scaffold_cli.output import show_decision

ENTER, DOWN, UP, CTRL_C, CTRL_U = "\r", "\x1b[B", "\x1b[A", "\x03", "\x15"
WIDTH = 80


def answers_of(project: Path) -> dict:
    return yaml.safe_load((project / ".copier-answers.yml").read_text())


class Terminal:
    """`scaffold new DEST --no-lock` in an 80x24 pseudo-terminal, every question but `asked`
    answered with `--data` (their defaults)."""

    def __init__(self, destination: Path, asked: set[str], *extra: str) -> None:
        form = questionnaire.load()
        defaults = questionnaire.collect(form, {}, folder_name=destination.name).answers
        data = [
            f"--data={key}={prompts.format_answer(value)}"
            for key, value in defaults.items()
            if key not in asked and key != "framework"
        ]
        if "framework" not in asked:  # the recommendation otherwise
            data.append("--framework=django")
        env = {**os.environ, "TERM": "xterm-256color", "NO_COLOR": "1"}
        env.pop("COLUMNS", None)
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "scaffold_cli", "new", str(destination), "--no-lock", *data, *extra],
            encoding="utf-8",
            timeout=30,
            dimensions=(24, WIDTH),
            env=env,
        )
        self.output: list[str] = []
        self.child.logfile_read = self  # type: ignore[assignment]

    def write(self, text: str) -> None:  # pexpect's log: everything the terminal showed
        self.output.append(text)

    def flush(self) -> None:
        pass

    def question(self, key: str) -> None:
        """Wait until the question `key` is asked."""
        self.child.expect_exact(f" {key}: ")

    def answer(self, key: str, keys: str) -> None:
        self.question(key)
        self.child.send(keys)

    def sees(self, text: str) -> None:
        self.child.expect_exact(text)

    def sees_help(self, help_text: str) -> None:
        """The help's last words (the question line shows only its start), wrapped anywhere."""
        words = help_text.split()[-4:]
        self.child.expect(r"\s+".join(re.escape(word) for word in words))

    def finish(self) -> int:
        self.child.expect(pexpect.EOF)
        self.child.close()
        return self.child.exitstatus

    @property
    def shown(self) -> str:
        return "".join(self.output)


def test_arrow_keys_move_in_a_choice_list(tmp_path: Path) -> None:
    terminal = Terminal(tmp_path / "demo", {"teams", "ci", "bottleneck"})
    terminal.answer("teams", DOWN + ENTER)  # one -> few
    terminal.answer("bottleneck", UP + ENTER)  # unknown (the default, last) -> io
    terminal.answer("ci", DOWN + DOWN + ENTER)  # github -> gitlab -> none
    assert terminal.finish() == 0, terminal.shown
    answers = answers_of(tmp_path / "demo")
    assert (answers["teams"], answers["bottleneck"], answers["ci"]) == ("few", "io", "none")
    assert "^[[B" not in terminal.shown  # the arrow was a key, not echoed text
    assert "^[" not in terminal.shown


def test_choices_are_picked_by_typing_a_label_or_value(tmp_path: Path) -> None:
    asked = {"teams", "ops_tolerance", "team_knows", "framework"}
    terminal = Terminal(tmp_path / "demo", asked)
    terminal.answer("teams", "many" + ENTER)  # part of the label "Many teams"
    terminal.answer("ops_tolerance", "MANY_SERVICES" + ENTER)  # the value, any case
    terminal.answer("team_knows", "Both" + ENTER)
    terminal.answer("framework", "flask" + ENTER)  # matches nothing: refused, still asked
    terminal.child.send("\b" * 5 + "fastapi" + ENTER)
    assert terminal.finish() == 0, terminal.shown
    answers = answers_of(tmp_path / "demo")
    assert answers["teams"] == "many"
    assert answers["ops_tolerance"] == "many_services"
    assert answers["team_knows"] == "both"
    assert answers["framework"] == "fastapi"


def test_a_confirm_takes_yes_and_y_in_any_case(tmp_path: Path) -> None:
    asked = {"needs_admin", "renders_html", "use_docker", "relational_data"}
    terminal = Terminal(tmp_path / "demo", asked)
    terminal.answer("needs_admin", "yes" + ENTER)
    terminal.answer("renders_html", "Y" + ENTER)
    terminal.answer("relational_data", "No" + ENTER)
    terminal.answer("use_docker", "n" + ENTER)
    assert terminal.finish() == 0, terminal.shown
    answers = answers_of(tmp_path / "demo")
    assert (answers["needs_admin"], answers["renders_html"]) == (True, True)
    assert (answers["relational_data"], answers["use_docker"]) == (False, False)


def test_question_mark_shows_the_help_then_asks_again(tmp_path: Path, form) -> None:
    asked = {"project_slug", "io_fanout", "bottleneck", "description"}
    terminal = Terminal(tmp_path / "demo", asked)
    terminal.question("project_slug")
    terminal.sees("(? for help)")
    terminal.child.send("?")  # on the untouched default: help
    terminal.sees_help(form["project_slug"].help)
    terminal.answer("project_slug", ENTER)
    terminal.answer("description", CTRL_U + "Why? Because." + ENTER)  # `?` inside text is text
    terminal.answer("io_fanout", "?")
    terminal.sees_help(form["io_fanout"].help)
    terminal.answer("io_fanout", "y" + ENTER)
    terminal.answer("bottleneck", "?")
    terminal.sees_help(form["bottleneck"].help)
    terminal.answer("bottleneck", ENTER)
    assert terminal.finish() == 0, terminal.shown
    answers = answers_of(tmp_path / "demo")
    assert answers["project_slug"] == "demo"
    assert answers["description"] == "Why? Because."
    assert answers["io_fanout"] is True
    assert answers["bottleneck"] == "unknown"


def test_a_refused_answer_says_why_inline(tmp_path: Path) -> None:
    terminal = Terminal(tmp_path / "demo", {"project_slug"})
    terminal.answer("project_slug", CTRL_U + "class" + ENTER)
    terminal.sees("is a Python keyword")
    terminal.child.send(CTRL_U + "shop" + ENTER)
    assert terminal.finish() == 0, terminal.shown
    assert answers_of(tmp_path / "demo")["project_slug"] == "shop"


def test_ctrl_c_stops_with_one_line_and_writes_nothing(tmp_path: Path) -> None:
    terminal = Terminal(tmp_path / "demo", {"needs_admin"})
    terminal.answer("needs_admin", CTRL_C)
    terminal.sees("scaffold: interrupted; nothing was written")
    assert terminal.finish() == 130
    assert "Traceback" not in terminal.shown
    assert list(tmp_path.iterdir()) == []


# --- 80 columns --------------------------------------------------------------------------


def test_every_prompt_line_fits_80_columns(form) -> None:
    """Question lines, choice lists and answered lines (a long typed answer may wrap)."""
    session = questionnaire.collect(form, {}, folder_name="a_long_project_folder_name")
    for question in form.asked:
        for line in prompts.question_lines(
            question, session.help(question), session.default(question)
        ):
            assert len(line) <= WIDTH, line


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"needs_admin": True, "renders_html": True, "io_fanout": True, "realtime": True,
         "ml_serving": True, "independent_services": True, "teams": "many",
         "ops_tolerance": "many_services", "bottleneck": "io", "team_knows": "both"},
    ],
    ids=["defaults", "every-rule"],
)  # fmt: skip
def test_the_score_table_fits_80_columns(form, data) -> None:
    session = questionnaire.collect(form, data, folder_name="demo", until="framework")
    decision = Decision.from_session(session)
    console = Console(width=WIDTH, record=True, color_system=None)
    show_decision(console, decision, Rules.from_session(session))
    text = console.export_text()
    lines = text.splitlines()
    assert all(len(line) <= WIDTH for line in lines), text
    assert "Which framework fits" in text
    assert re.search(r"Total\s+│\s+\d+\s+│\s+\d+", text), text
    for reason in decision.reasons:  # every answer that counted is named on one line
        assert f"{reason.question} = {prompts.format_answer(reason.answer)}" in text
    assert "Recommendation:" in text
