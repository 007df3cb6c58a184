"""The command line, used as a person or a script would (Typer's CliRunner, in tmp_path)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from scaffold_cli import prompts, recommend, render
from scaffold_cli.cli import app, main
from tests import fake_uv as fake_uv_module
from tests.fake_uv import FakeUv

runner = CliRunner()


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.fixture(autouse=True)
def fake_uv(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> FakeUv:
    """`scaffold new` locks with uv: a stand-in answers, so no test resolves or downloads."""
    return fake_uv_module.install(tmp_path_factory, monkeypatch)


def scaffold(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def answers_of(project: Path) -> dict:
    return yaml.safe_load((project / ".copier-answers.yml").read_text())


def assert_one_line_error(result, code: int, fragment: str) -> None:
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("scaffold: error: ")
    assert fragment in lines[0]
    assert "Traceback" not in result.output


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_version() -> None:
    result = scaffold("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("scaffold ")


def test_new_with_defaults_renders_a_django_project(tmp_path: Path) -> None:
    result = scaffold("new", "demo", "--defaults", "--data", "project_name=Demo")
    assert result.exit_code == 0, result.output
    project = tmp_path / "demo"
    assert (project / "manage.py").is_file()
    assert answers_of(project)["framework"] == "django"
    assert "Recommendation: Django" in result.stdout
    assert "Next steps" in result.stdout
    assert "make test" in result.stdout
    # Nothing but the project was created next to it (no staging folder left behind).
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]


@pytest.mark.parametrize(
    ("framework", "marker"),
    [
        ("django", "config/settings/prod.py"),
        ("fastapi", "demo/main.py"),
        ("hybrid", "demo_api/main.py"),
    ],
)
def test_framework_option_overrides_the_recommendation(tmp_path, framework, marker) -> None:
    result = scaffold("new", "demo", "--defaults", "--framework", framework)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "demo" / marker).is_file()
    assert answers_of(tmp_path / "demo")["framework"] == framework


def test_destination_defaults_to_the_slug(tmp_path: Path) -> None:
    result = scaffold("new", "--defaults", "--data", "project_name=Acme Orders")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "acme_orders" / "pyproject.toml").is_file()


def test_decision_answers_reach_the_project(tmp_path: Path) -> None:
    result = scaffold(
        "new",
        "demo",
        "--defaults",
        "-d",
        "needs_admin=yes",
        "-d",
        "renders_html=yes",
        "-d",
        "ml_serving=yes",
        "-d",
        "ops_tolerance=many_services",  # one_app never yields a Hybrid
    )
    assert result.exit_code == 0, result.output
    assert answers_of(tmp_path / "demo")["framework"] == "hybrid"
    adr = (tmp_path / "demo" / "docs" / "decisions" / "0001-framework.md").read_text()
    assert "as recommended" in adr
    assert "`ml_serving` = yes" in adr


def test_refuses_a_non_empty_destination_and_touches_nothing(tmp_path: Path) -> None:
    project = tmp_path / "demo"
    project.mkdir()
    (project / "notes.txt").write_text("mine")
    before = snapshot(project)
    result = scaffold("new", "demo", "--defaults")
    assert_one_line_error(result, 2, "not empty")
    assert snapshot(project) == before


def test_force_adds_files_and_keeps_the_users_own(tmp_path: Path) -> None:
    project = tmp_path / "demo"
    project.mkdir()
    (project / "notes.txt").write_text("mine")
    (project / "README.md").write_text("my readme")
    result = scaffold("new", "demo", "--defaults", "--force")
    assert result.exit_code == 0, result.output
    assert (project / "notes.txt").read_text() == "mine"
    assert (project / "README.md").read_text() == "my readme"
    assert (project / "manage.py").is_file()
    assert "README.md" in result.stdout


def test_an_empty_destination_is_fine(tmp_path: Path) -> None:
    (tmp_path / "demo").mkdir()
    assert scaffold("new", "demo", "--defaults").exit_code == 0


def test_refuses_a_destination_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "demo").write_text("a file")
    assert_one_line_error(scaffold("new", "demo", "--defaults"), 2, "not a directory")
    assert (tmp_path / "demo").read_text() == "a file"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--data", "project_slug=class"], "keyword"),
        (["--data", "project_slug=django"], "shadow"),
        (["--data", "author_email=nope"], "valid email"),
        (["--data", "colour=blue"], "unknown question 'colour'"),
        (["--data", "teams=lots"], "not one of"),
        (["--data", "needs_admin=perhaps"], "expected yes or no"),
        (["--data", "no-equals-sign"], "KEY=VALUE"),
        (["--framework", "flask"], "not one of"),
        (["--framework", "django", "--data", "framework=fastapi"], "disagree"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args, fragment) -> None:
    result = scaffold("new", "demo", "--defaults", *args)
    assert_one_line_error(result, 2, fragment)
    assert not (tmp_path / "demo").exists()


def test_without_a_terminal_it_fails_fast_instead_of_hanging(tmp_path: Path) -> None:
    result = scaffold("new", "demo")
    assert_one_line_error(result, 2, "--defaults")
    assert not (tmp_path / "demo").exists()


class _CurrentStdout:
    """sys.stdout as it is when written to (CliRunner swaps it in after the session starts)."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        return sys.stdout.write(text)

    def flush(self) -> None:
        sys.stdout.flush()


