"""copier.yml as a contract: keys, types, validators, and agreement with real Copier."""

from __future__ import annotations

import sys
from pathlib import Path

import copier
import pytest
import yaml

from scaffold_cli import questionnaire
from scaffold_cli.errors import InvalidAnswerError, UnknownQuestionError
from tests.conftest import REPO_ROOT

# DESIGN.md's answer keys: stored in every generated project, so they must not change.
CONTRACT = {
    "needs_admin": ("bool", ()),
    "renders_html": ("bool", ()),
    "relational_data": ("bool", ()),
    "api_first": ("bool", ()),
    "io_fanout": ("bool", ()),
    "realtime": ("bool", ()),
    "ml_serving": ("bool", ()),
    "independent_services": ("bool", ()),
    "teams": ("str", ("one", "few", "many")),
    "ops_tolerance": ("str", ("one_app", "many_services")),
    "bottleneck": ("str", ("database", "io", "unknown")),
    "priority": ("str", ("mvp_speed", "platform_stability")),
    "team_knows": ("str", ("django", "fastapi", "both", "neither")),
    "project_name": ("str", ()),
    "project_slug": ("str", ()),
    "description": ("str", ()),
    "author_name": ("str", ()),
    "author_email": ("str", ()),
    "framework": ("str", ("django", "fastapi", "hybrid")),
    "use_celery": ("bool", ()),
    "use_redis": ("bool", ()),
    "use_sentry": ("bool", ()),
    "use_docker": ("bool", ()),
    "ci": ("str", ("github", "gitlab", "none")),
    "include_example": ("bool", ()),
}


def test_the_answer_keys_are_the_designed_contract(form) -> None:
    asked = {q.key: (q.type, q.choice_values) for q in form.asked}
    assert asked == CONTRACT


def test_every_question_explains_itself(form) -> None:
    for question in form.asked:
        assert len(question.help) > 15, question.key


def test_copier_settings_need_no_trust(form) -> None:
    assert form.settings["_subdirectory"] == "template"
    assert form.settings["_min_copier_version"]
    assert "_tasks" not in form.settings
    assert "_jinja_extensions" not in form.settings
    assert (REPO_ROOT / "template" / "{{_copier_conf.answers_file}}.jinja").is_file()


def test_decision_questions_come_before_framework(form) -> None:
    keys = form.keys
    assert max(keys.index(k) for k in form.decision_keys) < keys.index("framework")
    assert set(form.decision_keys) == {k for k in CONTRACT if k not in questionnaire_stack()}


def questionnaire_stack() -> set[str]:
    return {
        "project_name",
        "project_slug",
        "description",
        "author_name",
        "author_email",
        "framework",
        "use_celery",
        "use_redis",
        "use_sentry",
        "use_docker",
        "ci",
        "include_example",
    }


def collect(form, **data):
    return questionnaire.collect(form, data, folder_name="demo")


def test_defaults_are_derived_from_earlier_answers(form) -> None:
    session = collect(form, project_name="My Cool-Project 2!")
    assert session.answers["project_slug"] == "my_cool_project_2"
    assert session.answers["framework"] == "django"
    assert session.answers["use_redis"] is False
    assert "decision" not in session.answers  # computed, not stored


def test_collecting_in_two_slices_is_collecting_once(form) -> None:
    """`scaffold new` stops before `framework` to decide, then goes on: same answers."""
    data = {"project_name": "Shop", "needs_admin": True, "use_docker": False}
    first = questionnaire.collect(form, data, folder_name="shop", until="framework")
    keys = list(first.answers)
    assert keys[-1] == "team_knows"
    assert "framework" not in first.answers
    assert first.computed["decision"]["framework"] == "django"  # decided before `framework`
    rest = questionnaire.collect_rest(first, data)
    assert rest.answers == collect(form, **data).answers
    assert list(rest.answers)[: len(keys)] == keys
    with pytest.raises(ValueError, match="already past"):
        questionnaire.collect_rest(rest, data, until="framework")


def test_project_name_defaults_to_the_folder_name(form) -> None:
    assert collect(form).answers["project_name"] == "demo"


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("", "cannot be empty"),
        ("class", "keyword"),
        ("match", "keyword"),
        ("django", "shadow"),
        ("fastapi", "shadow"),
        ("celery", "shadow"),
        ("test", "shadow"),
        ("config", "folder in the generated project"),
        ("random", "standard library"),
        ("kombu", "depends on"),
        ("1project", "not a valid package name"),
        ("My-Project", "not a valid package name"),
        ("_private", "not a valid package name"),
        ("caf\u00e9", "not a valid package name"),
        ("../x", "not a valid package name"),
        ("a" * 51, "too long"),
    ],
)
def test_bad_slugs_are_refused(form, slug: str, message: str) -> None:
    with pytest.raises(InvalidAnswerError, match=message):
        collect(form, project_name="Demo", project_slug=slug)


def test_no_slug_shadows_a_standard_library_module(form) -> None:
    """copier.yml's list is complete for this Python (CI runs the oldest one supported)."""
    reserved = set(form["reserved_slugs"].default["standard_library"])
    public = {name for name in sys.stdlib_module_names if not name.startswith("_")}
    assert public <= reserved, sorted(public - reserved)


