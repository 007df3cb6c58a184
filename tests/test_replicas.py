"""Interchangeable replicas, shown (issue 16): natively, no Docker.

Each framework runs as three app processes (production settings and servers) behind nginx
round-robin, plus two Celery workers, on one PostgreSQL database and one Redis. A few clients
sign up, sign in, write posts, read the list and start the posts report through nginx for
a bounded time; mid-run one app process and one worker (busy with a task) are SIGKILLed,
whole process groups. Then:

- every acknowledged write (each 201's id) is stored: read back through every surviving
  replica directly; no post was written twice (nginx does not retry a POST);
- every accepted task (each 202's id) completes: the task the killed worker held is
  redelivered to the survivor once the visibility timeout has passed;
- a token issued by one replica works on every other;
- a write through one replica is in the (cached) list read through the others at once;
- only requests in flight on the killed process fail; nginx keeps serving after the kill,
  and every replica answered its share before (round-robin, by their access logs).

The killed replica is then replaced (started again on its port, as an orchestrator would)
and the token and cache checks run across three replicas again. The Hybrid runs three
Django processes behind the project's own nginx route table (its upstreams listing each
replica) and two FastAPI processes under /fast/; its nginx answers its own 502s in JSON.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import (
    NGINX_WRAPPER,
    POSTGRES_URL,
    REDIS_URL,
    Response,
    create_postgres_database,
    fastapi_factory,
    free_port,
    gunicorn,
    http_get,
    http_post,
    http_request,
    mailed_token,
    production_env,
    run,
    running,
    scaffold_new,
    uvicorn,
)
from tests.mail_sink import links_in, mail_sink, wait_for_mail
from tests.production_checks import Side, json_detail, new_post

pytestmark = pytest.mark.smoke

CLIENTS = 4  # client threads; each has one request in flight at a time
LOAD_SECONDS = 12.0
KILL_AFTER = 5.0  # seconds into the load
VISIBILITY_TIMEOUT = 10  # CELERY_VISIBILITY_TIMEOUT for this test (production: an hour)
# The surviving worker sweeps for unacknowledged tasks every 10 s and takes back those older
# than the visibility timeout: a lost task is back within about 20 s; bound it at 45 s.
TASKS_BOUND = 45.0
SETTLE = 1.0  # requests started this long after the kill must all succeed
AFTER_THE_KILL = 5.0  # seconds of load at least, after the kill


@dataclass(frozen=True)
class Flavor:
    """One framework's URL style, its accounts, and how it is served."""

    framework: str
    package: str  # the Celery app's -A

    @property
    def django(self) -> bool:
        return self.framework != "fastapi"

    def side(self, base: str) -> Side:
        return Side.of(base, django=self.django)


@dataclass
class Request:
    kind: str
    started: float
    ended: float
    status: int  # 0: no HTTP answer (connection reset, timeout)
    ok: bool
    detail: str = ""


@dataclass
class Record:
    """What the clients did and what the servers acknowledged."""

    requests: list[Request] = field(default_factory=list)
    posts: dict[int, str] = field(default_factory=dict)  # acknowledged id -> title
    tasks: dict[str, dict[str, str]] = field(default_factory=dict)  # task id -> owner headers
    lock: threading.Lock = field(default_factory=threading.Lock)

    def call(
        self, kind: str, expected: int, send: Callable[..., Response], *args: Any, **kwargs: Any
    ) -> Response | None:
        """Send, timed; the response if it has the `expected` status, else None."""
        started = time.monotonic()
        try:
            response = send(*args, **kwargs)
        except OSError as error:  # reset, refused, timed out: no answer at all
            self.add(Request(kind, started, time.monotonic(), 0, False, repr(error)))
            return None
        ok = response.status == expected
        detail = "" if ok else response.body[:200]
        self.add(Request(kind, started, time.monotonic(), response.status, ok, detail))
        return response if ok else None

    def add(self, request: Request) -> None:
        with self.lock:
            self.requests.append(request)


# --- accounts ---------------------------------------------------------------------------


def sign_up(flavor: Flavor, base: str, record: Record) -> tuple[str, str]:
    """A new account through `base`, with its address verified from the mail; its email
    and password."""
    email, password = f"rep{uuid.uuid4().hex[:12]}@example.com", uuid.uuid4().hex * 2
    if flavor.django:
        auth, session = f"{base}/_allauth/app/v1/auth", flavor.side(base).headers
        signup = record.call("signup", 401, allauth, auth, "signup", email, password)
        assert signup is not None, "sign-up failed"
        token = json.loads(signup.body)["meta"]["session_token"]
        [link] = links_in(wait_for_mail(mail_sink().folder, email))
        key = urllib.parse.unquote(link.rstrip("/").rsplit("/", 1)[-1])
        body = json.dumps({"key": key}).encode()
        headers = {**session, "Content-Type": "application/json", "X-Session-Token": token}
        verify = record.call("signup", 200, http_request, "POST", f"{auth}/email/verify", body,
                             headers)  # fmt: skip
        assert verify is not None, "verification failed"
    else:
        fields = {"email": email, "password": password}
        signup = record.call("signup", 201, http_post, f"{base}/api/auth/signup", fields)
        assert signup is not None, "sign-up failed"
        token = {"token": mailed_token(email)}
        verify = record.call("signup", 200, http_post, f"{base}/api/auth/verify", token)
        assert verify is not None, "verification failed"
    return email, password


def allauth(auth: str, action: str, email: str, password: str) -> Response:
    body = json.dumps({"email": email, "password": password}).encode()
    headers = {"X-Forwarded-Proto": "https", "Content-Type": "application/json"}
    return http_request("POST", f"{auth}/{action}", body, headers)


def sign_in(
    flavor: Flavor, base: str, email: str, password: str, record: Record
) -> dict[str, str] | None:
    """The Authorization header of a fresh sign-in through `base` (None if it failed)."""
    if flavor.django:
        auth = f"{base}/_allauth/app/v1/auth"
        login = record.call("signin", 200, allauth, auth, "login", email, password)
        if login is None:
            return None
        return {"Authorization": f"Token {json.loads(login.body)['meta']['access_token']}"}
    form = {"username": email, "password": password}
    login = record.call("signin", 200, http_post, f"{base}/api/auth/login", form, form=True)
    if login is None:
        return None
    return {"Authorization": f"Bearer {json.loads(login.body)['access_token']}"}


# --- the load ---------------------------------------------------------------------------


def client(
    flavor: Flavor, sides: list[Side], record: Record, stop: threading.Event, number: int
) -> None:
    """Sign up, then until `stop` is set: write a post, read the list, now and then start the
    report or sign in again. `sides` are the proxy's routes (the Hybrid's two)."""
    email, password = sign_up(flavor, sides[0].base, record)
    headers = sign_in(flavor, sides[0].base, email, password, record)
    assert headers, "the first sign-in failed"
    account = _Account(headers)
    step = 0
    while not stop.is_set():
        side = sides[step % len(sides)]  # the Hybrid alternates Django's and FastAPI's posts
        title = f"replica load {number}-{step}-{uuid.uuid4().hex[:8]}"
        created = record.call("create", 201, side.send, "POST", "posts", new_post(title), account)
        if created is not None:
            with record.lock:
                record.posts[json.loads(created.body)["id"]] = title
        record.call("list", 200, side.get, "posts")  # anonymous: the cached list
        if step % 3 == number % 3:
            start_report(sides[0], account, record)
        if step % 10 == 9:
            fresh = sign_in(flavor, sides[0].base, email, password, record)
            account = _Account(fresh) if fresh else account
        step += 1


@dataclass(frozen=True)
class _Account:
    """What Side.send and Side.get take: the headers that sign a request in."""

    headers: dict[str, str]


def start_report(side: Side, account: _Account, record: Record) -> None:
    started = record.call("report", 202, side.send, "POST", "posts/report", {}, account)
    if started is not None:
        with record.lock:
            record.tasks[json.loads(started.body)["task_id"]] = account.headers


# --- processes --------------------------------------------------------------------------


def wait_healthy(bases: list[str], processes: list[tuple[subprocess.Popen[str], Path]]) -> None:
    """Every server answers /health (they start side by side: faster on a small machine)."""
    deadline = time.monotonic() + 90
    pending = list(zip(bases, processes, strict=True))
    while pending:
        base, (process, log) = pending[0]
        if process.poll() is not None:
            pytest.fail(f"{base} exited ({process.returncode}):\n{log.read_text()[-4000:]}")
        with contextlib.suppress(OSError):
            if http_get(f"{base}/health", timeout=2).status == 200:
                pending.pop(0)
                continue
        if time.monotonic() > deadline:
            pytest.fail(f"{base} did not answer /health:\n{log.read_text()[-4000:]}")
        time.sleep(0.2)