@pytest.fixture
def keyboard(monkeypatch: pytest.MonkeyPatch):
    """Type keys at questionary's prompts: prompt_toolkit reads them from a pipe, not a tty,
    and draws to stdout as plain text (tests/test_prompts.py drives a real pseudo-terminal)."""
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output.plain_text import PlainTextOutput

    monkeypatch.setattr(prompts, "stdin_is_interactive", lambda: True)
    with (
        create_pipe_input() as pipe,
        create_app_session(input=pipe, output=PlainTextOutput(_CurrentStdout())),  # type: ignore[arg-type]
    ):
        yield pipe


ENTER, DOWN, CLEAR = "\r", "\x1b[B", "\x15"  # Ctrl-U clears the prefilled default


def test_interactive_questionnaire(tmp_path: Path, keyboard) -> None:
    replies = {
        "project_name": CLEAR + "Shop" + ENTER,
        # Refused inline (Enter does nothing), then corrected.
        "project_slug": CLEAR + "class" + ENTER + CLEAR + "shop" + ENTER,
        "description": ENTER,
        "author_name": ENTER,
        "author_email": ENTER,
        "needs_admin": "y" + ENTER,
        "renders_html": "yes" + ENTER,
        "relational_data": ENTER,
        "api_first": ENTER,
        "io_fanout": "Y" + ENTER,
        "realtime": ENTER,
        "ml_serving": ENTER,
        "independent_services": ENTER,
        "teams": ENTER,
        "ops_tolerance": "many" + ENTER,
        "bottleneck": ENTER,
        "priority": ENTER,
        "team_knows": ENTER,
        "framework": ENTER,
        "use_celery": ENTER,
        "use_redis": ENTER,
        "use_sentry": ENTER,
        "use_docker": ENTER,
        "ci": ENTER,
        "include_example": ENTER,
    }
    keyboard.send_text("".join(replies.values()))
    result = scaffold("new", "shop")
    assert result.exit_code == 0, result.output
    out = result.stdout
    # `class` was refused inline (tests/test_prompts.py sees the message in a terminal).
    # Ask up to the decision, show it, then ask the framework and the rest.
    assert out.index("team_knows") < out.index("Which framework fits")
    assert out.index("Recommendation: Hybrid") < out.index("framework: Which framework?")
    assert out.index("framework: Which framework?") < out.index("use_celery")
    assert out.count("Which framework fits") == 1
    assert "as asked" not in out  # the recommendation was taken
    answers = answers_of(tmp_path / "shop")
    assert answers["project_slug"] == "shop"
    assert answers["framework"] == "hybrid"
    assert (answers["needs_admin"], answers["renders_html"], answers["io_fanout"]) == (
        True,
        True,
        True,
    )
    assert answers["ops_tolerance"] == "many_services"


def test_interactive_override_is_said_in_one_line(tmp_path, keyboard, form) -> None:
    asked = [question.key for question in form.asked]
    before, after = asked.index("framework"), len(asked) - asked.index("framework") - 1
    # Every default, but framework: one down the list, FastAPI.
    keyboard.send_text(ENTER * before + DOWN + ENTER + ENTER * after)
    result = scaffold("new", "shop")
    assert result.exit_code == 0, result.output
    assert "Recommended Django; creating FastAPI as asked." in result.stdout
    assert answers_of(tmp_path / "shop")["framework"] == "fastapi"


@pytest.mark.parametrize(
    "args",
    [["--framework", "fastapi"], ["--data", "framework=fastapi"]],
    ids=["option", "data"],
)
def test_an_override_with_defaults_is_said_in_one_line(args) -> None:
    result = scaffold("new", "demo", "--defaults", *args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines.count("Recommended Django; creating FastAPI as asked.") == 1
    assert lines.index("Recommendation: Django.") < lines.index(
        "Recommended Django; creating FastAPI as asked."
    )


def test_taking_the_recommendation_says_nothing_more() -> None:
    result = scaffold("new", "demo", "--defaults", "--framework", "django")
    assert result.exit_code == 0, result.output
    assert "as asked" not in result.stdout


def test_a_prompt_left_without_input_is_an_interruption(
    tmp_path, keyboard, monkeypatch, capsys
) -> None:
    """End of input while a prompt waits (Ctrl-D): one line, exit 130, nothing written."""
    keyboard.send_text(CLEAR + "Shop" + ENTER)
    keyboard.close()
    code, _, err = run_main(monkeypatch, capsys, "new", "shop")
    assert code == 130, err
    assert err.strip() == "scaffold: interrupted; nothing was written"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("answers", "verdict"),
    [
        ([], "Recommendation: Django."),  # only Django has points
        (["api_first=yes"], "Recommendation: FastAPI (Hybrid when both scores reach 6)."),
        (["api_first=yes", "priority=platform_stability", "ops_tolerance=many_services"],
         "Recommendation: FastAPI."),
        (["needs_admin=yes", "io_fanout=yes", "ops_tolerance=many_services"],
         "Recommendation: Hybrid (both scores reach 6, neither more than 2x the other)."),
        (["needs_admin=yes", "io_fanout=yes"],
         "Recommendation: Django (both sides are strong, but ops_tolerance = one_app)."),
        (["needs_admin=yes", "renders_html=yes", "relational_data=yes", "io_fanout=yes"],
         "Recommendation: Django (FastAPI's score is less than 1/2 of Django's)."),
        (["api_first=yes", "team_knows=django"],
         "Recommendation: Django (Hybrid when both scores reach 6; a tie goes to Django)."),
    ],
    ids=["django-only", "both-sides", "fastapi-only", "hybrid", "one-system", "lopsided", "tie"],
)  # fmt: skip
def test_the_verdict_mentions_the_rules_only_when_they_matter(answers, verdict) -> None:
    args = [arg for answer in answers for arg in ("-d", answer)]
    result = scaffold("recommend", "--defaults", *args)
    assert result.exit_code == 0, result.output
    assert verdict in result.stdout.splitlines()
    # Django over real FastAPI evidence: the way to grow comes after the verdict.
    grows = "scaffold update --data framework=hybrid" in " ".join(result.stdout.split())
    assert grows == (verdict.startswith("Recommendation: Django (") and "Hybrid" not in verdict)


