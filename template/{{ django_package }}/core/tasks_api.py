"""Following a background task: GET /api/tasks/<task_id>/."""

from celery.result import AsyncResult
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class TaskStatusSerializer(serializers.Serializer):
    task_id = serializers.CharField()
    status = serializers.CharField(help_text="PENDING, STARTED, RETRY, FAILURE or SUCCESS")
    result = serializers.JSONField(required=False, help_text="The result, once SUCCESS")
    error = serializers.CharField(required=False, help_text="What went wrong, on FAILURE")


def task_status(task_id: str) -> dict[str, object]:
    result = AsyncResult(task_id)
    body: dict[str, object] = {"task_id": task_id, "status": result.status}
    if result.successful():
        body["result"] = result.result
    elif result.failed():
        body["error"] = f"{type(result.result).__name__}: {result.result}"
    return body


class TaskStatusView(APIView):
    """The status of a background task (and its result, once it has one)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=TaskStatusSerializer)
    def get(self, request: Request, task_id: str) -> Response:
        return Response(task_status(task_id))
