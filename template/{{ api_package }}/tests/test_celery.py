"""Celery is configured not to lose work, and only to speak JSON."""

from ..celery import create_celery
from ..config import Settings

conf = create_celery(Settings(environment="test")).conf


def test_tasks_are_acknowledged_late_and_requeued_when_a_worker_dies() -> None:
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.broker_transport_options["visibility_timeout"] > 0


def test_only_json_is_accepted() -> None:
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]


def test_tasks_have_time_limits() -> None:
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit
