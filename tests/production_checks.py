"""What a generated app must withstand once it runs as in production (the smoke matrix's probes).

Each check talks HTTP to a running production server (gunicorn or uvicorn, or the Hybrid's
nginx in front of both): a Redis outage, request bodies nobody should send, and anonymous
readers who must never see an author's e-mail address.
"""

from __future__ import annotations

import base64
import contextlib
import http.server
import json
import os
import re
import socket
import threading
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tests.helpers import (
    HTTPS,
    Account,
    Response,
    http_get,
    http_post,
    http_request,
    mailed_token,
    new_secret,
)

# Nothing listens on port 1: a Redis that is configured but down.
DEAD_REDIS = "redis://127.0.0.1:1/0"
OVERSIZED = 10 * 1024 * 1024  # well past every default body limit
CONTENT_LIMIT = 20_000  # characters; both frameworks cap a post's content there
TASK_START_BOUND = 5.0  # seconds; "within a second or two", with room for a noisy machine


@dataclass(frozen=True)
class Side:
    """One server's URL style: Django's trailing slashes and TLS header, or FastAPI's."""

    base: str
    django: bool
    headers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, base: str, django: bool) -> Side:
        return cls(base, django, HTTPS if django else {})

    def url(self, path: str) -> str:
        return f"{self.base}/api/{path}{'/' if self.django else ''}"

    def get(self, path: str, account: Account | None = None) -> Response:
        return http_get(self.url(path), headers=self.merge(account))

    def send(
        self, method: str, path: str, body: Any, account: Account | None = None, **kwargs: Any
    ) -> Response:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": "application/json", **self.merge(account)}
        return http_request(method, self.url(path), data, headers, **kwargs)

    def merge(self, account: Account | None) -> dict[str, str]:
        return {**self.headers, **(account.headers if account else {})}


def json_detail(response: Response) -> str:
    """The `detail` of a JSON error body; fails when the body is not JSON."""
    content_type = {name.lower(): value for name, value in response.headers.items()}.get(
        "content-type", ""
    )
    assert content_type.startswith("application/json"), (
        response.status,
        response.headers,
        response.body[:300],
    )
    detail = json.loads(response.body)["detail"]
    assert isinstance(detail, str), detail
    return detail


def new_post(title: str = "smoke") -> dict[str, Any]:
    return {"title": title, "content": "body", "category": "tech", "published": True}


def check_redis_outage(side: Side, account: Account, *, example: bool, celery: bool) -> None:
    """Redis configured but down: /ready says so, reads and writes still work, tasks 503."""
    ready = http_get(f"{side.base}/ready", headers=side.headers)
    assert ready.status == 503, ready.body
    assert json.loads(ready.body)["checks"]["redis"] == "down", ready.body
    if not example:
        return
    assert side.get("posts").status == 200  # the cache is an optimisation: the database answers
    created = side.send("POST", "posts", new_post("written while Redis is down"), account)
    assert created.status == 201, created.body
    post_id = json.loads(created.body)["id"]
    listed = json.loads(side.get("posts").body)
    titles = [post["title"] for post in listed.get("results", listed.get("data", []))]
    assert "written while Redis is down" in titles
    changed = side.send("PATCH", f"posts/{post_id}", {"title": "changed"}, account)
    assert changed.status == 200, changed.body
    if celery:
        started = time.monotonic()
        report = side.send("POST", "posts/report", {}, account, timeout=30)
        elapsed = time.monotonic() - started
        assert report.status == 503, report.body
        json_detail(report)
        assert elapsed < TASK_START_BOUND, f"starting a task without a broker took {elapsed:.1f}s"
    deleted = side.send("DELETE", f"posts/{post_id}", b"", account)
    assert deleted.status == 204, deleted.body


def check_body_limits(side: Side, account: Account) -> None:
    """A 10 MB body is refused with a JSON 413; an over-long field is a validation error."""
    huge = json.dumps({**new_post(), "content": "x" * OVERSIZED}).encode()
    refused = side.send("POST", "posts", huge, account, timeout=60)
    assert refused.status == 413, (refused.status, refused.body[:300])
    json_detail(refused)
    # Anonymous: refused before anything is stored, as JSON (401 or 413 both say "no").
    anonymous = side.send("POST", "posts", huge, timeout=60)
    assert anonymous.status in {401, 413}, (anonymous.status, anonymous.body[:300])
    json_detail(anonymous)
    long_content = {**new_post(), "content": "x" * (CONTENT_LIMIT + 1)}
    invalid = side.send("POST", "posts", long_content, account)
    assert invalid.status == (400 if side.django else 422), (invalid.status, invalid.body[:300])


def check_anonymous_reads(
    side: Side, schema: Mapping[str, Any], account: Account, pages: Sequence[str] = ()
) -> None:
    """Every GET the schema documents, read anonymously, carries none of an author's data.

    A post by `account` exists first, so lists and details have an author to leak. `pages`:
    HTML pages to read too (`{id}` is the post's).
    """
    created = side.send("POST", "posts", new_post("by a person with an e-mail"), account)
    assert created.status == 201, created.body
    post_id = json.loads(created.body)["id"]
    documented = [
        path
        for path, operations in schema["paths"].items()
        if "get" in operations and not path.endswith(("/schema/", "/openapi.json"))
    ]
    read = 0
    for path in [*documented, *pages]:
        url = side.base + _fill(path, post_id)
        response = http_get(url, headers=side.headers)
        assert response.status < 500, (url, response.status)
        assert account.email not in response.body, f"{url} shows the author's e-mail"
        assert '"email"' not in response.body, f"{url} has an e-mail field"
        read += 1
    assert read >= 2, schema["paths"].keys()  # at least the list and the detail
    assert side.send("DELETE", f"posts/{post_id}", b"", account).status == 204


def _fill(path: str, post_id: int) -> str:
    """A schema path with its parameters filled: the post's id, or a task id nobody has."""
    filled = []
    for part in path.split("/"):
        if part.startswith("{"):
            part = str(post_id) if "task" not in part else "00000000-0000-0000-0000-000000000000"
        filled.append(part)
    return "/".join(filled)


def check_proxy_body_limit(base: str, paths: list[str], tries: int = 5) -> None:
    """Behind nginx: oversized anonymous bodies get a JSON 413 from the proxy, never a 502."""
    huge = json.dumps({**new_post(), "content": "x" * OVERSIZED}).encode()
    for path in paths:
        for _ in range(tries):
            headers = {"Content-Type": "application/json", **HTTPS}
            response = http_request("POST", f"{base}{path}", huge, headers, timeout=60)
            assert response.status == 413, (path, response.status, response.body[:300])
            json_detail(response)


# The fake model's answer, token by token, and the pause before each token (seconds).
MODEL_TOKENS = ("Messages", " wait", " in", " line")
MODEL_DELAY = 0.4


