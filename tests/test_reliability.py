"""Reliability of the generated apps under load and through a database restart.

For each framework (and with the Redis cache), a project is rendered and served by its
production server against a PostgreSQL of this module's own (so restarting it disturbs no
other test). Then:
- load: 30 s of concurrent reads of the posts list and writes of new posts: no 5xx, no
  dropped connection, and every write the app acknowledged is in the database;
- faults: PostgreSQL restarts while requests keep coming: during the outage the app answers
  503 with a JSON body (never a hang, never another error), and afterwards it serves again
  without being restarted itself.
The Celery side of faults (a worker killed mid-task) is the generated projects' own
test_worker.py, which the smoke matrix runs against a real Redis.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.error
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.helpers import (
    HTTPS,
    REDIS_URL,
    Response,
    fastapi_factory,
    free_port,
    gunicorn,
    http_get,
    http_post,
    production_env,
    run,
    scaffold_new,
    serving,
    sign_in,
    uvicorn,
)

pytestmark = pytest.mark.smoke

LOAD_SECONDS = 30
LOAD_THREADS = 16
WRITE_EVERY = 5  # one request in five writes a post
REQUEST_TIMEOUT = 10  # a response slower than this counts as a hang


def postgres_binaries() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not found or not shutil.which("runuser"):
        pytest.skip("PostgreSQL is not installed (.ci/run installs it)")
    return found[-1].parent


@dataclass
class PrivatePostgres:
    """A throwaway PostgreSQL cluster on loopback, which a test may restart at will."""

    port: int = field(default_factory=free_port)

    def __post_init__(self) -> None:
        self.bin = postgres_binaries()
        # Outside pytest's private tmp folders: the postgres user must reach it.
        self.root = Path(tempfile.mkdtemp(prefix="scaffold-postgres-"))
        self.root.chmod(0o755)
        shutil.chown(self.root, "postgres", "postgres")
        self.data = self.root / "data"
        self._as_postgres("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                          "--no-instructions")  # fmt: skip

    def _as_postgres(self, tool: str, *args: str) -> None:
        command = ["runuser", "-u", "postgres", "--", str(self.bin / tool), *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if result.returncode:
            raise RuntimeError(f"{tool} {' '.join(args)}: {result.stdout}{result.stderr}")

    def _pg_ctl(self, action: str) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-w",
                          "-m", "fast", "-o", options, action)  # fmt: skip

    def start(self) -> None:
        self._pg_ctl("start")

    def stop(self) -> None:
        self._pg_ctl("stop")

    def remove(self) -> None:
        with contextlib.suppress(RuntimeError):
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def create_database(self, name: str) -> str:
        psql = shutil.which("psql") or str(self.bin / "psql")
        url = f"postgres://postgres@127.0.0.1:{self.port}"
        subprocess.run([psql, f"{url}/postgres", "-qc", f'CREATE DATABASE "{name}"'], check=True,
                       capture_output=True)  # fmt: skip
        return f"{url}/{name}"

    def query(self, database_url: str, sql: str) -> list[str]:
        psql = shutil.which("psql") or str(self.bin / "psql")
        result = subprocess.run([psql, database_url, "-tAc", sql], check=True,
                                capture_output=True, text=True)  # fmt: skip
        return result.stdout.split()


@dataclass(frozen=True)
class Api:
    """One server's posts endpoints, as a signed-in client uses them."""

    base: str
    posts: str  # the list, and where new posts are POSTed
    headers: dict[str, str]

    def list(self) -> Response:
        return http_get(f"{self.base}{self.posts}", self.headers, timeout=REQUEST_TIMEOUT)

    def write(self, title: str) -> Response:
        post = {"title": title, "content": "load", "category": "tech", "published": True}
        return http_post(f"{self.base}{self.posts}", post, self.headers)


@dataclass
class Deployment:
    apis: list[Api]
    database_url: str
    table: str
    postgres: PrivatePostgres


BASE = {"include_example": True, "use_docker": False, "ci": "none"}
# Each framework as rendered by default, and with the Redis cache of the posts list (writes
# invalidate it while other requests read it).
DEPLOYMENTS = {
    "django": {"framework": "django"},
    "fastapi": {"framework": "fastapi"},
    "hybrid": {"framework": "hybrid"},
    "django-redis": {"framework": "django", "use_redis": True},
    "fastapi-redis": {"framework": "fastapi", "use_redis": True},
}


