"""`GET /metrics`: the Prometheus metrics, for a scraper that sends the METRICS_TOKEN.

django-prometheus's middlewares count requests and time them by view (the URL's name, such
as `post-detail`, never the raw path) and status. The endpoint is off (404) until
METRICS_TOKEN is set, and then answers only `Authorization: Bearer <METRICS_TOKEN>`; any
other request gets the same 404, so the endpoint reveals nothing. It is a plain Django view,
outside the API and its schema.

Under gunicorn every worker counts its own requests; gunicorn.conf.py points
PROMETHEUS_MULTIPROC_DIR at a directory they share (emptied at start), and the page adds up
every worker's counts, whichever worker answers the scrape.
"""

import hmac

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe
from django_prometheus.exports import ExportToDjangoView
from django_prometheus.middleware import PrometheusAfterMiddleware


class RequestMetricsMiddleware(PrometheusAfterMiddleware):  # type: ignore[misc]
    """django-prometheus's per-view counts, safe from a malformed Content-Length (which
    Django reads as no body, and django-prometheus would turn into a 500)."""

    def process_request(self, request: HttpRequest) -> None:
        if not request.META.get("CONTENT_LENGTH", "0").isdigit():
            request.META["CONTENT_LENGTH"] = "0"
            request.__dict__.pop("headers", None)  # a cached view of META
        super().process_request(request)


def authorized(request: HttpRequest) -> bool:
    """True when METRICS_TOKEN is set and the request sends it as a bearer token."""
    token: str = settings.METRICS_TOKEN
    scheme, _, sent = request.headers.get("Authorization", "").partition(" ")
    return (
        bool(token)
        and scheme.lower() == "bearer"
        and hmac.compare_digest(sent.encode(), token.encode())
    )


@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    if not authorized(request):
        raise Http404
    response: HttpResponse = ExportToDjangoView(request)
    return response
