"""Celery is configured not to lose work, and only to speak JSON."""

from django.conf import settings

from config.celery import app


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
