"""Middleware for operations: proxy headers, the liveness probe, the body size limit, and database
outages.

- The proxy headers (X-Forwarded-Proto, -For, -Host) count only from a trusted proxy
  (settings.FORWARDED_ALLOW_IPS): a client that reaches the server directly cannot claim
  HTTPS or another client's address.

- `/health` is answered first, before host validation, sessions or anything else: a load
  balancer probing by IP address gets its 200, and the probe stays cheap under load.
- An API request whose body is larger than settings.MAX_BODY_SIZE gets 413 with a JSON body
  before anything reads it (the reverse proxy in front should use the same limit).
- While the database is unreachable, requests get 503 with a JSON body and `Retry-After`
  instead of a 500 page: a restarting or failed-over database is an outage clients should
  retry, not a bug, and the app recovers by itself (CONN_HEALTH_CHECKS replaces dead
  connections on the next request).
"""

import functools
import ipaddress
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5
Handler = Callable[[HttpRequest], HttpResponse]


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.cache
def _networks(allowed: tuple[str, ...]) -> tuple[Network, ...] | None:
    """FORWARDED_ALLOW_IPS as networks (addresses or CIDR ranges); None when "*" trusts all."""
    if "*" in allowed:
        return None
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in allowed)


def is_trusted_proxy(address: str) -> bool:
    """Whether the peer at `address` may set the proxy headers (settings.FORWARDED_ALLOW_IPS)."""
    networks = _networks(tuple(settings.FORWARDED_ALLOW_IPS))
    if networks is None:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:  # a Unix socket's peer has no address: the proxy on this machine
        return not address
    return any(ip in network for network in networks)


class TrustedProxyMiddleware:
    """Drop the proxy headers from a request that did not come from a trusted proxy.

    SECURE_PROXY_SSL_HEADER (is the request HTTPS?) and DRF's NUM_PROXIES (the client's address
    the throttles count) read X-Forwarded-Proto and X-Forwarded-For from whoever sent them; the
    peer's address (REMOTE_ADDR) is what tells the TLS proxy from a client that reaches the
    server directly. Without the headers Django takes the server's own view: gunicorn and
    uvicorn honour the same headers only from FORWARDED_ALLOW_IPS (an ASGI server that
    trusted them has already put the client's address and scheme in place). Keep it before
    SecurityMiddleware and the throttles.
    """

    HEADERS = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_HOST")

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
            for name in self.HEADERS:
                request.META.pop(name, None)
        return self.get_response(request)


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


class BodySizeLimitMiddleware:
    """413 `{"detail": ...}` for an API request body larger than settings.MAX_BODY_SIZE."""

    # A body up to this many times the limit is read and dropped before answering, so the
    # client, still sending, gets the 413 rather than a reset connection; a larger one is not
    # worth a worker's time.
    DRAIN_FACTOR = 16
    CHUNK = 64 * 1024

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith("/api/"):
            return self.get_response(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length <= settings.MAX_BODY_SIZE:
            return self.get_response(request)
        if length <= self.DRAIN_FACTOR * settings.MAX_BODY_SIZE:
            while request.read(self.CHUNK):
                pass
        return self.too_large()

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # A body without a Content-Length that Django finds too large as it reads it.
        if isinstance(exception, RequestDataTooBig) and request.path_info.startswith("/api/"):
            return self.too_large()
        return None

    @staticmethod
    def too_large() -> JsonResponse:
        return JsonResponse(
            {"detail": f"The request body is larger than {settings.MAX_BODY_SIZE} bytes."},
            status=413,
        )


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
