"""Helpers for tests that render a project and use it as a person would."""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# Set by .ci/run, which starts the services on loopback.
POSTGRES_URL = os.environ.get("SCAFFOLD_TEST_POSTGRES_URL")
REDIS_URL = os.environ.get("SCAFFOLD_TEST_REDIS_URL")

# uv may not download interpreters here, and 3.11 is the oldest Python the projects support.
HTTPS = {"X-Forwarded-Proto": "https"}  # what a TLS-terminating proxy adds
UV_ENV = {"UV_PYTHON_DOWNLOADS": "never", "UV_PYTHON": "3.11", "UV_NO_PROGRESS": "1"}


def run(
    args: Sequence[str],
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run a command; on failure, fail the test with its output."""
    full_env = {**os.environ, **UV_ENV, **(env or {})}
    full_env.pop("VIRTUAL_ENV", None)  # the generated project has its own environment
    result = subprocess.run(
        list(args),
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"`{' '.join(args)}` failed in {cwd} (exit {result.returncode}):\n"
            f"{result.stdout[-6000:]}\n{result.stderr[-6000:]}",
            pytrace=False,
        )
    return result


def scaffold_new(parent: Path, answers: Mapping[str, Any], name: str = "project") -> Path:
    """Render a project with the `scaffold` command, as a user would."""
    args = [sys.executable, "-m", "scaffold_cli", "new", name, "--defaults"]
    for key, value in answers.items():
        args += ["--data", f"{key}={value}"]
    run(args, cwd=parent)
    return parent / name


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Response:
    status: int
    body: str
    headers: Mapping[str, str]


def http_get(url: str, headers: Mapping[str, str] | None = None, timeout: float = 10) -> Response:
    request = urllib.request.Request(url, headers=dict(headers or {}))
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return Response(response.status, _text(response.read()), dict(response.headers))
    except urllib.error.HTTPError as error:
        return Response(error.code, _text(error.read()), dict(error.headers))


def http_post(
    url: str,
    body: Mapping[str, Any],
    headers: Mapping[str, str] | None = None,
    *,
    form: bool = False,
) -> Response:
    """POST a JSON body (or, with `form`, an HTML form's urlencoded fields)."""
    if form:
        data = urllib.parse.urlencode(body).encode()
        content_type = "application/x-www-form-urlencoded"
    else:
        data, content_type = json.dumps(body).encode(), "application/json"
    return http_request("POST", url, data, {"Content-Type": content_type, **(headers or {})})


def http_request(
    method: str,
    url: str,
    data: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 10,
) -> Response:
    """Any request with a raw body; an HTTP error status is a Response, not an exception."""
    request = urllib.request.Request(url, data=data, headers=dict(headers or {}), method=method)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return Response(response.status, _text(response.read()), dict(response.headers))
    except urllib.error.HTTPError as error:
        return Response(error.code, _text(error.read()), dict(error.headers))


def _text(body: bytes) -> str:
    """The body as text (binary assets such as images come back with replacement marks)."""
    return body.decode("utf-8", errors="replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@contextlib.contextmanager
def running(
    args: Sequence[str], cwd: Path, env: Mapping[str, str], name: str = "process"
) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """Run a background process (a server, a worker) for the duration; stop its whole group."""
    log = cwd / f"{name}-{free_port()}.log"
    full_env = {**os.environ, **UV_ENV, **env}
    full_env.pop("VIRTUAL_ENV", None)
    with log.open("w") as output:
        process = subprocess.Popen(
            list(args), cwd=cwd, env=full_env, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True, text=True,
        )  # fmt: skip
    try:
        yield process, log
    finally:
        stop_group(process)


def stop_group(process: subprocess.Popen[str], grace: float = 10) -> None:
    """SIGTERM the process's whole group; SIGKILL whatever is left of it after `grace` s.

    Waiting for the leader is not enough: `make dev` leaves uvicorn's reloader behind it.
    """
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        process.poll()  # reap the leader, or the group never looks empty
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@contextlib.contextmanager
def serving(
    args: Sequence[str], cwd: Path, port: int, env: Mapping[str, str], timeout: float = 60
) -> Iterator[str]:
    """Start a server, wait until /health answers, yield its base URL, then stop it."""
    base = f"http://127.0.0.1:{port}"
    with running(args, cwd, env, name=f"server-{port}") as (process, log):
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                pytest.fail(f"server exited ({process.returncode}):\n{log.read_text()[-4000:]}")
            with contextlib.suppress(OSError):
                if http_get(f"{base}/health", timeout=2).status == 200:
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"server did not answer /health in {timeout}s:\n{log.read_text()}")
            time.sleep(0.2)
        try:
            yield base
        except BaseException:
            # pytest shows what a failing test printed: the server's side of the story.
            print(f"--- {' '.join(args[:3])} on {base}, its log's end:\n{log.read_text()[-6000:]}")
            raise


def gunicorn(port: int, workers: int = 2, app: str | None = None) -> list[str]:
    """The Django production server on 127.0.0.1 (gunicorn.conf.py names the app by default)."""
    return ["uv", "run", "gunicorn", *([app] if app else []), "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers)]  # fmt: skip


def uvicorn(app: str, port: int, workers: int = 2, *extra: str) -> list[str]:
    """An ASGI production server on 127.0.0.1; `app` as uvicorn takes it."""
    return ["uv", "run", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port),
            "--workers", str(workers), *extra]  # fmt: skip


def fastapi_factory(package: str) -> str:
    """The generated FastAPI apps are built by a factory."""
    return f"{package}.main:create_app"


def new_secret() -> str:
    return secrets.token_urlsafe(50)


def redis_url() -> str | None:
    """The test Redis (None without one): a database of its own per pytest-xdist worker.

    The generated projects all use the same keys (the cached posts lists, Celery's queue), so
    variants served at the same time on one database would read each other's cached pages
    and take each other's tasks.
    """
    if not REDIS_URL:
        return None
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    return f"{REDIS_URL}/{int(worker) % 16}"


def redis_env() -> dict[str, str]:
    url = redis_url()
    return {"REDIS_URL": url} if url else {}


def production_env(database_url: str) -> dict[str, str]:
    from tests.mail_sink import mail_sink  # here: tests.mail_sink imports this module

    return {
        "EMAIL_URL": mail_sink().url,  # what the server sends lands in tests.mail_sink's folder
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "ENVIRONMENT": "production",
        "SECRET_KEY": new_secret(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "METRICS_TOKEN": "smoke-metrics-token",  # tests.production_checks.METRICS_TOKEN
        # Every sign-up here comes from 127.0.0.1, and the checks of both database rounds (and
        # of two server processes) count in one Redis within a minute: the default 10/minute
        # answered 429 to the smoke itself. The generated tests test the throttle.
        "AUTH_RATE_LIMIT": "1000/minute",
        **redis_env(),
    }


def create_postgres_database(name: str) -> str:
    """Create (or recreate) a database on the CI's PostgreSQL; return its URL."""
    assert POSTGRES_URL, "SCAFFOLD_TEST_POSTGRES_URL is not set"
    psql = shutil.which("psql")
    assert psql, "psql is not installed"
    for statement in (
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        f'CREATE DATABASE "{name}"',
    ):
        subprocess.run([psql, POSTGRES_URL, "-qc", statement], check=True, capture_output=True)
    return POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"


@dataclass(frozen=True)
class Account:
    """A user created on a running app, and the Authorization header that proves it."""

    username: str
    email: str
    password: str
    headers: dict[str, str]


def new_account(project: Path, framework: str, base: str, environment: dict[str, str]) -> Account:
    """Sign up (FastAPI) or create a Django user with a token (Django and the Hybrid)."""
    password, name = new_secret(), f"smoke{uuid.uuid4().hex[:12]}"
    email = f"{name}@example.com"
    if framework == "fastapi":
        # Signing in needs a verified address: follow the token the server mailed (to
        # tests.mail_sink's SMTP server, see production_env), as a user would.
        signup = http_post(f"{base}/api/auth/signup", {"email": email, "password": password})
        assert signup.status == 201, signup.body
        verified = http_post(f"{base}/api/auth/verify", {"token": mailed_token(email)})
        assert verified.status == 200, verified.body
        login = http_post(f"{base}/api/auth/login", {"username": email, "password": password},
                          form=True)  # fmt: skip
        assert login.status == 200, (login.status, login.body)
        token = json.loads(login.body)["access_token"]
        return Account(name, email, password, {"Authorization": f"Bearer {token}"})
    # Django's users (the Hybrid's service reads Django's tokens too).
    run(["uv", "run", "python", "manage.py", "createsuperuser", "--noinput",
         "--username", name, "--email", email], project,
        {**environment, "DJANGO_SUPERUSER_PASSWORD": password})  # fmt: skip
    created = run(["uv", "run", "python", "manage.py", "drf_create_token", name], project,
                  environment)  # fmt: skip
    token = re.search(r"Generated token (\w+)", created.stdout)
    assert token, created.stdout
    return Account(name, email, password, {"Authorization": f"Token {token.group(1)}"})


def mailed_token(address: str, *, after: int = 0) -> str:
    """The `token` in the link of the mail a production server sent to `address` (the
    `after`+1-th one), read from tests.mail_sink's folder."""
    from tests.mail_sink import links_in, mail_sink, wait_for_mail  # it imports this module

    [link] = links_in(wait_for_mail(mail_sink().folder, address, after=after))
    return urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["token"][0]


def sign_in(
    project: Path, framework: str, base: str, environment: dict[str, str]
) -> dict[str, str]:
    """A new account on the running app, and the Authorization header that proves it."""
    return new_account(project, framework, base, environment).headers


# The nginx.conf that runs a project's own route table (deploy/nginx/default.conf) as an
# unprivileged process: its files under `run`.
NGINX_WRAPPER = """daemon off;
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/error.log;
events {{}}
http {{
    access_log off;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    include {run}/default.conf;
}}
"""
