"""The proxy headers count only from a trusted proxy (FORWARDED_ALLOW_IPS): a client that
reaches the server directly can claim neither HTTPS nor another client's address."""

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from ...accounts.throttles import AuthRateThrottle
from ..middleware import TrustedProxyMiddleware, is_trusted_proxy

PROXY = "172.18.0.5"  # the TLS proxy (compose's Caddy, or the Hybrid's nginx)
CLIENT = "203.0.113.7"  # anyone else
FORWARDED: dict[str, Any] = {  # as WSGI names them
    "HTTP_X_FORWARDED_PROTO": "https",
    "HTTP_X_FORWARDED_FOR": "198.51.100.1",
    "HTTP_X_FORWARDED_HOST": "elsewhere.example",
}


@pytest.fixture(autouse=True)
def _trust_the_proxy_network(settings) -> None:
    settings.FORWARDED_ALLOW_IPS = ["127.0.0.1", "172.16.0.0/12"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}


def seen_by_the_app(peer: str) -> dict[str, str]:
    """The request's META after the middleware, for a request from `peer` with the headers."""
    seen: dict[str, str] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen.update({name: str(value) for name, value in request.META.items()})
        return HttpResponse()

    request = RequestFactory().get("/", REMOTE_ADDR=peer, **FORWARDED)
    TrustedProxyMiddleware(view)(request)
    return seen


def test_a_trusted_proxy_s_headers_pass() -> None:
    seen = seen_by_the_app(PROXY)
    for name, value in FORWARDED.items():
        assert seen[name] == value, name


def test_anyone_else_s_are_dropped() -> None:
    seen = seen_by_the_app(CLIENT)
    assert not FORWARDED.keys() & seen.keys()
    assert seen["REMOTE_ADDR"] == CLIENT


def test_the_throttles_count_the_client_behind_the_proxy_and_a_direct_caller_itself() -> None:
    for peer, expected in ((PROXY, "198.51.100.1"), (CLIENT, CLIENT)):
        request = RequestFactory().get("/", REMOTE_ADDR=peer, **FORWARDED)
        TrustedProxyMiddleware(lambda request: HttpResponse())(request)
        assert AuthRateThrottle().get_ident(request) == expected  # type: ignore[arg-type]


def test_https_is_what_the_proxy_says_not_what_a_client_claims(settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    proto = {"X-Forwarded-Proto": "https"}
    # From the proxy: HTTPS, served (a 404 or whatever /nowhere is, but no redirect).
    assert Client(REMOTE_ADDR=PROXY).get("/nowhere", headers=proto).status_code != 301
    # Directly, claiming HTTPS: still plain HTTP, redirected.
    direct = Client(REMOTE_ADDR=CLIENT).get("/nowhere", headers=proto)
    assert direct.status_code == 301
    assert direct["Location"].startswith("https://")


@pytest.mark.parametrize(
    ("allowed", "address", "trusted"),
    [
        (["*"], CLIENT, True),  # the default: the server is reachable only through its proxy
        (["127.0.0.1", "::1"], "::1", True),
        (["127.0.0.1"], "127.0.0.2", False),
        (["10.0.0.0/8"], "10.1.2.3", True),
        (["10.0.0.0/8"], "not an address", False),
        (["10.0.0.0/8"], "", True),  # a Unix socket: the proxy is on this machine
    ],
)
def test_forwarded_allow_ips_takes_addresses_and_ranges(
    settings, allowed: list[str], address: str, trusted: bool
) -> None:
    settings.FORWARDED_ALLOW_IPS = allowed
    assert is_trusted_proxy(address) is trusted
