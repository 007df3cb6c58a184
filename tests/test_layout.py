"""The template's layout: plain file names, one table of conditions, named flags.

The tree under template/ reads like a generated project; which paths an answer removes is
the `_exclude` table in copier.yml, and each derived condition is a named computed answer.
"""

from __future__ import annotations

import re
from pathlib import Path

from copier._template import DEFAULT_EXCLUDE

from scaffold_cli import questionnaire
from tests.conftest import REPO_ROOT

TEMPLATE = REPO_ROOT / "template"
# The only names that are not plain: the two packages (empty when the variant has no such
# package) and Copier's answers file.
COMPUTED_NAMES = {
    "{{ django_package }}",
    "{{ api_package }}",
    "{{_copier_conf.answers_file}}.jinja",
}
# Derived conditions that have a name in copier.yml: the template uses the name instead.
NAMED = {
    "use_redis or use_celery": "redis_cache_or_broker",
    "use_celery or use_redis": "redis_cache_or_broker",
    "redis_cache_or_broker or django_realtime": "needs_redis",
    "realtime and has_django": "django_realtime",
    "django_realtime and include_example": "has_django_posts_feed",
    "has_enrich and framework == 'django'": "django_enrich",
    "io_fanout or ml_serving": "has_enrich",
    "framework != 'fastapi'": "has_django",
    "framework != 'django'": "has_fastapi",
    "framework == 'fastapi' and use_redis": "api_uses_redis",
    "framework == 'fastapi' and use_celery": "api_defines_tasks",
    "include_example and renders_html": "has_posts_pages",
    "ml_serving and has_fastapi": "has_model_stream",
    "if framework == 'fastapi' else 'config'": "celery_app",
    "has_posts_feed and api_uses_redis": "api_feed_fanout",
    "has_django_posts_feed and has_fastapi": "api_feeds_django",
    "has_posts_feed or api_feeds_django": "api_post_feed",
    "api_uses_redis or api_feeds_django": "api_reads_redis_url",
    "use_celery and include_example": "runs_beat",
    "django_realtime or has_posts_feed": "serves_websockets",
}


def template_paths() -> list[Path]:
    return [path.relative_to(TEMPLATE) for path in TEMPLATE.rglob("*")]


def test_no_condition_in_any_path() -> None:
    for path in template_paths():
        for part in path.parts:
            assert "{%" not in part, f"{path}: a condition in a name (use copier.yml's _exclude)"
            if "{{" in part:
                assert part in COMPUTED_NAMES, f"{path}: a computed name that is not a package"


def test_copiers_default_exclusions_are_kept() -> None:
    """Setting _exclude replaces Copier's defaults: without them an installed scaffold would
    copy the __pycache__ folders beside its template into every project."""
    assert set(DEFAULT_EXCLUDE) <= set(questionnaire.load().settings["_exclude"])


def test_the_named_flags_are_computed_and_never_asked(form: questionnaire.Questionnaire) -> None:
    for flag in set(NAMED.values()) | {"django_package", "api_package", "has_posts_feed"}:
        assert form[flag].computed, flag


def test_derived_conditions_are_written_once() -> None:
    """The template says `needs_redis`, never `use_redis or use_celery` again."""
    for path in TEMPLATE.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            for expression, name in NAMED.items():
                assert expression not in text, f"{path.relative_to(TEMPLATE)}: use {name}"


def test_each_file_keeps_its_conditions_few() -> None:
    """A file that needs many conditions is split into includes (README) or per-feature files."""
    for path in TEMPLATE.rglob("*.jinja"):
        count = len(re.findall(r"{%-?\s*if\b", path.read_text(encoding="utf-8")))
        assert count <= 25, f"{path.relative_to(TEMPLATE)}: {count} conditions"
