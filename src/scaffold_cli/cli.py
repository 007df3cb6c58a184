"""The `scaffold` command line: a thin Typer layer over the command modules.

Every failure reaches the user as one line on stderr and an exit code (2 for bad input,
1 for anything else), never as a traceback. An unexpected exception (a bug) is reported the
same way, naming its type; `--debug` or SCAFFOLD_DEBUG=1 adds the full traceback.
"""

from __future__ import annotations

import functools
import signal
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from scaffold_cli import __version__
from scaffold_cli.errors import ScaffoldError

app = typer.Typer(
    name="scaffold",
    help="Generate a Python backend: Django, FastAPI or a Hybrid, after asking which fits.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

F = TypeVar("F", bound=Callable[..., Any])

DataOption = Annotated[
    list[str] | None,
    typer.Option("--data", "-d", metavar="KEY=VALUE", help="Answer a question; repeatable."),
]
DefaultsOption = Annotated[
    bool, typer.Option("--defaults", help="Take the default for every question not in --data.")
]


def reporting_errors(command: F) -> F:
    """Turn scaffold's errors and Ctrl-C into one line on stderr and an exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ScaffoldError as error:
            print(f"scaffold: error: {error}", file=sys.stderr)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            print("scaffold: interrupted; nothing was written", file=sys.stderr)
            raise typer.Exit(130) from None
        except Terminated:
            print("scaffold: terminated; nothing was written", file=sys.stderr)
            raise typer.Exit(128 + signal.SIGTERM) from None

    return wrapper  # type: ignore[return-value]


def _show_version(value: bool) -> None:
    if value:
        print(f"scaffold {__version__}")
        raise typer.Exit()


DEBUG_ENV = "SCAFFOLD_DEBUG"
# Set by --debug (or SCAFFOLD_DEBUG=1) while the command line is parsed; read by main().
_debug = False


def _set_debug(value: bool) -> None:
    global _debug
    _debug = value


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version."),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            envvar=DEBUG_ENV,
            callback=_set_debug,
            is_eager=True,
            help="Show the full traceback of an unexpected error.",
        ),
    ] = False,
) -> None:
    """Generate a Python backend: Django, FastAPI, or a Hybrid of both."""


# Each command's logic lives in the module of the same name; these functions only declare
# the command line and hand over (imports are lazy: `scaffold --help` stays fast).
@app.command("new")
@reporting_errors
def new_command(
    destination: Annotated[
        Path | None,
        typer.Argument(help="Folder to create (default: the project slug).", show_default=False),
    ] = None,
    data: DataOption = None,
    defaults: DefaultsOption = False,
    framework: Annotated[
        str | None,
        typer.Option(help="Choose the framework: django, fastapi or hybrid.", show_default=False),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(help="Render into a non-empty folder; files already there are kept."),
    ] = False,
    lock: Annotated[
        bool,
        typer.Option(help="Lock the dependencies (`uv lock`, writes uv.lock) when uv is found."),
    ] = True,
) -> None:
    """Ask the questions, recommend a framework, render a new project, and lock it."""
    from scaffold_cli.new import create_project

    create_project(
        destination, data or [], framework=framework, defaults=defaults, force=force, lock=lock
    )


@app.command("recommend")
@reporting_errors
def recommend_command(
    data: DataOption = None,
    defaults: DefaultsOption = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the decision as JSON.")] = False,
) -> None:
    """Only the decision: which framework fits, with scores and reasons."""
    from scaffold_cli.recommend import show_recommendation

    show_recommendation(data or [], as_json=as_json, defaults=defaults)


# Exit code of `scaffold update` when the update is applied but some files need merging.
EXIT_CONFLICTS = 3


@app.command("update")
@reporting_errors
def update_command(
    destination: Annotated[
        Path, typer.Argument(help="The generated project (a clean git work tree).")
    ] = Path("."),
    data: DataOption = None,
    vcs_ref: Annotated[
        str | None,
        typer.Option("--vcs-ref", help="Template version (tag) to update to; default: newest."),
    ] = None,
    pretend: Annotated[
        bool, typer.Option("--pretend", help="Show what would change; change nothing.")
    ] = False,
    offline: Annotated[
        bool,
        typer.Option(
            "--offline",
            help="Use the template releases bundled with scaffold; do not contact the "
            "template repository (used anyway when it cannot be reached).",
        ),
    ] = False,
) -> None:
    """Apply the template's newer release to a generated project, keeping your edits."""
    from scaffold_cli.output import show_update
    from scaffold_cli.update import update_project

    result = update_project(
        destination, data or [], vcs_ref=vcs_ref, pretend=pretend, offline=offline
    )
    show_update(result, pretend=pretend)
    if result.conflicts:
        raise typer.Exit(EXIT_CONFLICTS)


@app.command("doctor")
@reporting_errors
def doctor_command(
    project: Annotated[
        Path, typer.Argument(help="The generated project (default: this folder).")
    ] = Path("."),
    data: Annotated[
        list[str] | None,
        typer.Option(
            "--data",
            "-d",
            metavar="KEY=VALUE",
            help="A changed answer to a decision question: would it recommend another "
            "framework? Repeatable.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    offline: Annotated[
        bool,
        typer.Option(
            "--offline", help="Read the newest release from the releases bundled with scaffold."
        ),
    ] = False,
) -> None:
    """Check a generated project: its template release, the decision, and drift. Changes nothing."""
    from scaffold_cli.doctor import examine, show

    show(examine(project, data or [], offline=offline), as_json=as_json)


class Terminated(BaseException):
    """SIGTERM arrived: unwind like Ctrl-C, so a half-rendered project is removed."""


def _terminate(_signum: int, _frame: object) -> None:
    raise Terminated


def main() -> None:
    """Entry point of the `scaffold` script.

    Click's own usage errors (an unknown option, a missing value) become one line on stderr
    too, like scaffold's, instead of a usage block; so does any unexpected exception.
    """
    try:  # recent Typer releases ship their own copy of Click
        from typer._click import exceptions as click_errors
    except ImportError:  # pragma: no cover - older Typer, on Click itself
        from click import exceptions as click_errors

    signal.signal(signal.SIGTERM, _terminate)
    try:
        code = app(standalone_mode=False)
    except click_errors.NoArgsIsHelpError as error:
        error.show()  # bare `scaffold`: the help text
        code = error.exit_code
    except click_errors.UsageError as error:
        command = error.ctx.command_path if error.ctx else "scaffold"
        message = f"{error.format_message()} (see '{command} --help')"
        print(f"scaffold: error: {message}", file=sys.stderr)
        code = error.exit_code
    except click_errors.ClickException as error:
        print(f"scaffold: error: {error.format_message()}", file=sys.stderr)
        code = error.exit_code
    except typer.Abort:  # end of input while a prompt waits (Typer's Abort, wherever it lives)
        print("scaffold: interrupted; nothing was written", file=sys.stderr)
        code = 130
    except Exception as error:  # noqa: BLE001 - the last resort: a bug, reported in one line
        report_unexpected(error)
        code = 1
    # Non-standalone Click returns what the command returned, or the code of a typer.Exit.
    sys.exit(code if isinstance(code, int) else 0)


def report_unexpected(error: Exception) -> None:
    """One line naming the exception; the traceback too under --debug or SCAFFOLD_DEBUG=1."""
    if _debug:
        traceback.print_exception(error, file=sys.stderr)
    lines = str(error).strip().splitlines()
    detail = f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__
    hint = f"; rerun as `scaffold --debug ...` or with {DEBUG_ENV}=1 for the traceback"
    hint = "" if _debug else hint
    print(
        f"scaffold: error: unexpected {detail} (a bug in scaffold, please report it{hint})",
        file=sys.stderr,
    )