def test_an_interrupted_render_leaves_nothing(tmp_path: Path, monkeypatch) -> None:
    def interrupted(staging: Path, answers, source) -> None:
        staging.mkdir(parents=True)
        (staging / "half-written.py").write_text("")
        raise KeyboardInterrupt

    monkeypatch.setattr(render, "_copy", interrupted)
    result = scaffold("new", "demo", "--defaults")
    assert result.exit_code == 130
    assert "nothing was written" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def ctrl_c_raises() -> Iterator[None]:
    """Python's own SIGINT handler, whatever this run inherited (a background job's is SIG_IGN)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.mark.usefixtures("ctrl_c_raises")
def test_ctrl_c_as_the_staging_folder_is_created_leaves_nothing(
    tmp_path: Path, monkeypatch
) -> None:
    """The signal lands after the folder exists, before scaffold has noted its name."""
    created = render.tempfile.mkdtemp

    def then_interrupted(**kwargs) -> str:
        folder = created(**kwargs)
        signal.raise_signal(signal.SIGINT)
        return folder

    monkeypatch.setattr(render.tempfile, "mkdtemp", then_interrupted)
    result = scaffold("new", "demo", "--defaults")
    assert result.exit_code == 130
    assert "nothing was written" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.usefixtures("ctrl_c_raises")
def test_ctrl_c_while_the_project_moves_into_place_keeps_it_whole(
    tmp_path: Path, monkeypatch
) -> None:
    """Once the move has begun the project is written: success, not a lie about nothing."""
    move = render._move_into_place

    def interrupted_midway(staging: Path, destination: Path) -> render.RenderResult:
        signal.raise_signal(signal.SIGINT)
        return move(staging, destination)

    monkeypatch.setattr(render, "_move_into_place", interrupted_midway)
    result = scaffold("new", "demo", "--defaults", "--no-lock")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "demo" / "pyproject.toml").is_file()
    assert [path.name for path in tmp_path.iterdir()] == ["demo"]


def test_a_failed_render_leaves_nothing_and_exits_1(tmp_path: Path, monkeypatch) -> None:
    def broken(staging: Path, answers, source) -> None:
        staging.mkdir(parents=True)
        raise render.RenderError("rendering failed: disk full")

    monkeypatch.setattr(render, "_copy", broken)
    assert_one_line_error(scaffold("new", "demo", "--defaults"), 1, "disk full")
    assert list(tmp_path.iterdir()) == []


def test_unwritable_parent_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = scaffold("new", str(locked / "demo"), "--defaults")
        if result.exit_code == 0:  # running as root: permissions do not apply
            pytest.skip("permission bits are not enforced for this user")
        assert_one_line_error(result, 2, "not writable")
    finally:
        locked.chmod(0o700)


def test_recommend_json_for_tools() -> None:
    result = scaffold("recommend", "--json", "-d", "api_first=yes", "-d", "realtime=yes")
    assert result.exit_code == 0, result.output
    decision = json.loads(result.stdout)
    assert decision["framework"] == "fastapi"
    assert decision["scores"] == {"django": 4, "fastapi": 10}
    assert {r["question"] for r in decision["reasons"]} == {
        "api_first",
        "realtime",
        "ops_tolerance",
        "priority",
    }
    assert all(r["reason"] for r in decision["reasons"])


def test_recommend_table_for_people() -> None:
    result = scaffold(
        "recommend", "--defaults", "-d", "needs_admin=yes", "-d", "io_fanout=yes",
        "-d", "ops_tolerance=many_services",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Recommendation: Hybrid" in result.stdout
    assert "needs_admin = yes" in result.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [(["-d", "project_name=x"], "unknown question"), (["-d", "realtime=sometimes"], "yes or no")],
)
def test_recommend_bad_input(args, fragment) -> None:
    assert_one_line_error(scaffold("recommend", "--json", *args), 2, fragment)


def run_main(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """Run `scaffold ARGS` through main(), the installed script's entry point, in this process."""
    monkeypatch.setattr(sys, "argv", ["scaffold", *args])
    monkeypatch.setattr(signal, "signal", lambda *_: None)  # keep pytest's SIGTERM handler
    with pytest.raises(SystemExit) as exited:
        main()
    captured = capsys.readouterr()
    return exited.value.code, captured.out, captured.err


def boom(*_args, **_kwargs):
    raise RuntimeError("the engine fell over\nsecond line")


def test_an_unexpected_error_is_one_line_and_exit_1(monkeypatch, capsys) -> None:
    monkeypatch.delenv("SCAFFOLD_DEBUG", raising=False)
    monkeypatch.setattr(recommend, "show_recommendation", boom)
    code, _, err = run_main(monkeypatch, capsys, "recommend", "--defaults")
    assert code == 1
    assert err.count("\n") == 1, err
    assert err.startswith("scaffold: error: unexpected RuntimeError: the engine fell over (")
    assert "a bug in scaffold" in err
    assert "--debug" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("how", ["env", "option"])