TASK_LINE = re.compile(r"\[([0-9a-f-]{36})\] (received|succeeded)")


def task_events(log: Path) -> dict[str, set[str]]:
    """From a worker's log: the ids of the tasks it received, and those it finished."""
    events: dict[str, set[str]] = {"received": set(), "succeeded": set()}
    for task_id, event in TASK_LINE.findall(log.read_text()):
        events[event].add(task_id)
    return events


def kill_worker_mid_task(
    worker: subprocess.Popen[str],
    log: Path,
    nudge: Callable[[], None],
    finished: Callable[[str], bool],
    bound: float = 10,
) -> set[str]:
    """SIGKILL the worker's group while it holds a task (its log says received, not done).

    The group is stopped (SIGSTOP) while its log is read, so what the log says is what it
    holds when the SIGKILL lands; `nudge` starts another report between tries. A task whose
    result is already stored (`finished`: the worker was stopped between storing it and
    logging it) is not held: nothing is left to redeliver."""
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        os.killpg(worker.pid, signal.SIGSTOP)
        events = task_events(log)
        held = {task for task in events["received"] - events["succeeded"] if not finished(task)}
        if held:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
            return held
        os.killpg(worker.pid, signal.SIGCONT)
        nudge()
        time.sleep(0.02)
    pytest.fail(f"worker never caught holding a task:\n{log.read_text()[-3000:]}")


def nginx_round_robin(project: Path, listen: int, upstreams: list[int]) -> Path:
    """A small nginx conf for one app: an upstream of every replica, as the Hybrid's has."""
    run_dir = project / ".nginx"
    run_dir.mkdir(exist_ok=True)
    servers = "\n".join(f"    server 127.0.0.1:{port};" for port in upstreams)
    (run_dir / "default.conf").write_text(f"""
upstream app {{
{servers}
    keepalive 32;
}}
server {{
    listen 127.0.0.1:{listen};
    proxy_http_version 1.1;
    proxy_set_header Host $http_host;
    proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;
    proxy_set_header Connection "";
    location / {{
        proxy_pass http://app;
    }}
}}
""")
    (run_dir / "nginx.conf").write_text(NGINX_WRAPPER.format(run=run_dir))
    return run_dir


def nginx_hybrid(project: Path, listen: int, django: list[int], api: list[int]) -> Path:
    """The project's own route table; its upstreams list every replica (compose's DNS name
    for a scaled service gives nginx one address per replica the same way)."""
    run_dir = project / ".nginx"
    run_dir.mkdir(exist_ok=True)
    template = (project / "deploy" / "nginx" / "default.conf.template").read_text()

    def servers(ports: list[int]) -> str:
        return ";\n    server ".join(f"127.0.0.1:{port}" for port in ports)

    for name, value in {"DJANGO_UPSTREAM": servers(django), "API_UPSTREAM": servers(api),
                        "LISTEN_PORT": f"127.0.0.1:{listen}",
                        "MAX_BODY_SIZE": "1048576"}.items():  # fmt: skip
        assert "${" + name + "}" in template, name
        template = template.replace("${" + name + "}", value)
    (run_dir / "default.conf").write_text(template)
    (run_dir / "nginx.conf").write_text(NGINX_WRAPPER.format(run=run_dir))
    return run_dir


@dataclass
class Stack:
    """The running system: the proxy's routes, and each replica's own address."""

    proxy: list[Side]  # Django's (or the one app's) first, then the Hybrid's /fast
    replicas: list[Side]  # the processes behind proxy[0], directly
    others: list[Side]  # the Hybrid's FastAPI processes, directly
    apps: list[subprocess.Popen[str]]  # parallel to `replicas`
    logs: list[Path]  # each app process's output (its access log among it): `replicas`, `others`
    other_apps: list[subprocess.Popen[str]]  # parallel to `others`
    workers: list[tuple[subprocess.Popen[str], Path]]
    start: Callable[[int], tuple[subprocess.Popen[str], Path]]  # replica `n`'s process again

    def alive(self) -> list[Side]:
        """The app processes still running, each directly (the Hybrid's FastAPI ones too)."""
        running = zip(self.replicas, self.apps, strict=True)
        return [side for side, app in running if app.poll() is None] + self.others

    def replace(self, number: int) -> tuple[subprocess.Popen[str], Path]:
        """Start a new process in the place of replica `number` (as an orchestrator would)."""
        started = self.start(number)
        self.apps[number] = started[0]
        return started


