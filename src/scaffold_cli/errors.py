"""The errors scaffold raises.

The library raises typed errors carrying a message written for the user; only the command
line (cli.py) turns them into an exit code and one line on stderr.
"""


class ScaffoldError(Exception):
    """Base class: a failure the user should read about, never a traceback."""

    exit_code = 1


class UsageError(ScaffoldError):
    """Bad input from the user: a bad answer, an unknown key, an unusable destination."""

    exit_code = 2


class UnknownQuestionError(UsageError):
    """A `--data` key that is not a question of the questionnaire."""


class InvalidAnswerError(UsageError):
    """An answer of the wrong type, outside a question's choices, or refused by its validator."""


class DestinationError(UsageError):
    """A destination that cannot be rendered into without risking the user's files."""


class NotInteractiveError(UsageError):
    """Questions would have to be asked, but nobody is at a terminal to answer them."""


class RenderError(ScaffoldError):
    """Rendering the template failed for a reason that is not the user's input."""


class MissingToolError(ScaffoldError):
    """A program scaffold runs (git) is not installed, or not on PATH."""


class GitError(ScaffoldError):
    """git failed for a reason scaffold does not check for itself; the message is git's."""


class TemplateError(ScaffoldError):
    """The questionnaire or template shipped with scaffold is unusable (a packaging bug)."""


class UpdateSourceError(ScaffoldError):
    """Neither the recorded template repository nor the bundled releases can serve an update."""
