"""Starting background tasks for users, and following them: GET /api/tasks/<task_id>/.

Who started a task is recorded in the `tasks` cache (Redis) under `tasks:owner:<task_id>`
for as long as Celery keeps the result; only that user, or staff, may read the task. Anyone
else, and an unknown id, get 404, so task ids reveal nothing. While Redis (the broker and the
result store) is down, starting or reading a task answers 503 within a second or two.
"""

import logging
import uuid
from typing import Any

from celery import Task
from celery.result import AsyncResult
from django.conf import settings
from django.core.cache import caches
from drf_spectacular.utils import extend_schema
from kombu.exceptions import OperationalError as BrokerError
from redis import RedisError
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..users.api import request_user
from ..users.models import User

logger = logging.getLogger(__name__)


class TaskQueueUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Background tasks are unavailable; try again shortly."
    default_code = "service_unavailable"


class TaskStatusSerializer(serializers.Serializer[dict[str, object]]):
    task_id = serializers.CharField()
    status = serializers.CharField(help_text="PENDING, STARTED, RETRY, FAILURE or SUCCESS")
    result = serializers.JSONField(required=False, help_text="The result, once SUCCESS")
    error = serializers.CharField(required=False, help_text="What went wrong, on FAILURE")


def owner_key(task_id: str) -> str:
    # The Hybrid's FastAPI service reads the same key (raw in Redis: ":1:tasks:owner:<id>").
    return f"tasks:owner:{task_id}"


def task_status(task_id: str) -> dict[str, object]:
    result: AsyncResult[Any] = AsyncResult(task_id)
    body: dict[str, object] = {"task_id": task_id, "status": result.status}
    if result.successful():
        body["result"] = result.result
    elif result.failed():
        body["error"] = f"{type(result.result).__name__}: {result.result}"
    return body


def task_start(task: Task[Any, Any], *, user: User) -> dict[str, object]:
    """Send `task` to the workers on behalf of `user`; its status, as task_status gives it."""
    task_id = str(uuid.uuid4())
    try:
        # The owner first: a task nobody may read would be work lost.
        caches["tasks"].set(owner_key(task_id), user.pk, timeout=settings.CELERY_RESULT_EXPIRES)
        task.apply_async(task_id=task_id)
        return task_status(task_id)
    # RuntimeError: what Celery's Redis result store raises once its (short) retries run out.
    except (RedisError, BrokerError, RuntimeError) as error:
        logger.error("Could not start %s: %s", task.name, error)
        raise TaskQueueUnavailable from error


def task_status_for(task_id: str, *, user: User) -> dict[str, object]:
    """The task's status, for the user who started it or staff; NotFound for anyone else."""
    try:  # task ids are the UUIDs task_start makes: anything else names no task
        uuid.UUID(task_id)
    except ValueError:
        raise NotFound from None
    try:
        owner = caches["tasks"].get(owner_key(task_id))
        if owner is None or (owner != user.pk and not user.is_staff):
            raise NotFound
        return task_status(task_id)
    except RedisError as error:
        logger.error("Could not read task %s: %s", task_id, error)
        raise TaskQueueUnavailable from error


class TaskStatusView(APIView):
    """The status of a background task you started (and its result, once it has one)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(operation_id="tasks_retrieve", responses=TaskStatusSerializer)
    def get(self, request: Request, task_id: str) -> Response:
        return Response(task_status_for(task_id, user=request_user(request)))