@contextlib.contextmanager
def system(project: Path, flavor: Flavor, env: dict[str, str]) -> Iterator[Stack]:
    nginx = shutil.which("nginx")
    if nginx is None:
        pytest.skip("nginx is not installed (.ci/services.sh installs it)")
    hybrid = flavor.framework == "hybrid"
    ports, api_ports, listen = [free_port() for _ in range(3)], [], free_port()
    if flavor.django:
        commands = [gunicorn(port, workers=1) for port in ports]
    else:
        app = fastapi_factory(flavor.package)
        commands = [uvicorn(app, port, 1, "--factory") for port in ports]
    if hybrid:
        api_ports = [free_port() for _ in range(2)]
        app = fastapi_factory(f"{flavor.package}_api")
        commands += [uvicorn(app, port, 1, "--factory", "--root-path", "/fast")
                     for port in api_ports]  # fmt: skip
        run_dir = nginx_hybrid(project, listen, ports, api_ports)
    else:
        run_dir = nginx_round_robin(project, listen, ports)
    celery = ["uv", "run", "celery", "-A", "config" if flavor.django else flavor.package,
              "worker", "--concurrency", "1", "--loglevel", "INFO"]  # fmt: skip
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(running(command, project, env, name=f"app{number}"))
                   for number, command in enumerate(commands)]  # fmt: skip
        workers = [stack.enter_context(running([*celery, "-n", f"worker{number}@%h"], project,
                                               env, name=f"worker{number}"))
                   for number in range(2)]  # fmt: skip
        proxy = [nginx, "-c", str(run_dir / "nginx.conf"), "-e", str(run_dir / "error.log")]
        servers.append(stack.enter_context(running(proxy, project, env, name="nginx")))
        bases = [f"http://127.0.0.1:{port}" for port in [*ports, *api_ports, listen]]
        wait_healthy(bases, servers)
        for _, log in workers:
            deadline = time.monotonic() + 60
            while " ready." not in log.read_text():
                assert time.monotonic() < deadline, log.read_text()[-3000:]
                time.sleep(0.2)
        front = f"http://127.0.0.1:{listen}"

        def start(number: int) -> tuple[subprocess.Popen[str], Path]:
            return stack.enter_context(
                running(commands[number], project, env, name=f"app{number}-again")
            )

        yield Stack(
            proxy=[flavor.side(front)] + ([Side.of(f"{front}/fast", django=False)] * hybrid),
            replicas=[flavor.side(base) for base in bases[:3]],
            others=[Side.of(base, django=False) for base in bases[3:-1]],
            apps=[process for process, _ in servers[:3]],
            logs=[log for _, log in servers[:-1]],
            other_apps=[process for process, _ in servers[3:-1]],
            workers=workers,
            start=start,
        )


# --- the checks after the run -----------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def report_figures(framework: str, record: Record, killed_at: float) -> None:
    print(f"\n--- replicas: {framework}")
    kinds = sorted({request.kind for request in record.requests})
    for kind in [*kinds, "all"]:
        chosen = [r for r in record.requests if kind in (r.kind, "all")]
        times = [r.ended - r.started for r in chosen]
        failed = sum(not r.ok for r in chosen)
        after = sum(r.started > killed_at for r in chosen)
        print(f"{kind:>8}: {len(chosen):5} requests ({after} after the kill), {failed} failed, "
              f"p50 {1000 * statistics.median(times):.0f} ms, "
              f"p99 {1000 * percentile(times, 0.99):.0f} ms")  # fmt: skip
    for request in record.requests:
        if not request.ok:
            print(f"  failed: {request.kind} {request.status} {request.detail!r} started "
                  f"{request.started - killed_at:+.2f}s, ended {request.ended - killed_at:+.2f}s "
                  "from the kill")  # fmt: skip