def test_debug_shows_the_traceback(monkeypatch, capsys, how: str) -> None:
    monkeypatch.delenv("SCAFFOLD_DEBUG", raising=False)
    monkeypatch.setattr(recommend, "show_recommendation", boom)
    if how == "env":
        monkeypatch.setenv("SCAFFOLD_DEBUG", "1")
        args = ["recommend", "--defaults"]
    else:
        args = ["--debug", "recommend", "--defaults"]
    code, _, err = run_main(monkeypatch, capsys, *args)
    assert code == 1
    assert err.startswith("Traceback (most recent call last):")
    assert 'raise RuntimeError("the engine fell over' in err
    assert err.splitlines()[-1].startswith("scaffold: error: unexpected RuntimeError:")


# --- The lock: `scaffold new` leaves uv.lock, or says what to run --------------------------


def test_new_locks_the_project_with_uv(tmp_path: Path, fake_uv: FakeUv) -> None:
    result = scaffold("new", "demo", "--defaults")
    assert result.exit_code == 0, result.output
    project = tmp_path / "demo"
    assert fake_uv.calls() == [(project, "lock")]
    assert (project / "uv.lock").is_file()
    assert "Locked" in result.stdout
    next_steps = result.stdout.split("Next steps:")[1]
    assert "uv lock" not in next_steps  # nothing left to do
    assert not result.stderr


def test_new_when_uv_lock_fails_keeps_the_project_and_says_what_to_run(
    tmp_path: Path, fake_uv: FakeUv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_UV_FAIL", "1")
    result = scaffold("new", "demo", "--defaults")
    assert result.exit_code == 0, result.output  # the project is made; only the lock is not
    assert (tmp_path / "demo" / "manage.py").is_file()
    assert not (tmp_path / "demo" / "uv.lock").exists()
    assert result.stderr.strip() == (
        "scaffold: warning: uv lock failed: Failed to fetch: `https://pypi.org/simple/django/`; "
        "uv.lock was not written"
    )
    assert "Traceback" not in result.output
    assert "uv lock" in result.stdout.split("Next steps:")[1]


def test_new_without_uv_says_how_to_get_it(tmp_path: Path, monkeypatch) -> None:
    from scaffold_cli import lock

    real_which = lock.shutil.which
    monkeypatch.setattr(
        lock.shutil, "which", lambda name: None if name == "uv" else real_which(name)
    )
    result = scaffold("new", "demo", "--defaults")
    assert result.exit_code == 0, result.output
    assert "uv is not installed" in result.stderr
    next_steps = result.stdout.split("Next steps:")[1]
    assert lock.INSTALL_UV_URL in next_steps
    assert "uv lock" in next_steps


def test_a_hanging_uv_lock_times_out(tmp_path: Path, fake_uv, monkeypatch) -> None:
    from scaffold_cli import lock

    monkeypatch.setattr(lock, "LOCK_TIMEOUT_SECONDS", 0.5)
    monkeypatch.setenv("FAKE_UV_SLEEP", "5")
    result = scaffold("new", "demo", "--defaults")
    assert result.exit_code == 0, result.output
    assert "uv lock did not finish within 0.5 s" in result.stderr


def test_no_lock_skips_uv(tmp_path: Path, fake_uv: FakeUv) -> None:
    result = scaffold("new", "demo", "--defaults", "--no-lock")
    assert result.exit_code == 0, result.output
    assert fake_uv.calls() == []
    assert not (tmp_path / "demo" / "uv.lock").exists()
    assert "uv lock" in result.stdout.split("Next steps:")[1]


def test_new_leaves_a_project_that_installs_locked(tmp_path: Path, monkeypatch) -> None:
    """With the real uv: the lock scaffold writes is the one `uv sync --locked` accepts."""
    monkeypatch.undo()  # the real uv, not the stand-in
    monkeypatch.chdir(tmp_path)
    result = scaffold("new", "demo", "--defaults", "--framework", "fastapi")
    assert result.exit_code == 0, result.output
    project = tmp_path / "demo"
    assert (project / "uv.lock").is_file()
    check = subprocess.run(
        ["uv", "lock", "--check", "--offline"], cwd=project, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