@pytest.fixture(scope="module", params=list(DEPLOYMENTS))
def deployment(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[Deployment]:
    answers = {**BASE, **DEPLOYMENTS[request.param]}
    if answers.get("use_redis") and not REDIS_URL:
        pytest.skip("needs SCAFFOLD_TEST_REDIS_URL (.ci/run starts a Redis)")
    framework = answers["framework"]
    root = tmp_path_factory.mktemp(f"reliability-{request.param}")
    postgres = PrivatePostgres()
    postgres.start()
    try:
        project = scaffold_new(root, {"project_name": "Load", **answers})
        run(["uv", "sync", "--quiet"], project)
        env = production_env(postgres.create_database("load"))
        with contextlib.ExitStack() as stack:
            apis = []
            if framework != "fastapi":
                for command in (["migrate", "--noinput"], ["collectstatic", "--noinput", "-v0"]):
                    run(["uv", "run", "python", "manage.py", *command], project, env)
                port = free_port()
                base = stack.enter_context(serving(gunicorn(port), project, port, env))
                headers = {**sign_in(project, framework, base, env), **HTTPS}
                apis.append(Api(base, "/api/posts/", headers))
            if framework != "django":
                package = "load" if framework == "fastapi" else "load_api"
                if framework == "fastapi":
                    run(["uv", "run", "alembic", "upgrade", "head"], project, env)
                port = free_port()
                server = uvicorn(fastapi_factory(package), port, 2, "--factory")
                base = stack.enter_context(serving(server, project, port, env))
                headers = apis[0].headers if apis else sign_in(project, framework, base, env)
                apis.append(Api(base, "/api/posts", {"Authorization": headers["Authorization"]}))
            table = "posts" if framework == "fastapi" else "posts_post"
            yield Deployment(apis, env["DATABASE_URL"], table, postgres)
    finally:
        postgres.remove()


@dataclass
class Tally:
    """What a load run saw, shared by its threads."""

    statuses: Counter[int] = field(default_factory=Counter)
    dropped: list[str] = field(default_factory=list)
    slowest: float = 0.0
    acknowledged: set[int] = field(default_factory=set)
    bad_bodies: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, call: Callable[[], Response]) -> Response | None:
        started = time.monotonic()
        try:
            response = call()
        except (urllib.error.URLError, OSError) as error:  # refused, reset, timed out
            with self.lock:
                self.dropped.append(repr(error))
            return None
        with self.lock:
            self.statuses[response.status] += 1
            self.slowest = max(self.slowest, time.monotonic() - started)
        return response


def load(apis: list[Api], seconds: float, threads: int, tally: Tally) -> None:
    """Read the lists and write posts from `threads` threads for `seconds`."""
    deadline = time.monotonic() + seconds
    numbers = itertools.count()

    def worker(api: Api) -> None:
        while time.monotonic() < deadline:
            number = next(numbers)
            if number % WRITE_EVERY:
                tally.record(api.list)
                continue
            response = tally.record(functools.partial(api.write, f"load-{number}"))
            if response is not None and response.status == 201:
                with tally.lock:
                    tally.acknowledged.add(json.loads(response.body)["id"])
            elif response is not None and response.status == 503:
                body = json.loads(response.body) if response.body.startswith("{") else None
                if not (isinstance(body, dict) and "detail" in body):
                    tally.bad_bodies.append(response.body[:200])

    pool = [threading.Thread(target=worker, args=(apis[n % len(apis)],)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()


def test_sustained_load_loses_nothing(deployment: Deployment) -> None:
    tally = Tally()
    load(deployment.apis, LOAD_SECONDS, LOAD_THREADS, tally)
    total = sum(tally.statuses.values())
    print(f"{total} requests in {LOAD_SECONDS} s ({total / LOAD_SECONDS:.0f}/s): "
          f"{dict(tally.statuses)}, slowest {tally.slowest:.2f} s")  # fmt: skip
    assert not tally.dropped, tally.dropped[:5]
    assert set(tally.statuses) <= {200, 201}, tally.statuses
    assert tally.acknowledged, "no write was acknowledged"
    stored = deployment.postgres.query(
        deployment.database_url, f"SELECT id FROM {deployment.table} WHERE content = 'load'"
    )
    assert tally.acknowledged <= {int(row) for row in stored}  # every acknowledged write


def test_a_database_restart_is_503_then_recovery(deployment: Deployment) -> None:
    tally = Tally()
    traffic = threading.Thread(target=load, args=(deployment.apis, 12, 4, tally))
    traffic.start()
    time.sleep(2)
    deployment.postgres.stop()  # the outage...
    time.sleep(3)
    deployment.postgres.start()  # ...and the database is back
    traffic.join()
    print(f"during the restart: {dict(tally.statuses)}, slowest {tally.slowest:.2f} s")
    assert not tally.dropped, tally.dropped[:5]  # every request got an answer, none hung
    assert set(tally.statuses) <= {200, 201, 503}, tally.statuses
    assert tally.statuses[503], "the outage was not noticed"
    assert not tally.bad_bodies, tally.bad_bodies[:3]
    for api in deployment.apis:  # recovered, without restarting the app
        assert api.list().status == 200
        assert api.write("after the restart").status == 201
