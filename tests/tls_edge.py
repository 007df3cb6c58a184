"""compose's `tls` profile, natively: the project's Caddyfile run by `caddy run` on loopback
in front of the production server compose's `web` runs (gunicorn or uvicorn; in the Hybrid,
its nginx `proxy` in front of both), as a browser and as a direct caller would meet it.

DOMAIN=localhost makes Caddy issue the certificate from its own local CA (kept, with its root,
in a private XDG_DATA_HOME; nothing is installed in this machine's trust store). The callers
connect from loopback addresses of their own (127.x.y.z, never Caddy's 127.0.0.1), so the app
can tell the client behind Caddy from Caddy, and a direct caller from the trusted proxy: the
servers trust proxy headers from 127.0.0.1 only (FORWARDED_ALLOW_IPS). The servers are our
own, with a throttle low enough to reach (AUTH_RATE_LIMIT) and one worker each.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import random
import shutil
import socket
import ssl
import time
import urllib.parse
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import (
    NGINX_WRAPPER,
    Response,
    fastapi_factory,
    free_port,
    gunicorn,
    new_secret,
    running,
    serving,
    uvicorn,
)

HSTS = "Strict-Transport-Security"
RATE = 3  # AUTH_RATE_LIMIT per minute for these servers: then 429


def _header(response: Response, name: str) -> str | None:
    return next((v for k, v in response.headers.items() if k.lower() == name.lower()), None)


def new_source() -> str:
    """A loopback address of our own to call from (Linux answers on all of 127.0.0.0/8)."""
    return f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(2, 254)}"


class _LocalhostTLS(http.client.HTTPSConnection):
    """HTTPS to 127.0.0.1 for the name `localhost` (SNI, Host), from a chosen source address."""

    def connect(self) -> None:
        sock = socket.create_connection(("127.0.0.1", self.port), self.timeout,
                                        self.source_address)  # fmt: skip
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def _send(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    headers: Mapping[str, str] | None,
    body: bytes | None,
) -> Response:
    try:
        connection.request(method, path, body=body, headers=dict(headers or {}))
        answer = connection.getresponse()
        return Response(answer.status, answer.read().decode("utf-8", "replace"),
                        dict(answer.getheaders()))  # fmt: skip
    finally:
        connection.close()


@dataclass(frozen=True)
class Edge:
    """Caddy's two ports on loopback, and the context that trusts its local CA."""

    http_port: int
    https_port: int
    context: ssl.SSLContext

    @property
    def origin(self) -> str:
        return f"https://localhost:{self.https_port}"

    def https(
        self, method: str, path: str, *, source: str, headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
    ) -> Response:  # fmt: skip
        connection = _LocalhostTLS("localhost", self.https_port, context=self.context,
                                   timeout=10, source_address=(source, 0))  # fmt: skip
        return _send(connection, method, path, headers, body)

    def http(self, path: str, *, source: str) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=10,
                                                source_address=(source, 0))  # fmt: skip
        return _send(connection, "GET", path, {"Host": "localhost"}, None)


def direct(
    base: str, method: str, path: str, *, source: str, headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
) -> Response:  # fmt: skip
    """A request straight to the app's port (no Caddy), from `source`."""
    address = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname or "127.0.0.1", address.port,
                                            timeout=10, source_address=(source, 0))  # fmt: skip
    return _send(connection, method, path, headers, body)


