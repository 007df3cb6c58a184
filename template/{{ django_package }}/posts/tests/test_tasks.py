"""The posts report task (run eagerly here) and the endpoints that start and follow it."""

import os
import time
import uuid
from unittest import mock

import pytest
from django.core.cache import caches
from kombu.exceptions import OperationalError as BrokerError
from redis import ConnectionError as RedisConnectionError
from redis import Redis
from rest_framework.test import APIClient

from ...users.tests.factories import UserFactory
from ..models import Post
from ..tasks import export_posts_report
from .factories import PostFactory

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("REDIS_URL", "")


def test_the_report_counts_posts_per_category() -> None:
    PostFactory.create_batch(2, category=Post.Category.TECH)
    PostFactory.create(category=Post.Category.LIFESTYLE, published=False)
    report = export_posts_report.delay().get()
    assert report == {
        "total": 3,
        "published": 2,
        "by_category": {
            "lifestyle": {"total": 1, "published": 0},
            "tech": {"total": 2, "published": 2},
        },
    }


def test_start_the_report_and_read_its_result(auth_client: APIClient) -> None:
    PostFactory.create()
    started = auth_client.post("/api/posts/report/")
    assert started.status_code == 202
    task_id = started.json()["task_id"]
    status = auth_client.get(f"/api/tasks/{task_id}/").json()
    assert status["status"] == "SUCCESS"
    assert status["result"]["total"] == 1


def test_only_signed_in_users_start_reports(api_client: APIClient) -> None:
    assert api_client.post("/api/posts/report/").status_code == 401
    assert api_client.get("/api/tasks/whatever/").status_code == 401


def test_a_task_is_readable_only_by_who_started_it_or_staff(
    auth_client: APIClient, api_client: APIClient
) -> None:
    task_id = auth_client.post("/api/posts/report/").json()["task_id"]
    assert auth_client.get(f"/api/tasks/{task_id}/").status_code == 200
    api_client.force_authenticate(UserFactory.create())
    response = api_client.get(f"/api/tasks/{task_id}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    api_client.force_authenticate(UserFactory.create(is_staff=True))
    assert api_client.get(f"/api/tasks/{task_id}/").json()["status"] == "SUCCESS"


def test_the_owner_is_recorded_where_the_other_side_reads_it(auth_client: APIClient, user) -> None:
    task_id = auth_client.post("/api/posts/report/").json()["task_id"]
    # The cache key the Hybrid's FastAPI service reads raw (":1:tasks:owner:<id>").
    assert caches["tasks"].get(f"tasks:owner:{task_id}") == user.pk


def test_an_unknown_task_is_not_found(auth_client: APIClient) -> None:
    response = auth_client.get("/api/tasks/no-such-task/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize(
    "error", [BrokerError("connection refused"), RedisConnectionError("connection refused")]
)
def test_starting_a_report_without_redis_is_503(auth_client: APIClient, error, caplog) -> None:
    with mock.patch.object(export_posts_report, "apply_async", side_effect=error):
        response = auth_client.post("/api/posts/report/")
    assert response.status_code == 503
    assert response.json() == {"detail": "Background tasks are unavailable; try again shortly."}
    assert "Could not start" in caplog.text


def test_with_redis_down_starting_or_reading_a_task_is_a_quick_503(
    auth_client: APIClient, settings
) -> None:
    settings.CACHES = {
        **settings.CACHES,
        "tasks": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # a closed port
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
    started = time.monotonic()
    assert auth_client.post("/api/posts/report/").status_code == 503
    response = auth_client.get(f"/api/tasks/{uuid.uuid4()}/")  # a task id nobody started
    assert response.status_code == 503
    assert response.json() == {"detail": "Background tasks are unavailable; try again shortly."}
    assert time.monotonic() - started < 4


@pytest.mark.skipif(not REDIS_URL, reason="set REDIS_URL to use a real Redis")
def test_the_owner_is_a_plain_number_under_the_agreed_raw_key(
    auth_client: APIClient, user, settings
) -> None:
    """What the Hybrid's FastAPI service reads without Django's cache: ":1:tasks:owner:<id>"."""
    settings.CACHES = {
        **settings.CACHES,
        "tasks": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
    }
    task_id = auth_client.post("/api/posts/report/").json()["task_id"]
    with Redis.from_url(REDIS_URL) as redis:
        key = f":1:tasks:owner:{task_id}"
        assert redis.get(key) == str(user.pk).encode()
        assert 0 < redis.ttl(key) <= settings.CELERY_RESULT_EXPIRES
        redis.delete(key)