class _FakeModel(http.server.BaseHTTPRequestHandler):
    """An OpenAI-compatible chat completions endpoint streaming MODEL_TOKENS, slowly."""

    protocol_version = "HTTP/1.0"  # the body ends when the connection closes: no framing

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        assert body["stream"] is True, body
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for token in MODEL_TOKENS:
            time.sleep(MODEL_DELAY)
            chunk = {"choices": [{"index": 0, "delta": {"content": token}}]}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()
        last = {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
        self.wfile.write(f"data: {json.dumps(last)}\n\ndata: [DONE]\n\n".encode())

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a smoke run's output is the app's, not the fake's."""


@contextlib.contextmanager
def fake_model_server() -> Iterator[str]:
    """A fake model server on a free local port; yields the MODEL_URL to start the app with."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FakeModel)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def check_model_stream(base: str, account: Account) -> None:
    """POST /api/generate/stream on a server started with MODEL_URL=fake_model_server():
    the tokens arrive as server-sent events one by one (not buffered by a proxy or the
    server), then `event: done`; anonymous callers get a JSON 401, an empty prompt 422."""
    url = f"{base}/api/generate/stream"
    headers = {"Content-Type": "application/json", **account.headers}
    prompt = json.dumps({"prompt": "Write a haiku about queues"}).encode()
    request = urllib.request.Request(url, data=prompt, headers=headers, method="POST")
    events: list[tuple[float, str]] = []
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/event-stream")
        for raw in response:
            line = raw.decode().rstrip("\r\n")
            if line:
                events.append((time.monotonic(), line))
    lines = [line for _, line in events]
    data = [json.loads(line.removeprefix("data: ")) for line in lines if line.startswith("data: ")]
    texts = [piece["text"] for piece in data[:-1]]
    assert texts == list(MODEL_TOKENS), lines
    assert lines[-2:] == ["event: done", 'data: {"finish_reason":"stop"}'], lines
    # Relayed as they came: the first token well before the last, not all at once at the end.
    assert events[-1][0] - events[0][0] > MODEL_DELAY * (len(MODEL_TOKENS) - 2), events
    anonymous = http_request("POST", url, prompt, {"Content-Type": "application/json"})
    assert anonymous.status == 401, anonymous
    json_detail(anonymous)
    empty = http_request("POST", url, b'{"prompt": ""}', headers)
    assert empty.status == 422, empty


def check_fastapi_accounts(base: str) -> None:
    """The FastAPI variant's accounts, as a user goes through them, against the running
    production server; its mail lands in tests.mail_sink's folder: sign-up -> the mailed link
    -> verified -> sign-in -> refresh (rotated) -> password reset by mail -> sign-in with the
    new password (the old one refused, the reset link used up)."""
    email = f"acc{uuid.uuid4().hex[:12]}@example.com"
    password, new_password = new_secret(), new_secret()
    signup = http_post(f"{base}/api/auth/signup", {"email": email, "password": password})
    assert signup.status == 201, signup.body
    form = {"username": email, "password": password}
    unverified = http_post(f"{base}/api/auth/login", form, form=True)
    assert unverified.status == 403, unverified.body
    assert "Verify" in json_detail(unverified)
    # The link as mailed, opened on this server (its path and query: SITE_URL is the default).
    verify = f"{base}/api/auth/verify?{urllib.parse.urlencode({'token': mailed_token(email)})}"
    assert http_get(verify).status == 200
    assert http_get(verify).status == 400, "a used verification link must be refused"
    signed_in = http_post(f"{base}/api/auth/login", form, form=True)
    assert signed_in.status == 200, signed_in.body
    tokens = json.loads(signed_in.body)
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    me = http_get(f"{base}/api/users/me", bearer)
    assert me.status == 200, me.body
    assert json.loads(me.body)["is_verified"] is True
    old_refresh = {"refresh_token": tokens["refresh_token"]}
    refreshed = http_post(f"{base}/api/auth/refresh", old_refresh)
    assert refreshed.status == 200, refreshed.body
    assert http_post(f"{base}/api/auth/refresh", old_refresh).status == 401  # rotated away
    forgot = http_post(f"{base}/api/auth/password/forgot", {"email": email})
    assert forgot.status == 202, forgot.body
    reset_token = mailed_token(email, after=1)
    check = f"{base}/api/auth/password/reset?{urllib.parse.urlencode({'token': reset_token})}"
    assert http_get(check).status == 200
    reset = {"token": reset_token, "password": new_password}
    assert http_post(f"{base}/api/auth/password/reset", reset).status == 204
    assert http_post(f"{base}/api/auth/password/reset", reset).status == 400  # used up
    assert http_post(f"{base}/api/auth/login", form, form=True).status == 401
    form["password"] = new_password
    assert http_post(f"{base}/api/auth/login", form, form=True).status == 200
    # The reset ended the sessions signed in with the old password.
    assert http_get(f"{base}/api/users/me", bearer).status == 401


def check_django_accounts(
    base: str, *, headers: Mapping[str, str] = HTTPS, token_urls: Sequence[str] = ()
) -> None:
    """Django's accounts through allauth's headless API, as an app uses them, against the
    running production server (or the Hybrid's nginx): sign-up -> the mailed link (on this
    host) -> verified -> sign-in; the access token works on the API (`/api/schema/` and
    `token_urls`, e.g. the Hybrid's service); password reset by mail -> the new password
    signs in, the old one and the old token are refused, the reset link is used up."""
    from tests.mail_sink import links_in, mail_sink, messages_to, wait_for_mail  # imports us

    auth = f"{base}/_allauth/app/v1/auth"
    email = f"acc{uuid.uuid4().hex[:12]}@example.com"
    password, new_password = new_secret(), new_secret()

    def post(path: str, body: dict[str, str], session: str = "") -> Response:
        sent = {**headers, "Content-Type": "application/json"}
        if session:
            sent["X-Session-Token"] = session
        return http_request("POST", f"{auth}/{path}", json.dumps(body).encode(), sent)

    def key_mailed(after: int) -> str:
        """The key in the link of the next message, beyond the `after` already there."""
        [link] = links_in(wait_for_mail(mail_sink().folder, email, after=after))
        # Absolute, on the host the client called (behind a proxy too), over HTTPS.
        assert link.startswith("https://" + urllib.parse.urlsplit(base).netloc + "/"), link
        return urllib.parse.unquote(link.rstrip("/").rsplit("/", 1)[-1])

    def token_works(token: str) -> bool:
        urls = [f"{base}/api/schema/", *token_urls]
        statuses = {http_get(url, {**headers, "Authorization": f"Token {token}"}).status
                    for url in urls}  # fmt: skip
        assert statuses in ({200}, {401}), statuses  # every side agrees
        return statuses == {200}

    signup = post("signup", {"email": email, "password": password})
    assert signup.status == 401, signup.body  # signed up, verification pending
    session = json.loads(signup.body)["meta"]["session_token"]
    assert post("login", {"email": email, "password": password}).status == 401  # unverified
    verify_key = key_mailed(0)  # (the refused sign-in mailed the link again)
    assert post("email/verify", {"key": verify_key}, session).status == 200
    assert post("email/verify", {"key": verify_key}).status == 400  # used up
    signed_in = post("login", {"email": email, "password": password})
    assert signed_in.status == 200, signed_in.body
    token = json.loads(signed_in.body)["meta"]["access_token"]
    assert token_works(token)
    mailed = len(messages_to(mail_sink().folder, email))
    assert post("password/request", {"email": email}).status == 200
    reset = {"key": key_mailed(mailed), "password": new_password}
    done = post("password/reset", reset)
    assert done.status in {200, 401}, done.body  # 401: reset, not signed in
    assert post("password/reset", reset).status == 400  # used up
    assert post("login", {"email": email, "password": password}).status == 400
    assert post("login", {"email": email, "password": new_password}).status == 200
    assert not token_works(token), "the token from before the reset must be dead"


def _websocket(base: str, path: str, origin: str) -> tuple[socket.socket, int]:
    """Open a WebSocket (RFC 6455's handshake, stdlib only): the socket and the HTTP status."""
    url = urllib.parse.urlsplit(base)
    sock = socket.create_connection((url.hostname, url.port), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    request = (f"GET {path} HTTP/1.1\r\nHost: {url.netloc}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
               f"Sec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n")  # fmt: skip
    sock.sendall(request.encode())
    head = b""
    while not head.endswith(b"\r\n\r\n"):
        byte = sock.recv(1)  # one at a time: the first frame may follow the headers
        assert byte, f"the server closed during the handshake: {head!r}"
        head += byte
    return sock, int(head.split(b" ", 2)[1])


def _receive_exactly(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        assert chunk, "the server closed the WebSocket"
        data += chunk
    return data


def _receive_text(sock: socket.socket) -> str:
    """The next text message (server frames are unmasked; pings and pongs are skipped)."""
    while True:
        first, second = _receive_exactly(sock, 2)
        opcode, size = first & 0x0F, second & 0x7F
        if size >= 126:
            size = int.from_bytes(_receive_exactly(sock, 2 if size == 126 else 8), "big")
        payload = _receive_exactly(sock, size)
        if opcode == 0x1:
            return payload.decode()
        assert opcode in {0x9, 0xA}, f"unexpected WebSocket frame (opcode {opcode}): {payload!r}"


def check_django_feed(side: Side, account: Account) -> None:
    """Django's live feed (Channels, ws/posts/): a post created over HTTP arrives as the API
    answered it, without an e-mail address; a draft does not; another site's page is refused.

    `side.base` is the Django server (or the Hybrid's proxy, which routes /ws/ to Django).
    """
    sock, status = _websocket(side.base, "/ws/posts/", origin=side.base)
    assert status == 101, status
    with sock:
        draft = side.send("POST", "posts", {**new_post("draft"), "published": False}, account)
        created = side.send("POST", "posts", new_post("live"), account)
        assert (draft.status, created.status) == (201, 201), (draft.body, created.body)
        message = _receive_text(sock)  # the published post's, not the draft's
        assert json.loads(message) == json.loads(created.body), message
        assert '"email"' not in message, message
        assert account.email not in message, message
    for post in (draft, created):
        deleted = side.send("DELETE", f"posts/{json.loads(post.body)['id']}", b"", account)
        assert deleted.status == 204, deleted.body
    foreign, status = _websocket(side.base, "/ws/posts/", origin="https://elsewhere.example")
    foreign.close()
    assert status == 403, status


# /metrics: production_env() sets this token; each framework's request counter, and the labels
# that name a route and a status in it.
METRICS_TOKEN = "smoke-metrics-token"
REQUEST_COUNTER = {
    True: ("django_http_responses_total_by_status_view_method_total", "view"),
    False: ("http_requests_total", "handler"),
}
SAMPLE = re.compile(r"^(?P<name>[A-Za-z_:][\w:]*)(?:\{(?P<labels>.*)\})? (?P<value>\S+)$")
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def metric_samples(text: str) -> list[tuple[str, dict[str, str], float]]:
    """The samples of a Prometheus text exposition: (name, labels, value)."""
    samples = []
    for line in text.splitlines():
        if line and not line.startswith("#"):
            match = SAMPLE.match(line)
            assert match, f"not a Prometheus sample line: {line!r}"
            labels = dict(LABEL.findall(match["labels"] or ""))
            samples.append((match["name"], labels, float(match["value"])))
    return samples


def header(response: Response, name: str) -> str | None:
    return {key.lower(): value for key, value in response.headers.items()}.get(name.lower())


def check_request_ids(base: str) -> None:
    """X-Request-ID: a sane one is echoed, an odd one replaced by a fresh uuid4 (hex)."""
    for path in ("/health", "/ready"):
        echoed = http_get(f"{base}{path}", {"X-Request-ID": "smoke-1.a_b"})
        assert header(echoed, "X-Request-ID") == "smoke-1.a_b", path
    generated = {header(http_get(f"{base}/ready", {"X-Request-ID": "<odd id>"}), "X-Request-ID")
                 for _ in range(2)}  # fmt: skip
    assert all(value and re.fullmatch(r"[0-9a-f]{32}", value) for value in generated), generated
    assert len(generated) == 2


def check_metrics(base: str, *, django: bool, workers: int) -> None:
    """/metrics: 404 without the token; with it, requests counted by route and status, and the
    totals of all the server's workers, whichever worker answers the scrape."""
    assert http_get(f"{base}/metrics").status == 404
    assert http_get(f"{base}/metrics", {"Authorization": "Bearer wrong"}).status == 404
    name, route_label = REQUEST_COUNTER[django]
    route = "ready" if django else "/ready"

    def ready_count() -> float:
        scraped = http_get(f"{base}/metrics", {"Authorization": f"Bearer {METRICS_TOKEN}"})
        assert scraped.status == 200, scraped.body[:300]
        assert (header(scraped, "Content-Type") or "").startswith("text/plain")
        return sum(
            value
            for sample, labels, value in metric_samples(scraped.body)
            if sample == name
            and labels.get(route_label) == route
            and labels.get("status") == "200"
            and labels.get("method") == "GET"
        )

    before = ready_count()
    sent = 4 * workers + 1  # each on a new connection: spread over the workers
    for _ in range(sent):
        assert http_get(f"{base}/ready").status == 200
    # Several scrapes, answered by different workers: each sees every worker's requests. A
    # worker counts a request once its response is sent, so a scrape that another worker
    # answers right after may miss the last one for a moment: the counts must converge to the
    # total, never pass it.
    deadline = time.monotonic() + 5
    while True:
        seen = {ready_count() for _ in range(2 * workers)}
        assert max(seen) <= before + sent, f"sent {sent} after {before}, scrapes saw {seen}"
        if seen == {before + sent} or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert seen == {before + sent}, f"sent {sent} after {before}, scrapes saw {sorted(seen)}"


def check_metrics_not_public(base: str) -> None:
    """The Hybrid's nginx routes neither side's /metrics, token or not."""
    token = {"Authorization": f"Bearer {METRICS_TOKEN}"}
    for path in ("/metrics", "/metrics/", "/fast/metrics", "/fast/metrics/", "/fast//metrics"):
        assert http_get(f"{base}{path}", {**HTTPS, **token}).status == 404, path


class _SentryRecorder(http.server.BaseHTTPRequestHandler):
    """Stands in for Sentry: keeps the event payloads of every envelope POSTed to it."""

    server: _SentryServer

    def do_POST(self) -> None:
        import gzip
        from itertools import pairwise

        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        lines = body.split(b"\n")
        for item, payload in pairwise(lines):
            with contextlib.suppress(ValueError):
                if json.loads(item).get("type") == "event":
                    self.server.events.append(json.loads(payload))
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


class _SentryServer(http.server.ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SentryRecorder)
        self.events: list[dict[str, Any]] = []
        self.dsn = f"http://public@127.0.0.1:{self.server_address[1]}/1"


def check_error_tracking(
    cwd: str | os.PathLike[str], env: Mapping[str, str], *, service: str, fastapi: bool
) -> None:
    """use_sentry: a process started with the production settings and SENTRY_DSN pointing at a
    local recorder reports an unhandled error once, tagged with its service and environment.
    (Django: a management command; FastAPI: the app factory, then the error.) `service` is
    the package that reports: the Django project's, or the FastAPI one's."""
    import subprocess

    from tests.helpers import UV_ENV

    error = "raise RuntimeError('smoke: error tracking')"
    if fastapi:
        start = f"from {service}.main import create_app; create_app()"
        command = ["python", "-c", f"{start}; {error}"]
    else:
        command = ["python", "manage.py", "shell", "-c", error]
    recorder = _SentryServer()
    threading.Thread(target=recorder.serve_forever, daemon=True).start()
    try:
        full_env = {**os.environ, **UV_ENV, **env, "SENTRY_DSN": recorder.dsn}
        full_env.pop("VIRTUAL_ENV", None)
        result = subprocess.run(
            ["uv", "run", *command], cwd=cwd, env=full_env, capture_output=True, text=True,
            timeout=120, check=False,
        )  # fmt: skip
        assert "smoke: error tracking" in result.stderr, result.stdout + result.stderr
    finally:
        recorder.shutdown()
        recorder.server_close()
    assert len(recorder.events) == 1, recorder.events  # the SDK flushes at exit
    [event] = recorder.events
    assert [e["type"] for e in event["exception"]["values"]] == ["RuntimeError"]
    assert event["environment"] == "production"
    assert event["tags"]["service"] == service


# Seconds a new post may take to reach a WebSocket held by another server process.
FEED_BOUND = 5.0


def check_feed_across_processes(listen: Side, path: str, write: Side, account: Account) -> None:
    """The live feed crosses processes: a post written through `write` reaches a WebSocket
    held by `listen`, another server process (separately started, its own port, on the same
    Redis and database), within FEED_BOUND seconds, as the writing side answered it.

    `path` is the feed's WebSocket path on `listen` (FastAPI's /api/posts/ws, Django's
    /ws/posts/); in the Hybrid `write` may be the FastAPI service and `listen` Django.
    """
    sock, status = _websocket(listen.base, path, origin=listen.base)
    assert status == 101, status
    with sock:
        sock.settimeout(FEED_BOUND)
        created = write.send("POST", "posts", new_post("across processes"), account)
        assert created.status == 201, created.body
        started = time.monotonic()
        try:
            message = _receive_text(sock)
        except TimeoutError:
            raise AssertionError(
                f"a post written through {write.base} never reached {listen.base}{path}"
            ) from None
        assert time.monotonic() - started < FEED_BOUND
    assert json.loads(message) == json.loads(created.body), message
    deleted = write.send("DELETE", f"posts/{json.loads(created.body)['id']}", b"", account)
    assert deleted.status == 204, deleted.body