ACCESS_LINE = re.compile(r"(?:GET|POST) (?:/fast)?/(?:api|_allauth)/")


def check_round_robin(stack: Stack) -> None:
    """nginx spread the load: every replica answered API requests (its access log says)."""
    answered = [len(ACCESS_LINE.findall(log.read_text())) for log in stack.logs]
    print(f"  API requests answered by each replica: {answered} (the first one killed)")
    assert all(answered), "a replica behind nginx got no requests"


def check_failures(record: Record, killed_at: float) -> None:
    """Only requests in flight on the killed process may fail; nginx serves on after it."""
    failed = [r for r in record.requests if not r.ok]
    assert len(failed) <= CLIENTS, "more failures than requests in flight at the kill"
    for request in failed:
        assert request.kind in {"create", "report", "signin", "list"}, request
        assert request.started < killed_at + SETTLE < request.ended + SETTLE, (
            f"a request not in flight at the kill failed: {request}"
        )
    later = [r for r in record.requests if r.started > killed_at + SETTLE]
    assert len(later) > 20, "nginx did not keep serving"
    assert all(r.ok for r in later), "a request after the kill failed"
    assert {r.kind for r in later} >= {"create", "list"}


def check_writes_stored(flavor: Flavor, stack: Stack, record: Record, failed_creates: int) -> None:
    """Every acknowledged post, by id, through every surviving replica directly; and
    nothing stored twice (a POST replayed by the proxy would be)."""
    survivors = stack.alive()

    def read(job: tuple[Side, int]) -> tuple[Side, int, int]:
        side, post_id = job
        return side, post_id, side.get(f"posts/{post_id}").status

    jobs = [(side, post_id) for side in survivors for post_id in record.posts]
    with ThreadPoolExecutor(4) as pool:
        missing = [(side.base, post_id, status) for side, post_id, status in pool.map(read, jobs)
                   if status != 200]  # fmt: skip
    assert not missing, f"acknowledged posts not readable: {missing[:10]} ({len(missing)})"
    titles = stored_titles(survivors[0])
    load = [title for title in titles if title.startswith("replica load ")]
    assert len(load) == len(set(load)), "a post was stored twice: a POST was replayed"
    assert set(record.posts.values()) <= set(load)
    extra = len(load) - len(record.posts)  # stored, though the client got no 201
    assert 0 <= extra <= failed_creates, (extra, failed_creates)
    print(f"   posts: {len(record.posts)} acknowledged, {len(load)} stored, each acknowledged "
          f"one read through {len(survivors)} surviving replicas ({len(jobs)} reads)")  # fmt: skip


def stored_titles(side: Side) -> list[str]:
    """Every post's title, page by page (anonymous: all the load's posts are published)."""
    titles: list[str] = []
    while True:
        if side.django:
            query = f"page_size=100&page={len(titles) // 100 + 1}"
            page = json.loads(http_get(f"{side.base}/api/posts/?{query}", side.headers).body)
            items, total = page["results"], page["count"]
        else:
            query = f"limit=100&offset={len(titles)}"
            page = json.loads(http_get(f"{side.base}/api/posts?{query}").body)
            items, total = page["data"], page["count"]
        titles += [item["title"] for item in items]
        if not items or len(titles) >= total:
            return titles


def check_tasks(
    flavor: Flavor, front: Side, record: Record, held: set[str], killed_at: float, survivor: Path
) -> None:
    """Every accepted task reaches SUCCESS; those the killed worker held come back."""
    slash = "/" if flavor.django else ""
    pending = dict(record.tasks)
    assert held <= set(pending), "the killed worker held a task the load did not start"
    redelivered: dict[str, float] = {}
    deadline = killed_at + TASKS_BOUND
    while pending:
        for task_id, headers in list(pending.items()):
            status = json.loads(http_get(f"{front.base}/api/tasks/{task_id}{slash}",
                                         headers={**front.headers, **headers}).body)  # fmt: skip
            assert status["status"] in {"PENDING", "STARTED", "SUCCESS"}, status
            if status["status"] == "SUCCESS":
                del pending[task_id]
                if task_id in held:
                    redelivered[task_id] = time.monotonic() - killed_at
        assert time.monotonic() < deadline, (
            f"{len(pending)} of {len(record.tasks)} accepted tasks never completed: "
            f"{sorted(pending)[:5]} (the killed worker held {held})"
        )
        time.sleep(0.5)
    assert set(redelivered) == held
    assert held <= task_events(survivor)["received"], "not redelivered to the other worker"
    print(f"   tasks: {len(record.tasks)} accepted, all completed; {len(held)} held by the "
          f"killed worker, redelivered and completed "
          f"{', '.join(f'{seconds:.1f}' for seconds in redelivered.values())} s after the kill "
          f"(CELERY_VISIBILITY_TIMEOUT={VISIBILITY_TIMEOUT})")  # fmt: skip


