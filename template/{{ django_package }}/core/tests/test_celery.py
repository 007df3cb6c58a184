"""Celery is configured not to lose work, to speak only JSON, and to fail fast without Redis."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from config.celery import app

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def test_tasks_are_acknowledged_late_and_requeued_when_a_worker_dies() -> None:
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > 0


def test_only_json_is_accepted() -> None:
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]


def test_tasks_have_time_limits() -> None:
    assert 0 < app.conf.task_soft_time_limit < app.conf.task_time_limit


def test_sending_a_task_without_redis_fails_within_seconds() -> None:
    """Not the ~20 s of Celery's default retries: the API answers 503 while the client waits."""
    code = (
        "import time, django; django.setup()\n"
        "from config.celery import app\n"
        "started = time.monotonic()\n"
        "try:\n"
        "    app.send_task('any.task')\n"
        "except Exception as error:\n"
        "    print(type(error).__name__)\n"
        "print(time.monotonic() - started)\n"
    )
    output = with_development_settings(code, redis_url="redis://127.0.0.1:1/0")  # a closed port
    failure, seconds = output.split()
    assert failure in {"OperationalError", "RuntimeError"}, output
    assert float(seconds) < 3


def test_without_redis_url_tasks_run_in_the_request() -> None:
    """Development needs no Redis: without REDIS_URL, base settings make tasks eager."""
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "print(settings.CELERY_TASK_ALWAYS_EAGER, settings.CACHES['tasks']['BACKEND'])\n"
    )
    output = with_development_settings(code, redis_url=None)
    assert output.split() == ["True", "django.core.cache.backends.locmem.LocMemCache"]


def with_development_settings(code: str, *, redis_url: str | None) -> str:
    """Run `code` in a fresh interpreter on config.settings.dev; return what it printed.

    A fresh process, because the settings are read once, at start-up.
    """
    env = {name: value for name, value in os.environ.items() if name != "REDIS_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    if redis_url is not None:
        env["REDIS_URL"] = redis_url
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout
