"""Probes for load balancers and orchestrators.

`/health` says the process is alive and touches nothing else, so it stays cheap under load.
`/ready` says whether the app can serve real traffic: it checks the database, and answers
503 with a JSON body naming what is down.
"""

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "checks": {"database": "down"}}, status=503)
    return JsonResponse({"status": "ok", "checks": {"database": "up"}})