def check_token_everywhere(flavor: Flavor, stack: Stack, record: Record) -> _Account:
    """Sign in through one replica directly; its token works on the two others (and on the
    Hybrid's FastAPI processes). Django's proof: the author's draft, which only a request
    signed in as its author sees, is in the list every replica gives that token."""
    replicas = [side for side in stack.alive() if side not in stack.others]
    first, *rest = replicas[1:] + replicas[:1]  # a survivor first, the replacement last
    email, password = sign_up(flavor, first.base, record)
    headers = sign_in(flavor, first.base, email, password, record)
    assert headers, "signing in through a replica failed"
    account = _Account(headers)
    if flavor.django:
        draft = {**new_post("a draft only its author sees"), "published": False}
        created = first.send("POST", "posts", draft, account)
        assert created.status == 201, created.body
        draft_id = json.loads(created.body)["id"]
        for side in [first, *rest, *stack.others]:  # the Hybrid's service takes it too
            listed = side.get("posts", account)
            assert listed.status == 200, (side.base, listed.body)
            page = json.loads(listed.body)
            assert draft_id in [post["id"] for post in page.get("results", page.get("data"))]
    else:
        for side in [first, *rest]:
            me = side.get("users/me", account)
            assert me.status == 200, (side.base, me.body)
            assert json.loads(me.body)["email"] == email
    print(f"   token: issued by {first.base}, accepted by {len(rest) + len(stack.others)} others")
    return account


def check_cache_coherent(stack: Stack, account: _Account) -> None:
    """A write through one replica is in the anonymous (cached) list every other replica
    gives right after; each had the list cached beforehand."""
    survivors = stack.alive()
    for side in survivors:  # warm every replica's view of the first page
        assert side.get("posts").status == 200
    for author in survivors:
        title = f"coherent {uuid.uuid4().hex[:8]}"
        created = author.send("POST", "posts", new_post(title), account)
        assert created.status == 201, created.body
        for reader in survivors:
            if reader is author:
                continue
            page = json.loads(reader.get("posts").body)
            titles = [post["title"] for post in page.get("results", page.get("data", []))]
            assert title in titles, f"written through {author.base}, not read at {reader.base}"
    print(
        f"   cache: a write through each of {len(survivors)} replicas was in every other's "
        "cached list at once"
    )


def check_proxy_answers_json(stack: Stack, record: Record) -> None:
    """The Hybrid's nginx (the project's own) answers its 502s with the apps' JSON error body:
    those of the requests in flight at the kill, and, once every FastAPI process is gone,
    a request for the service."""
    for request in record.requests:
        if request.status == 502:
            assert json.loads(request.detail)["detail"], request
    for process in stack.other_apps:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    down = http_get(f"{stack.proxy[1].base}/health")
    assert down.status == 502, down.body
    assert json_detail(down), down.body


def kill_mid_run(
    stack: Stack, record: Record, clients: list[Future[None]], started: float
) -> tuple[set[str], float]:
    """KILL_AFTER seconds into the load, SIGKILL one worker while it holds a task, then one
    app process (whole process groups); the tasks the worker held, and when the app died."""
    time.sleep(KILL_AFTER)
    # The clients are past signing up once a report was started (a slow machine takes
    # longer); a report started now and then lets the worker be caught holding one.
    deadline = time.monotonic() + 30
    while not record.tasks:
        failed = [future for future in clients if future.done()]
        if failed:
            failed[0].result()  # a client's own failure, not a timeout here
        assert time.monotonic() < deadline, "no report started"
        time.sleep(0.1)
    with record.lock:
        account = _Account(next(iter(record.tasks.values())))
    worker, log = stack.workers[0]
    front = stack.proxy[0]

    def finished(task_id: str) -> bool:
        slash = "/" if front.django else ""
        with record.lock:
            headers = record.tasks.get(task_id, {})
        answer = http_get(f"{front.base}/api/tasks/{task_id}{slash}",
                          headers={**front.headers, **headers})  # fmt: skip
        return answer.status == 200 and json.loads(answer.body)["status"] == "SUCCESS"

    held = kill_worker_mid_task(worker, log, lambda: start_report(front, account, record), finished)
    killed_at = time.monotonic()
    os.killpg(stack.apps[0].pid, signal.SIGKILL)
    stack.apps[0].wait()
    print(f"   killed: worker {worker.pid} and app process {stack.apps[0].pid}, "
          f"{killed_at - started:.1f} s into the load")  # fmt: skip
    return held, killed_at