def test_a_name_without_ascii_letters_proposes_a_placeholder_slug(form) -> None:
    assert collect(form, project_name="日本語").answers["project_slug"] == "app"
    slug = collect(form, project_name="日本語", project_slug="nihongo").answers
    assert slug["project_slug"] == "nihongo"


def _reserved_names() -> list[str]:
    reserved = questionnaire.load()["reserved_slugs"].default
    return sorted({name for names in reserved.values() for name in names})


ODD_FOLDER_NAMES = [
    "tty", "2fa", "42", "日本語", "---", "Class", "My Django", "test!", "_private_",
    "x" * 80, "1" * 80, "a" + "_" * 60 + "b", "café", "Tests", "config", "App",
]  # fmt: skip


@pytest.mark.parametrize("name", _reserved_names() + ODD_FOLDER_NAMES)
def test_the_proposed_slug_always_passes_the_validator(form, name: str) -> None:
    """A folder (the project name's default) named like anything gets a slug that is accepted.

    Before, a folder named `tty` proposed `tty`, which the validator refused, forever.
    """
    session = questionnaire.collect(form, {}, folder_name=name)  # raises if refused
    slug = session.answers["project_slug"]
    assert slug not in _reserved_names()
    assert session.answers["project_name"] == name
    cleaned = name.lower().replace("-", "_")
    if name in {"tty", "class", "config"}:
        assert slug == f"{cleaned}_app"
    if name == "2fa":
        assert slug == "app_2fa"


def test_real_copier_proposes_a_valid_slug_in_a_folder_named_tty(tmp_path: Path) -> None:
    destination = tmp_path / "tty"
    copier.run_copy(str(REPO_ROOT), str(destination), defaults=True, quiet=True, vcs_ref="HEAD")
    answers = yaml.safe_load((destination / ".copier-answers.yml").read_text())
    assert (answers["project_name"], answers["project_slug"]) == ("tty", "tty_app")


@pytest.mark.parametrize("slug", ["demo", "acme_orders", "shop2"])
def test_good_slugs_pass(form, slug: str) -> None:
    assert collect(form, project_slug=slug).answers["project_slug"] == slug


@pytest.mark.parametrize("email", ["no-at-sign", "a@b", "two@@example.com", "sp ace@x.io", ""])
def test_bad_emails_are_refused(form, email: str) -> None:
    with pytest.raises(InvalidAnswerError, match="not a valid email"):
        collect(form, author_email=email)


@pytest.mark.parametrize("name", ["", "   ", "tab\there", "x" * 81])
def test_bad_project_names_are_refused(form, name: str) -> None:
    with pytest.raises(InvalidAnswerError, match="project_name"):
        collect(form, project_name=name, project_slug="demo")


@pytest.mark.parametrize(
    ("raw", "expected"), [("yes", True), ("True", True), ("1", True), ("no", False), ("off", False)]
)
def test_booleans_parse_like_copier(form, raw: str, expected: bool) -> None:
    assert form.parse_data({"needs_admin": raw}) == {"needs_admin": expected}


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"needs_admin": "maybe"}, InvalidAnswerError),
        ({"teams": "dozens"}, InvalidAnswerError),
        ({"framework": "flask"}, InvalidAnswerError),
        ({"no_such_question": "x"}, UnknownQuestionError),
        ({"decision": "{}"}, UnknownQuestionError),
    ],
)
def test_bad_data_is_refused(form, data, error) -> None:
    with pytest.raises(error):
        form.parse_data(data)


def test_celery_without_redis_is_refused_with_a_reason(form) -> None:
    with pytest.raises(InvalidAnswerError):
        collect(form, use_celery=True, use_redis=False)


@pytest.mark.parametrize("framework", ["django", "fastapi", "hybrid"])
def test_celery_and_redis_are_offered_with_every_framework(form, framework: str) -> None:
    answers = collect(form, framework=framework, use_celery=True, use_redis=True).answers
    assert (answers["use_celery"], answers["use_redis"]) == (True, True)


def _copier(tmp_path: Path, **data) -> dict:
    destination = tmp_path / "project"
    copier.run_copy(
        str(REPO_ROOT), str(destination), data=data, defaults=True, quiet=True, vcs_ref="HEAD"
    )
    return yaml.safe_load((destination / ".copier-answers.yml").read_text())


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"needs_admin": True, "io_fanout": True, "ops_tolerance": "many_services"},
        {"api_first": True, "realtime": True, "ops_tolerance": "many_services"},
        {"relational_data": True, "teams": "many", "team_knows": "fastapi"},
    ],
    ids=["defaults", "hybrid", "fastapi", "django"],
)
def test_real_copier_and_the_cli_agree(form, tmp_path: Path, data) -> None:
    """Plain `copier copy --defaults` records the framework the command line would pick."""
    answers = _copier(tmp_path, project_name="Demo", **data)
    expected = collect(form, project_name="Demo", **data).answers
    assert {k: answers[k] for k in expected} == expected


@pytest.mark.parametrize("slug", ["class", "django", "9lives"])
def test_real_copier_refuses_what_the_cli_refuses(tmp_path: Path, slug: str) -> None:
    with pytest.raises(ValueError, match="project_slug"):
        _copier(tmp_path, project_name="Demo", project_slug=slug)
    assert not (tmp_path / "project" / "pyproject.toml").exists()