@contextlib.contextmanager
def caddy_in_front(project: Path, upstream: str, timeout: float = 30) -> Iterator[Edge]:
    """`caddy run` with the project's Caddyfile, DOMAIN=localhost, in front of `upstream`."""
    caddy = shutil.which("caddy")
    if caddy is None:
        pytest.skip("caddy is not installed (.ci/services.sh installs it)")
    http_port, https_port = free_port(), free_port()
    run_dir = project / f".caddy-{https_port}"
    run_dir.mkdir()
    caddyfile = (project / "deploy" / "caddy" / "Caddyfile").read_text()
    # Test-only global options: our ports, no admin endpoint (parallel runs would share
    # :2019), and the local CA's root left out of this machine's trust store.
    options = (f"\n{{\n\thttp_port {http_port}\n\thttps_port {https_port}\n"
               "\tadmin off\n\tskip_install_trust\n")  # fmt: skip
    assert "\n{\n" in caddyfile, "the Caddyfile has no global options block"
    (run_dir / "Caddyfile").write_text(caddyfile.replace("\n{\n", options, 1))
    env = {"DOMAIN": "localhost", "ACME_EMAIL": "", "APP_UPSTREAM": upstream,
           "HOME": str(run_dir), "XDG_DATA_HOME": str(run_dir / "data"),
           "XDG_CONFIG_HOME": str(run_dir / "config")}  # fmt: skip
    command = [caddy, "run", "--adapter", "caddyfile", "--config", str(run_dir / "Caddyfile")]
    root = run_dir / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
    with running(command, run_dir, env, name="caddy") as (process, log):
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                pytest.fail(f"caddy exited ({process.returncode}):\n{log.read_text()[-4000:]}")
            if root.exists():
                edge = Edge(http_port, https_port, ssl.create_default_context(cafile=str(root)))
                with contextlib.suppress(OSError, ssl.SSLError, http.client.HTTPException):
                    if edge.https("GET", "/health", source=new_source()).status == 200:
                        break
            if time.monotonic() > deadline:
                pytest.fail(f"caddy did not serve /health in {timeout}s:\n{log.read_text()}")
            time.sleep(0.2)
        try:
            yield edge
        except BaseException:
            print(f"--- caddy's log's end:\n{log.read_text()[-4000:]}")
            raise


def _throttled(kind: str) -> tuple[str, dict[str, str], bytes]:
    """A throttled endpoint (AUTH_RATE_LIMIT per client address): wrong credentials."""
    if kind == "fastapi":
        body = urllib.parse.urlencode({"username": "nobody@example.com", "password": "x"})
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        return "/api/auth/login", form, body.encode()
    body = json.dumps({"username": "nobody", "password": "x"})
    return "/api/auth/token/", {"Content-Type": "application/json"}, body.encode()


@contextlib.contextmanager
def the_app(project: Path, framework: str, package: str, env: Mapping[str, str]) -> Iterator[str]:
    """What compose's `web` runs (the Hybrid: `web`, `api` and the nginx `proxy` in front),
    on loopback; yields the base URL Caddy passes requests to."""
    with contextlib.ExitStack() as stack:
        port = free_port()
        if framework == "fastapi":
            server = uvicorn(fastapi_factory(package), port, 1, "--factory")
        else:
            server = gunicorn(port, workers=1)
        base = stack.enter_context(serving(server, project, port, env))
        if framework == "hybrid":
            nginx = shutil.which("nginx")
            if nginx is None:
                pytest.skip("nginx is not installed (.ci/run installs it)")
            api_port, proxy_port = free_port(), free_port()
            api = uvicorn(fastapi_factory(package), api_port, 1, "--factory", "--root-path",
                          "/fast")  # fmt: skip
            stack.enter_context(serving(api, project, api_port, env))
            run_dir = project / f".nginx-tls-{proxy_port}"
            run_dir.mkdir()
            template = (project / "deploy" / "nginx" / "default.conf.template").read_text()
            for name, value in {"DJANGO_UPSTREAM": f"127.0.0.1:{port}",
                                "API_UPSTREAM": f"127.0.0.1:{api_port}",
                                "LISTEN_PORT": f"127.0.0.1:{proxy_port}",
                                "MAX_BODY_SIZE": "1048576"}.items():  # fmt: skip
                template = template.replace("${" + name + "}", value)
            (run_dir / "default.conf").write_text(template)
            (run_dir / "nginx.conf").write_text(NGINX_WRAPPER.format(run=run_dir))
            proxy = [nginx, "-c", str(run_dir / "nginx.conf"), "-e", str(run_dir / "error.log")]
            base = stack.enter_context(serving(proxy, project, proxy_port, env))
        yield base


def check_tls_edge(project: Path, framework: str, package: str, env: Mapping[str, str]) -> None:
    """HTTPS through the project's Caddyfile to the app (the Hybrid: to its nginx): served as
    HTTPS, HSTS sent, mailed links on https://<host>, plain HTTP redirected, /metrics not
    public, the throttles count the client behind Caddy; a direct caller claiming HTTPS or
    another address is not believed. `env`: the production settings, migrated database."""
    env = {**env, "AUTH_RATE_LIMIT": f"{RATE}/minute", "FORWARDED_ALLOW_IPS": "127.0.0.1"}
    with the_app(project, framework, package, env) as base:
        _check_through_caddy(project, base, framework)


def _check_through_caddy(project: Path, base: str, kind: str) -> None:
    from tests.mail_sink import links_in, mail_sink, wait_for_mail  # it imports tests.helpers

    django = kind in {"django", "hybrid"}
    upstream = urllib.parse.urlsplit(base).netloc
    with caddy_in_front(project, upstream) as edge:
        one, other = new_source(), new_source()
        while other == one:
            other = new_source()
        claim_https = {"X-Forwarded-Proto": "https"}

        redirect = edge.http("/api/?x=1", source=one)
        assert redirect.status in {301, 308}, redirect
        # (Caddy's redirect names no port: in production HTTPS is on 443.)
        location = urllib.parse.urlsplit(_header(redirect, "Location") or "")
        assert (location.scheme, location.hostname) == ("https", "localhost"), redirect
        assert (location.path, location.query) == ("/api/", "x=1"), redirect
        assert edge.https("GET", "/metrics", source=one).status == 404  # Caddy's own answer

        # The app sees HTTPS: Django serves (SECURE_SSL_REDIRECT is on in production: no
        # redirect loop) and both send HSTS; a direct caller claiming HTTPS gets neither.
        # (/health answers before the security headers: the API schema instead.)
        pages = {"django": ["/admin/login/"], "fastapi": ["/openapi.json"],
                 "hybrid": ["/admin/login/", "/fast/openapi.json"]}[kind]  # fmt: skip
        for path in pages:
            served = edge.https("GET", path, source=one)
            assert served.status == 200, (path, served.status, served.body[:300])
            assert _header(served, HSTS), (path, served.headers)
            claimed = direct(base, "GET", path, source=one, headers=claim_https)
            assert not _header(claimed, HSTS), (path, claimed.headers)
            if path == "/admin/login/":  # plain HTTP to Django: redirected, not served
                assert claimed.status == 301, claimed.status
                assert (_header(claimed, "Location") or "").startswith("https://"), claimed

        if django:  # links Django builds from the request: https and the public host
            email = f"tls{uuid.uuid4().hex[:12]}@example.com"
            signup = edge.https(
                "POST", "/_allauth/app/v1/auth/signup", source=one,
                headers={"Content-Type": "application/json"},
                body=json.dumps({"email": email, "password": new_secret()}).encode(),
            )  # fmt: skip
            assert signup.status == 401, signup.body  # signed up, verification pending
            [link] = links_in(wait_for_mail(mail_sink().folder, email))
            assert link.startswith(f"{edge.origin}/"), link

        # The throttles count the client behind Caddy, not Caddy: `one` runs out, `other`
        # (same Caddy) does not; a direct caller cannot pass for someone else either way.
        path, headers, body = _throttled(kind)
        statuses = []
        for _ in range(RATE + 5):
            statuses.append(edge.https("POST", path, source=one, headers=headers, body=body).status)
            if statuses[-1] == 429:
                break
        assert statuses[-1] == 429, statuses
        assert edge.https("POST", path, source=other, headers=headers, body=body).status != 429
        # Direct callers naming another address in X-Forwarded-For: `other` claiming to be
        # `one` (throttled), `one` claiming to be someone new. Django redirects their plain
        # HTTP before anything counts (its unit tests check whose address it would count);
        # FastAPI counts each caller as itself.
        for source, claimed, limited in ((other, one, False), (one, "203.0.113.77", True)):
            spoofed = {**headers, "X-Forwarded-For": claimed}
            answer = direct(base, "POST", path, source=source, headers=spoofed, body=body)
            if django:
                assert answer.status == 301, answer
            else:
                assert (answer.status == 429) is limited, (answer, statuses)