def own_redis_database() -> str:
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    return f"{REDIS_URL}/{15 - worker % 8}"


# --- the test ---------------------------------------------------------------------------


@pytest.mark.parametrize("framework", ["django", "fastapi", "hybrid"])
def test_replicas_are_interchangeable(tmp_path: Path, framework: str) -> None:
    if not (POSTGRES_URL and REDIS_URL):
        pytest.skip("needs SCAFFOLD_TEST_POSTGRES_URL and SCAFFOLD_TEST_REDIS_URL (.ci/run)")
    began = time.monotonic()
    slug = f"replicas_{hashlib.sha1(framework.encode()).hexdigest()[:8]}"
    answers = {"project_name": slug, "framework": framework, "use_celery": True,
               "use_redis": True, "include_example": True, "use_docker": True}  # fmt: skip
    project = scaffold_new(tmp_path, answers, name=framework)
    flavor = Flavor(framework, slug)
    run(["uv", "sync", "--locked", "--quiet"], project)
    env = {
        **production_env(create_postgres_database(slug)),
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "AUTH_RATE_LIMIT": "100000/minute",  # every client signs in from 127.0.0.1
        "WEB_CONCURRENCY": "1",
        "PYTHONUNBUFFERED": "1",
    }
    # A Redis database of its own (the other smoke tests use the low numbers, one per
    # pytest-xdist worker), emptied: the queue and the cache start with nothing in them.
    env["REDIS_URL"] = own_redis_database()
    run(["uv", "run", "python", "-c", "import os, redis; "
         "redis.Redis.from_url(os.environ['REDIS_URL']).flushdb()"], project, env)  # fmt: skip
    if framework == "fastapi":
        run(["uv", "run", "alembic", "upgrade", "head"], project, env)
    else:
        run(["uv", "run", "python", "manage.py", "migrate", "--noinput"], project, env)
    ready = time.monotonic()
    with system(project, flavor, env) as stack:
        record = Record()
        started = time.monotonic()
        stop = threading.Event()
        with ThreadPoolExecutor(CLIENTS) as pool:
            clients = [pool.submit(client, flavor, stack.proxy, record, stop, number)
                       for number in range(CLIENTS)]  # fmt: skip
            try:
                held, killed_at = kill_mid_run(stack, record, clients, started)
                # The load goes on after the kill, however long catching the worker took.
                time.sleep(max(started + LOAD_SECONDS, killed_at + AFTER_THE_KILL)
                           - time.monotonic())  # fmt: skip
            finally:
                stop.set()  # (a failure here must not leave the clients running forever)
            for future in clients:
                future.result()
        report_figures(framework, record, killed_at)
        check_round_robin(stack)
        check_failures(record, killed_at)
        failed_creates = sum(not r.ok for r in record.requests if r.kind == "create")
        check_writes_stored(flavor, stack, record, failed_creates)
        # The killed replica's replacement starts while the tasks are awaited; the token and
        # the cache are then checked across three replicas again.
        replacement = stack.replace(0)
        check_tasks(flavor, stack.proxy[0], record, held, killed_at, stack.workers[1][1])
        wait_healthy([stack.replicas[0].base], [replacement])
        account = check_token_everywhere(flavor, stack, record)
        check_cache_coherent(stack, account)
        if framework == "hybrid":
            check_proxy_answers_json(stack, record)
    print(
        f"   time: {ready - began:.0f} s to render, install and migrate; "
        f"{time.monotonic() - ready:.0f} s serving and checking"
    )
