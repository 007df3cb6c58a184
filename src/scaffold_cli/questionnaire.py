"""The questionnaire, read from copier.yml.

copier.yml is the one place the questions live: plain `copier copy` reads it, and so does
this module, so the command line asks the same questions with the same keys, defaults and
validators. Defaults, validators and `when` conditions are Jinja expressions; they are
rendered here with the same sandboxed environment and filters Copier uses, so an answer the
command line accepts is one Copier accepts too (tests/test_questionnaire.py checks it
against real `copier copy` runs).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from scaffold_cli.errors import InvalidAnswerError, TemplateError, UnknownQuestionError
from scaffold_cli.source import QUESTIONNAIRE_FILE, template_root

if TYPE_CHECKING:
    from jinja2 import Template
    from jinja2.sandbox import SandboxedEnvironment

_TRUE = frozenset({"y", "yes", "t", "true", "on", "1"})
_FALSE = frozenset({"n", "no", "f", "false", "off", "0", ""})


@dataclass(frozen=True)
class Question:
    """One question of copier.yml, with its Jinja parts kept as written."""

    key: str
    type: str
    help: str = ""
    choices: tuple[tuple[str, Any], ...] = ()
    default: Any = None
    validator: str = ""
    when: Any = True

    @property
    def computed(self) -> bool:
        """A value Copier computes and never asks (`when: false`)."""
        return self.when is False

    @property
    def choice_values(self) -> tuple[Any, ...]:
        return tuple(value for _, value in self.choices)

    def parse(self, raw: Any) -> Any:
        """Turn an answer (a string from `--data` or a prompt, or a default) into its type."""
        if self.type == "bool":
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
            raise InvalidAnswerError(f"{self.key}: expected yes or no, got {raw!r}")
        if self.type in {"yaml", "json"}:
            if isinstance(raw, str):
                return json.loads(raw) if self.type == "json" else yaml.safe_load(raw)
            return raw
        if self.type == "int":
            try:
                return int(raw)
            except ValueError:
                raise InvalidAnswerError(f"{self.key}: expected a number, got {raw!r}") from None
        value = str(raw)
        if self.choices and value not in self.choice_values:
            allowed = ", ".join(str(choice) for choice in self.choice_values)
            raise InvalidAnswerError(f"{self.key}: {value!r} is not one of {allowed}")
        return value


@dataclass(frozen=True)
class Questionnaire:
    """All questions of copier.yml, in the order Copier asks them."""

    questions: tuple[Question, ...]
    settings: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Question:
        for question in self.questions:
            if question.key == key:
                return question
        raise UnknownQuestionError(f"unknown question {key!r}")

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(question.key for question in self.questions)

    @property
    def asked(self) -> tuple[Question, ...]:
        """The questions a person answers (computed values excluded)."""
        return tuple(question for question in self.questions if not question.computed)

    @property
    def decision_rules(self) -> Mapping[str, Any]:
        """The raw decision table (copier.yml's computed `decision_rules`)."""
        return self["decision_rules"].default

    @property
    def decision_keys(self) -> tuple[str, ...]:
        """The questions the decision rules look at, in questionnaire order."""
        used = {rule["question"] for rule in self.decision_rules["rules"]}
        return tuple(key for key in self.keys if key in used)

    def parse_data(self, data: Mapping[str, str], allowed: Iterable[str] | None = None) -> dict:
        """Check `--data` keys and turn their values into typed answers."""
        allowed_keys = set(allowed) if allowed is not None else {q.key for q in self.asked}
        parsed = {}
        for key, raw in data.items():
            if key not in allowed_keys:
                raise UnknownQuestionError(f"unknown question {key!r} in --data")
            parsed[key] = self[key].parse(raw)
        return parsed


def _question(key: str, spec: Any) -> Question:
    if not isinstance(spec, Mapping):
        raise TemplateError(f"copier.yml: question {key!r} is not a mapping")
    choices = spec.get("choices") or ()
    if isinstance(choices, Mapping):
        choices = tuple((str(label), value) for label, value in choices.items())
    else:
        choices = tuple((str(value), value) for value in choices)
    return Question(
        key=key,
        type=spec.get("type", "str"),
        help=spec.get("help", ""),
        choices=choices,
        default=spec.get("default"),
        validator=spec.get("validator", ""),
        when=spec.get("when", True),
    )


@cache
def load(root: Path | None = None) -> Questionnaire:
    """Read copier.yml (the settings start with `_`, every other key is a question)."""
    path = (root or template_root()) / QUESTIONNAIRE_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise TemplateError(f"cannot read {path}: {error}") from error
    settings = {key: value for key, value in data.items() if key.startswith("_")}
    questions = tuple(_question(k, v) for k, v in data.items() if not k.startswith("_"))
    return Questionnaire(questions=questions, settings=settings)


@cache
def jinja_env() -> SandboxedEnvironment:
    """The Jinja environment Copier renders questions with (sandboxed, Ansible's filters)."""
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"])


@lru_cache(maxsize=512)
def compiled(source: str) -> Template:
    """A Jinja source of copier.yml, compiled once: compiling costs far more than rendering."""
    return jinja_env().from_string(source)


def render_value(value: Any, context: Mapping[str, Any]) -> Any:
    """Render a templated value the way Copier does (strings only; others pass through)."""
    if isinstance(value, str):
        return compiled(value).render(context)
    if isinstance(value, list):
        return [render_value(item, context) for item in value]
    return value


@dataclass
class Session:
    """Answers collected so far, and the context Jinja sees while rendering the next question.

    Mirrors Copier's context: every answer and computed value by its key, `_copier_answers`
    (the answers that go into the answers file) and `_folder_name` (the destination's name).
    """

    questionnaire: Questionnaire
    folder_name: str
    answers: dict[str, Any] = field(default_factory=dict)
    computed: dict[str, Any] = field(default_factory=dict)
    # How many questions of the questionnaire (in order) have been gone through so far.
    position: int = 0

    @property
    def context(self) -> dict[str, Any]:
        return {
            **self.computed,
            **self.answers,
            "_copier_answers": dict(self.answers),
            "_folder_name": self.folder_name,
        }

    def is_active(self, question: Question) -> bool:
        when = render_value(question.when, self.context)
        return Question(key="when", type="bool").parse(when)

    def default(self, question: Question) -> Any:
        return question.parse(render_value(question.default, self.context))

    def help(self, question: Question) -> str:
        return str(render_value(question.help, self.context)).strip()

    def check(self, question: Question, value: Any) -> None:
        """Raise InvalidAnswerError when the question's validator refuses the value."""
        if not question.validator:
            return
        context = {**self.context, question.key: value}
        message = render_value(question.validator, context).strip()
        if message:
            raise InvalidAnswerError(f"{question.key}: {message}")


# Asks one question: (session, question, default, error from the previous try) -> raw answer.
Prompt = Callable[[Session, Question, Any, str | None], Any]


def _ask(session: Session, question: Question, prompt: Prompt) -> Any:
    """Ask until the answer parses and its validator accepts it."""
    default = session.default(question)
    error = None
    while True:
        try:
            value = question.parse(prompt(session, question, default, error))
            session.check(question, value)
        except InvalidAnswerError as invalid:
            error = str(invalid)
            continue
        return value


def collect(
    questionnaire: Questionnaire,
    data: Mapping[str, Any],
    *,
    folder_name: str,
    prompt: Prompt | None = None,
    only: Iterable[str] | None = None,
    until: str | None = None,
) -> Session:
    """Answer the questions in order, all of them or those before `until`.

    A question answered in `data` takes that answer; otherwise `prompt` (when given) asks the
    person, and without one the default is taken. Every answer goes through the question's
    validator, so a bad answer fails here, before anything is written. Computed values are
    computed on the way. `only` restricts the run to some questions (the decision questions,
    for `scaffold recommend`); `until` stops before that question, and `collect_rest` goes on
    from there (`scaffold new` decides in between).
    """
    session = Session(questionnaire=questionnaire, folder_name=folder_name)
    return collect_rest(session, data, prompt=prompt, only=only, until=until)


def collect_rest(
    session: Session,
    data: Mapping[str, Any],
    *,
    prompt: Prompt | None = None,
    only: Iterable[str] | None = None,
    until: str | None = None,
) -> Session:
    """Go on answering from where the session stopped (see `collect`)."""
    questions = session.questionnaire.questions
    end = session.questionnaire.keys.index(until) if until is not None else len(questions)
    if end < session.position:
        raise ValueError(f"the questionnaire is already past {until!r}")
    wanted = set(only) if only is not None else None
    for question in questions[session.position : end]:
        session.position += 1
        if question.computed:
            session.computed[question.key] = session.default(question)
            continue
        if (wanted is not None and question.key not in wanted) or not session.is_active(question):
            continue
        if question.key in data:
            value = data[question.key]
        elif prompt is not None:
            session.answers[question.key] = _ask(session, question, prompt)
            continue
        else:
            value = session.default(question)
        session.check(question, value)
        session.answers[question.key] = value
    return session
