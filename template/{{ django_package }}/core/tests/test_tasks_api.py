"""Starting a task for a user, and who may read it (tasks run eagerly here)."""

from unittest import mock

import pytest
from celery import shared_task
from django.core.cache import caches
from kombu.exceptions import OperationalError as BrokerError
from rest_framework.test import APIClient

from ...users.models import User
from ...users.tests.factories import UserFactory
from ..tasks_api import TaskQueueUnavailable, owner_key, task_start

pytestmark = pytest.mark.django_db


@shared_task
def add_one_and_one() -> int:
    return 2


def status(user: User, task_id: str) -> tuple[int, dict[str, object]]:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(f"/api/tasks/{task_id}/")
    return response.status_code, response.json()


def test_the_starter_reads_the_result(user: User) -> None:
    started = task_start(add_one_and_one, user=user)
    assert caches["tasks"].get(owner_key(str(started["task_id"]))) == user.pk
    assert status(user, str(started["task_id"])) == (
        200,
        {"task_id": started["task_id"], "status": "SUCCESS", "result": 2},
    )


def test_others_get_404_and_staff_get_the_result(user: User) -> None:
    task_id = str(task_start(add_one_and_one, user=user)["task_id"])
    assert status(UserFactory.create(), task_id) == (404, {"detail": "Not found."})
    assert status(UserFactory.create(is_staff=True), task_id)[0] == 200


def test_an_unknown_task_is_404(user: User) -> None:
    assert status(user, "no-such-task") == (404, {"detail": "Not found."})


def test_an_id_that_is_no_task_id_is_404(user: User) -> None:
    # Control characters (what a fuzzer sends) would make a cache key memcached refuses.
    assert status(user, "%18%F0%B7%98%97%C2%8F%22") == (404, {"detail": "Not found."})


def test_no_broker_is_503(user: User) -> None:
    with (
        mock.patch.object(add_one_and_one, "apply_async", side_effect=BrokerError("refused")),
        pytest.raises(TaskQueueUnavailable),
    ):
        task_start(add_one_and_one, user=user)


def test_a_failed_task_says_what_went_wrong(user: User, settings) -> None:
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    with mock.patch.object(add_one_and_one, "run", side_effect=ValueError("no")):
        task_id = str(task_start(add_one_and_one, user=user)["task_id"])
    code, body = status(user, task_id)
    assert (code, body["status"], body.get("error")) == (200, "FAILURE", "ValueError: no")
