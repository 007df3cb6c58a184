"""While the database is unreachable, answer 503 with a JSON body instead of a 500 page.

A restarting or failed-over database is an outage clients should retry, not a bug: they get
`Retry-After`, and the app recovers by itself (CONN_HEALTH_CHECKS replaces dead connections
on the next request).
"""

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
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
