"""Middleware for operations: the liveness probe, and answers during a database outage.

- `/health` is answered first, before host validation, sessions or anything else: a load
  balancer probing by IP address gets its 200, and the probe stays cheap under load.
- While the database is unreachable, requests get 503 with a JSON body and `Retry-After`
  instead of a 500 page: a restarting or failed-over database is an outage clients should
  retry, not a bug, and the app recovers by itself (CONN_HEALTH_CHECKS replaces dead
  connections on the next request).
"""

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5
Handler = Callable[[HttpRequest], HttpResponse]


class LivenessProbeMiddleware:
    """`GET /health`: 200 `{"status": "ok"}` whenever the process can answer. Keep it first."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info != "/health":
            return self.get_response(request)
        if request.method not in {"GET", "HEAD"}:
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return HttpResponse(b'{"status": "ok"}', content_type="application/json")


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("The database is unavailable: %s", exception)
        return JsonResponse(
            {"detail": "The database is unavailable; try again shortly."},
            status=503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
