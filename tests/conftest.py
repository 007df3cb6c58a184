"""Shared fixtures and the variant matrix."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scaffold_cli import questionnaire
from scaffold_cli.decision import Rules

REPO_ROOT = Path(__file__).resolve().parents[1]

# The variants our CI renders, installs and tests, as answers on top of the defaults. Every
# supported variant is listed here with a readable id (cookiecutter-django's
# SUPPORTED_COMBINATIONS); the options a template version does not offer yet are refused by
# copier.yml's validators and covered by tests/test_questionnaire.py.
# Each framework: a full baseline, one option changed at a time, and everything off.
FULL: dict[str, Any] = {"include_example": True, "use_docker": True, "ci": "github"}
OFF: dict[str, Any] = {"include_example": False, "use_docker": False, "ci": "none"}
CELERY: dict[str, Any] = {"use_celery": True, "use_redis": True}
# Error tracking rides on the Celery rows: both sides of the Hybrid and the tasks report.
SENTRY: dict[str, Any] = {"use_sentry": True}
SUPPORTED_COMBINATIONS: list[dict[str, Any]] = [
    {"framework": "django", **FULL, **CELERY, **SENTRY, "realtime": True, "io_fanout": True},
    {"framework": "django", **FULL, "ci": "gitlab", "renders_html": True},
    {"framework": "django", **FULL, "use_redis": True},
    {"framework": "django", **OFF},
    {
        "framework": "fastapi",
        **FULL,
        **CELERY,
        **SENTRY,
        "realtime": True,
        "io_fanout": True,
        "ml_serving": True,
    },
    {"framework": "fastapi", **FULL, "ci": "gitlab", "use_docker": False},
    {"framework": "fastapi", **OFF},
    {
        "framework": "hybrid",
        **FULL,
        **CELERY,
        **SENTRY,
        "realtime": True,
        "io_fanout": True,
        "ml_serving": True,
    },
    {"framework": "hybrid", **FULL, "ci": "gitlab", "renders_html": True},
    {"framework": "hybrid", **OFF},
]


def variant_id(answers: dict[str, Any]) -> str:
    """A readable id such as `django-celery-docker-github`."""
    parts = [answers["framework"]]
    parts += [
        key.removeprefix("use_")
        for key in ("use_celery", "use_redis", "use_docker", "use_sentry")
        if answers.get(key)
    ]
    if answers.get("ci", "none") != "none":
        parts.append(answers["ci"])
    parts.append("example" if answers.get("include_example") else "bare")
    extras = ("renders_html", "realtime", "io_fanout", "ml_serving")
    parts += [key for key in extras if answers.get(key)]
    return "-".join(parts)


@pytest.fixture(scope="session")
def form() -> questionnaire.Questionnaire:
    return questionnaire.load()


@pytest.fixture(scope="session")
def rules(form: questionnaire.Questionnaire) -> Rules:
    return Rules.from_data(form.decision_rules)


def answer_space(form: questionnaire.Questionnaire) -> Iterator[dict[str, Any]]:
    """Every combination of answers to the decision questions."""
    options = []
    for key in form.decision_keys:
        question = form[key]
        options.append((True, False) if question.type == "bool" else question.choice_values)
    for values in itertools.product(*options):
        yield dict(zip(form.decision_keys, values, strict=True))
