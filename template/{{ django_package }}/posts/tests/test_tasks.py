"""The posts report task (run eagerly here) and the endpoints that start and follow it."""

import pytest
from rest_framework.test import APIClient

from ..models import Post
from ..tasks import export_posts_report
from .factories import PostFactory

pytestmark = pytest.mark.django_db


def test_the_report_counts_posts_per_category() -> None:
    PostFactory.create_batch(2, category=Post.Category.TECH)
    PostFactory(category=Post.Category.LIFESTYLE, published=False)
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
    PostFactory()
    started = auth_client.post("/api/posts/report/")
    assert started.status_code == 202
    task_id = started.json()["task_id"]
    status = auth_client.get(f"/api/tasks/{task_id}/").json()
    assert status["status"] == "SUCCESS"
    assert status["result"]["total"] == 1


def test_only_signed_in_users_start_reports(api_client: APIClient) -> None:
    assert api_client.post("/api/posts/report/").status_code == 401
    assert api_client.get("/api/tasks/whatever/").status_code == 401
