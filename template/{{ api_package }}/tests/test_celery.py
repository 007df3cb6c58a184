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


def test_without_redis_url_tasks_run_eagerly_in_memory() -> None:
    """Development with no REDIS_URL: no broker to run, a task runs in the request."""
    eager = create_celery(Settings(environment="test", redis_url="")).conf
    assert eager.task_always_eager is True
    assert eager.task_store_eager_result is True
    assert (eager.broker_url, eager.result_backend) == ("memory://", "cache+memory://")
    real = create_celery(Settings(environment="test", redis_url="redis://redis:6379/0")).conf
    assert real.task_always_eager is False
