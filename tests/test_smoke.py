"""The variant smoke matrix: render, install, lint, test, serve, probe; as a user would.

Each supported variant is rendered with `scaffold new`, installed with uv in its own
environment, checked with the project's own `make lint` and `make test` (the commands its
README gives), then served by its production server on 127.0.0.1 and probed over HTTP. When
.ci/run has started PostgreSQL, the tests and the servers run against it too.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests import typed_client
from tests.conftest import REPO_ROOT, SUPPORTED_COMBINATIONS, variant_id
from tests.helpers import (
    HTTPS,
    NGINX_WRAPPER,
    POSTGRES_URL,
    REDIS_URL,
    Account,
    Response,
    create_postgres_database,
    fastapi_factory,
    free_port,
    gunicorn,
    http_get,
    http_post,
    new_account,
    new_secret,
    production_env,
    redis_env,
    run,
    running,
    scaffold_new,
    serving,
    sign_in,
    uvicorn,
)
from tests.mail_sink import mail_sink
from tests.production_checks import (
    DEAD_REDIS,
    Side,
    check_anonymous_reads,
    check_body_limits,
    check_django_accounts,
    check_django_feed,
    check_error_tracking,
    check_fastapi_accounts,
    check_feed_across_processes,
    check_metrics,
    check_metrics_not_public,
    check_model_stream,
    check_proxy_body_limit,
    check_redis_outage,
    check_request_ids,
    fake_model_server,
)
from tests.tls_edge import check_tls_edge

pytestmark = pytest.mark.smoke

EXTERNAL_ASSET = re.compile(r"""(?:src|href)=["']?(?:https?:)?//[^"'\s>]+""")


def probe_common(base: str) -> None:
    health = http_get(f"{base}/health")
    assert health.status == 200
    assert json.loads(health.body) == {"status": "ok"}
    ready = http_get(f"{base}/ready")
    assert ready.status == 200, ready.body
    checks = json.loads(ready.body)["checks"]
    assert checks["database"] == "up"
    assert set(checks.values()) == {"up"}, checks


def assert_no_external_assets(html: str) -> None:
    found = EXTERNAL_ASSET.search(html)
    assert not found, f"the page loads something from another host: {found.group(0)}"


def check_home_page(base: str, docs: str, headers: dict[str, str] | None = None) -> None:
    """`/` is a small HTML page (not a 404): it links the API docs and /health, self-hosted."""
    home = http_get(f"{base}/", headers=headers)
    assert home.status == 200, home.body[:300]
    headers_seen = {name.lower(): value for name, value in home.headers.items()}
    assert headers_seen.get("content-type", "").startswith("text/html"), headers_seen
    assert f'href="{docs}"' in home.body
    assert "/health" in home.body
    assert_no_external_assets(home.body)
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', home.body):
        assert http_get(f"{base}{asset}", headers=headers).status == 200, asset


def fuzz(project: Path, schema: str, base: str, headers: dict[str, str], *skip: str) -> None:
    """Schemathesis against the app's own OpenAPI schema, signed in, on PostgreSQL.

    Bounded (a fixed seed, 25 examples per operation): no response may be a 5xx, and every
    response must match what the schema documents.
    """
    schemathesis = str(Path(sys.executable).parent / "schemathesis")
    command = [schemathesis, "run", schema, "--url", base, "--no-color",
               "--checks", "not_a_server_error,response_schema_conformance",
               "--max-examples", "25", "--seed", "1", "--request-timeout", "10",
               "--generation-database", "none"]  # fmt: skip
    command += [f"--header={name}: {value}" for name, value in headers.items()]
    for path in skip:
        command += ["--exclude-path", path]
    run(command, project)


def on_postgres(env: dict[str, str]) -> bool:
    return env["DATABASE_URL"].startswith("postgres")


def check_typed_client(
    project: Path, schema: str, flavor: str, base: str, account: Account
) -> None:
    """A client generated from the served schema signs in, creates, lists, updates, deletes."""
    folder = project / ".typed"
    folder.mkdir(exist_ok=True)
    saved = folder / f"{flavor}.json"
    saved.write_text(schema)
    client = typed_client.generate(saved, folder / f"{flavor.replace('-', '_')}_client")
    # A FastAPI flow signs up a new user itself; the Django flows sign in as `account`.
    username = f"typed{account.username}@example.com" if flavor == "fastapi" else account.username
    token = account.headers["Authorization"].split()[-1]
    # The FastAPI flow verifies its address with the mail in tests.mail_sink's folder.
    run([sys.executable, "-m", "tests.typed_client", str(client), flavor, base, username,
         account.password, token, str(mail_sink().folder)], REPO_ROOT)  # fmt: skip


def needs_redis(answers: dict[str, Any]) -> bool:
    return bool(answers.get("use_redis") or answers.get("use_celery"))


def realtime_across_processes(answers: dict[str, Any], env: dict[str, str]) -> bool:
    """The live feed is checked between two server processes: once per realtime variant
    with the example, on PostgreSQL and Redis (what several replicas share)."""
    return bool(answers.get("realtime") and answers.get("include_example")
                and "REDIS_URL" in env and on_postgres(env))  # fmt: skip


def check_django(project: Path, env: dict[str, str], answers: dict[str, Any]) -> None:
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput", "-v0"]):
        run(["uv", "run", "python", "manage.py", *command], project, env)
    port = free_port()
    # gunicorn.conf.py names the app; only the address and the worker count change here.
    server = gunicorn(port)
    with serving(server, project, port, env) as base:
        probe_common(base)
        if not on_postgres(env):  # once per variant: request ids, metrics across 2 workers
            check_request_ids(base)
            check_metrics(base, django=True, workers=2)
            check_django_accounts(base)  # sign-up -> mail -> verify -> sign-in -> reset
        # Production redirects plain HTTP to HTTPS, except for the probes; behind the TLS
        # proxy (X-Forwarded-Proto: https) it serves.
        assert http_get(f"{base}/admin/login/").status == 301

        def get(path: str, **headers: str) -> Response:
            return http_get(f"{base}{path}", headers={**HTTPS, **headers})

        check_home_page(base, "/api/docs/", HTTPS)
        admin = get("/admin/login/")
        assert admin.status == 200
        assert "Django administration" in admin.body
        stylesheet = re.search(r'href="(/static/admin/css/[^"]+)"', admin.body)
        assert stylesheet
        assert get(stylesheet.group(1)).status == 200  # WhiteNoise, after collectstatic

        schema = get("/api/schema/", Accept="application/json")
        assert schema.status == 200
        paths = json.loads(schema.body)["paths"]
        assert "/api/auth/token/" in paths

        docs = get("/api/docs/")
        assert docs.status == 200
        assert_no_external_assets(docs.body)
        for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', docs.body):
            assert get(asset).status == 200, asset

        if answers.get("include_example"):
            assert "/api/posts/" in paths
            assert json.loads(get("/api/posts/").body)["results"] == []
            if answers.get("renders_html"):
                assert "No posts yet" in get("/posts/").body
            if not on_postgres(env):  # once per variant: none of this depends on the database
                account = new_account(project, "django", base, env)
                side = Side.of(base, django=True)
                check_body_limits(side, account)
                pages = ["/posts/", "/posts/{id}/"] if answers.get("renders_html") else []
                check_anonymous_reads(side, json.loads(schema.body), account, pages)
                check_typed_client(project, schema.body, "django", base, account)
                if answers.get("realtime"):
                    check_django_feed(side, account)
        if answers["framework"] == "django" and (
            answers.get("io_fanout") or answers.get("ml_serving")
        ):
            assert "/api/enrich" in paths

        if on_postgres(env):
            headers = {**sign_in(project, "django", base, env), **HTTPS}
            # /api/enrich answers 502/503 by design while its downstream services are unset.
            fuzz(project, f"{base}/api/schema/?format=json", base, headers, "/api/enrich")
        if realtime_across_processes(answers, env):  # a second server: Channels crosses over
            other_port = free_port()
            with serving(gunicorn(other_port, workers=1), project, other_port, env) as other:
                account = new_account(project, "django", base, env)
                check_feed_across_processes(
                    Side.of(other, django=True), "/ws/posts/", Side.of(base, django=True), account
                )
    if needs_redis(answers) and not on_postgres(env):
        outage = {**env, "REDIS_URL": DEAD_REDIS}
        port = free_port()
        with serving(gunicorn(port), project, port, outage) as base:
            account = new_account(project, "django", base, outage)
            check_redis_outage(
                Side.of(base, django=True),
                account,
                example=bool(answers.get("include_example")),
                celery=bool(answers.get("use_celery")),
            )


def check_fastapi(
    project: Path, package: str, env: dict[str, str], answers: dict[str, Any]
) -> None:
    if answers["framework"] == "fastapi":  # the Hybrid's schema belongs to Django
        run(["uv", "run", "alembic", "upgrade", "head"], project, env)
    port = free_port()
    server = uvicorn(fastapi_factory(package), port, 2, "--factory")
    with contextlib.ExitStack() as stack:
        if answers.get("ml_serving"):  # the stream's downstream: a fake OpenAI-compatible model
            env = {**env, "MODEL_URL": stack.enter_context(fake_model_server())}
        base = stack.enter_context(serving(server, project, port, env))
        probe_common(base)
        if not on_postgres(env):  # once per variant: request ids, metrics across 2 workers
            check_request_ids(base)
            check_metrics(base, django=False, workers=2)
        schema = http_get(f"{base}/openapi.json")
        assert schema.status == 200
        paths = json.loads(schema.body)["paths"]
        assert "/health" in paths
        check_home_page(base, "/docs")
        for page in ("/docs", "/redoc"):
            docs = http_get(f"{base}{page}")
            assert docs.status == 200
            assert_no_external_assets(docs.body)
            for asset in re.findall(r"""(?:src|href)=["'](/[^"']+)["']""", docs.body):
                assert http_get(f"{base}{asset}").status == 200, asset
        if answers["framework"] == "fastapi" and answers.get("include_example"):
            assert json.loads(http_get(f"{base}/api/posts").body)["data"] == []
        if answers.get("io_fanout"):
            assert "/api/enrich" in paths
        if answers.get("include_example") and not on_postgres(env):
            account = new_account(project, answers["framework"], base, env)
            side = Side.of(base, django=False)
            check_body_limits(side, account)
            check_anonymous_reads(side, json.loads(schema.body), account)
            flavor = "fastapi" if answers["framework"] == "fastapi" else "hybrid-api"
            check_typed_client(project, schema.body, flavor, base, account)
            if answers["framework"] == "fastapi":  # the Hybrid's accounts are Django's
                check_fastapi_accounts(base)
            if answers.get("ml_serving"):
                assert "/api/generate/stream" in paths
                check_model_stream(base, account)
        if on_postgres(env):
            headers = sign_in(project, answers["framework"], base, env)
            # /api/enrich answers 502/503 by design while its downstream services are unset; the
            # stream relays a model server (checked above against a fake).
            # /api/auth/logout/all would end the session the fuzzing runs with.
            fuzz(project, f"{base}/openapi.json", base, headers, "/api/enrich",
                 "/api/generate/stream", "/api/auth/logout/all")  # fmt: skip
        if answers["framework"] == "fastapi" and realtime_across_processes(answers, env):
            # A second server process on its own port; the feed crosses over through Redis.
            other_port = free_port()
            server = uvicorn(fastapi_factory(package), other_port, 1, "--factory")
            other = stack.enter_context(serving(server, project, other_port, env))
            account = new_account(project, "fastapi", base, env)
            here, there = Side.of(base, django=False), Side.of(other, django=False)
            check_feed_across_processes(here, "/api/posts/ws", there, account)
            check_feed_across_processes(there, "/api/posts/ws", here, account)
    if needs_redis(answers) and not on_postgres(env):
        outage = {**env, "REDIS_URL": DEAD_REDIS}
        port = free_port()
        with serving(
            uvicorn(fastapi_factory(package), port, 2, "--factory"), project, port, outage
        ) as base:
            account = new_account(project, answers["framework"], base, outage)
            check_redis_outage(
                Side.of(base, django=False),
                account,
                example=bool(answers.get("include_example")),
                celery=bool(answers.get("use_celery")),
            )


def check_hybrid_behind_the_proxy(
    project: Path, package: str, env: dict[str, str], answers: dict[str, Any]
) -> None:
    """Both servers behind the project's own nginx route table, run natively: the live feed's
    WebSocket and the model stream's events pass the proxy too (not buffered, upgraded)."""
    nginx = shutil.which("nginx")
    if nginx is None:
        pytest.skip("nginx is not installed (.ci/run installs it)")
    django_port, api_port, proxy_port = free_port(), free_port(), free_port()
    run_dir = project / ".nginx"
    run_dir.mkdir(exist_ok=True)  # checked once per database
    template = (project / "deploy" / "nginx" / "default.conf.template").read_text()
    for name, value in {"DJANGO_UPSTREAM": f"127.0.0.1:{django_port}",
                        "API_UPSTREAM": f"127.0.0.1:{api_port}",
                        "LISTEN_PORT": f"127.0.0.1:{proxy_port}",
                        "MAX_BODY_SIZE": "1048576"}.items():  # fmt: skip
        template = template.replace("${" + name + "}", value)
    (run_dir / "default.conf").write_text(template)
    (run_dir / "nginx.conf").write_text(NGINX_WRAPPER.format(run=run_dir))
    django = gunicorn(django_port, workers=1)
    api = uvicorn(fastapi_factory(package), api_port, 1, "--factory", "--root-path", "/fast")
    proxy = [nginx, "-c", str(run_dir / "nginx.conf"), "-e", str(run_dir / "error.log")]
    with contextlib.ExitStack() as stack:
        if answers.get("ml_serving"):
            env = {**env, "MODEL_URL": stack.enter_context(fake_model_server())}
        stack.enter_context(serving(django, project, django_port, env))
        stack.enter_context(serving(api, project, api_port, env))
        base = stack.enter_context(serving(proxy, project, proxy_port, env))
        probe_common(base)  # Django's
        probe_common(f"{base}/fast")  # the service's
        check_home_page(base, "/api/docs/", HTTPS)  # `/` is Django's
        # The same posts through either side (the fuzzing before may have written some).
        django_side = json.loads(http_get(f"{base}/api/posts/", headers=HTTPS).body)["count"]
        assert json.loads(http_get(f"{base}/fast/api/posts").body)["count"] == django_side
        check_proxy_body_limit(base, ["/api/posts/", "/fast/api/posts"])
        check_metrics_not_public(base)
        docs = http_get(f"{base}/fast/docs")
        assert "/fast/openapi.json" in docs.body
        for asset in re.findall(r"""(?:src|href)=["'](/[^"']+)["']""", docs.body):
            assert asset.startswith("/fast/"), asset
            assert http_get(f"{base}{asset}").status == 200, asset
        if not on_postgres(env):
            # The mailed links name the proxy's host and port; Django's token opens the service.
            check_django_accounts(base, token_urls=[f"{base}/fast/api/me"])
        if not on_postgres(env) and (answers.get("realtime") or answers.get("ml_serving")):
            account = new_account(project, "hybrid", base, env)
            if answers.get("realtime"):
                check_django_feed(Side.of(base, django=True), account)
            if answers.get("ml_serving"):
                check_model_stream(f"{base}/fast", account)
        if realtime_across_processes(answers, env):
            # A second Django process, on its own port: it hears the posts written through the
            # FastAPI service and through the first Django process (both behind the proxy).
            other_port = free_port()
            other = stack.enter_context(
                serving(gunicorn(other_port, workers=1), project, other_port, env)
            )
            account = new_account(project, "hybrid", base, env)
            listen = Side.of(other, django=True)
            for write in (Side.of(f"{base}/fast", django=False), Side.of(base, django=True)):
                check_feed_across_processes(listen, "/ws/posts/", write, account)


# A default may hold braces that are not a variable (`${ENRICH_SERVICES:-{}}`: an empty JSON
# object) and, in turn, variables (`${A:-${B:-b}}`, substituted innermost first).
COMPOSE_VARIABLE = re.compile(
    r"\$\{(?P<name>\w+)(?:(?P<op>:[-?])(?P<arg>(?:[^${}]|\{[^${}]*\})*))?\}"
)


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error} substitution, nested defaults
    (${A:-${B:-b}}) included, and $$ escapes."""

    def substitute(match: re.Match[str]) -> str:
        current = variables.get(match["name"], "")
        if match["op"] == ":?" and not current:
            pytest.fail(f"compose.yaml requires {match['name']}: {match['arg']}")
        return current or (match["arg"] if match["op"] == ":-" else "")

    while (substituted := COMPOSE_VARIABLE.sub(substitute, value)) != value:  # innermost first
        value = substituted
    return value.replace("$$", "$")


@pytest.mark.parametrize(
    ("value", "variables", "expected"),
    [
        ("${ENRICH_SERVICES:-{}}", {}, "{}"),  # a default with braces: the CI failure
        ("${ENRICH_SERVICES:-{}}", {"ENRICH_SERVICES": '{"a": "b"}'}, '{"a": "b"}'),
        ("${A:-${B:-b}}", {}, "b"),
        ("x${A:-${B:-b}}y", {"B": "q"}, "xqy"),
        ("$$HOME:${PORT:-8000}", {}, "$HOME:8000"),
    ],
)
def test_interpolate_as_compose_does(value: str, variables: dict[str, str], expected: str) -> None:
    assert interpolate(value, variables) == expected


def on_loopback(command: list[str], port: int) -> list[str]:
    """The container's 0.0.0.0:8000 becomes a free port on 127.0.0.1."""
    result = []
    for index, arg in enumerate(command):
        if arg.startswith("0.0.0.0:"):
            arg = f"127.0.0.1:{port}"
        elif arg == "0.0.0.0":
            arg = "127.0.0.1"
        elif index and command[index - 1] == "--port":
            arg = str(port)
        result.append(arg)
    return result


def run_dockerfile_build_step(project: Path) -> None:
    """The Dockerfile's build-time `manage.py` step (collectstatic), run here with only the
    environment the Dockerfile gives it: a `docker build` has no DATABASE_URL or REDIS_URL."""
    dockerfile = (project / "Dockerfile").read_text().replace("\\\n", " ")
    steps = [line.removeprefix("RUN ") for line in dockerfile.splitlines()
             if line.startswith("RUN ") and "manage.py" in line]  # fmt: skip
    assert steps, "no build-time manage.py step in the Dockerfile"
    environment = {
        "PATH": f"{project / '.venv' / 'bin'}:{os.environ['PATH']}",
        "HOME": str(project),
    }
    for step in steps:
        result = subprocess.run(["bash", "-c", step], cwd=project, env=environment,
                                capture_output=True, text=True, timeout=300)  # fmt: skip
        assert result.returncode == 0, f"{step}\n{result.stdout[-2000:]}{result.stderr[-4000:]}"


def check_compose_services_natively(project: Path, framework: str, database_url: str) -> None:
    """Run what compose.yaml's services run (migrate, then the apps), with its environment.

    There is no Docker engine here: the commands run on this machine instead, with the
    compose environment, except that the database is our PostgreSQL instead of `db`.
    """
    compose = yaml.safe_load((project / "compose.yaml").read_text())
    variables = {"POSTGRES_PASSWORD": "app", "SECRET_KEY": new_secret()}
    environment = {
        name: interpolate(str(value), variables)
        for name, value in compose["x-app"]["environment"].items()
    }
    environment["DATABASE_URL"] = database_url
    if "REDIS_URL" in environment:
        environment.update(redis_env())
    if "EMAIL_URL" in environment:  # our SMTP sink stands in for the `mailpit` service
        environment["EMAIL_URL"] = mail_sink().url
    services = compose["services"]
    run(["uv", "run", *services["migrate"]["command"]], project, environment)
    for name in ("web", "api"):
        if name in services:
            port = free_port()
            command = ["uv", "run", *on_loopback(services[name]["command"], port)]
            with serving(command, project, port, environment) as base:
                probe_common(base)
                if name == "web" and "worker" in services and "beat" in services:
                    worker = ["uv", "run", *services["worker"]["command"]]
                    with running(worker, project, environment):
                        report_through_the_worker(project, framework, base, environment)


def report_through_the_worker(
    project: Path, framework: str, base: str, environment: dict[str, str]
) -> None:
    """POST the posts report on the web service; the worker service runs it via Redis."""
    headers = sign_in(project, framework, base, environment)
    slash = "" if framework == "fastapi" else "/"  # each framework's URL style
    started = http_post(f"{base}/api/posts/report{slash}", {}, headers=headers)
    assert started.status == 202, started.body
    task_id = json.loads(started.body)["task_id"]
    deadline = time.monotonic() + 60
    while True:
        status = json.loads(http_get(f"{base}/api/tasks/{task_id}{slash}", headers=headers).body)
        if status["status"] == "SUCCESS":
            assert status["result"]["total"] == 0
            return
        assert status["status"] in {"PENDING", "STARTED"}, status
        assert time.monotonic() < deadline, f"the worker never ran the report: {status}"
        time.sleep(0.5)


def installed_python(version: str) -> str:
    """This machine's interpreter for a `3.x` version (pyenv's, if uv cannot find it alone)."""
    found = sorted(Path.home().glob(f".pyenv/versions/{version}.*/bin/python{version}"))
    if found:
        return str(found[-1])
    return version if shutil.which(f"python{version}") else "3.11"


def run_pipeline_locally(project: Path, ci: str, database_url: str) -> None:
    """The generated CI's own commands and variables, against our PostgreSQL and Redis."""
    if ci == "github":
        job = yaml.safe_load((project / ".github/workflows/ci.yml").read_text())["jobs"]["test"]
        variables, commands = job["env"], [step["run"] for step in job["steps"] if "run" in step]
        pythons = job["strategy"]["matrix"]["python-version"]
    else:
        job = yaml.safe_load((project / ".gitlab-ci.yml").read_text())["test"]
        variables, commands = job["variables"], job["script"]
        pythons = job["parallel"]["matrix"][0]["PYTHON_VERSION"]
    variables = {name: str(value) for name, value in variables.items()}
    variables["DATABASE_URL"] = database_url  # the service host differs, nothing else
    variables.update(redis_env())
    # `make test` ran on 3.11, the oldest Python the matrix claims; the pipeline runs on its
    # newest, where this machine has it.
    variables["UV_PYTHON"] = installed_python(str(pythons[-1]))
    variables.pop("UV_CACHE_DIR", None)  # keep the shared uv cache on this machine
    for command in commands:
        run(["bash", "-euo", "pipefail", "-c", command], project, variables)


def check_make_dev(project: Path, answers: dict[str, Any]) -> None:
    """The README's first command starts the app (development settings, SQLite, no Redis).

    No REDIS_URL: development needs no service, even with the Redis cache and Celery on.
    """
    port, api_port = free_port(), free_port()
    command = ["make", "dev", f"PORT={port}", f"API_PORT={api_port}"]
    with serving(command, project, port, env={}) as base:
        probe_common(base)
        if answers["framework"] == "hybrid":
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                with contextlib.suppress(OSError):
                    if http_get(f"http://127.0.0.1:{api_port}/health", timeout=2).status == 200:
                        break
                time.sleep(0.2)
            probe_common(f"http://127.0.0.1:{api_port}")


@pytest.mark.parametrize(
    "answers", [pytest.param(a, id=variant_id(a)) for a in SUPPORTED_COMBINATIONS]
)
def test_variant(tmp_path: Path, answers: dict[str, Any]) -> None:
    if (answers.get("use_redis") or answers.get("use_celery")) and not REDIS_URL:
        pytest.skip("needs SCAFFOLD_TEST_REDIS_URL (.ci/run starts a Redis)")
    name = variant_id(answers).replace("-", "_")
    # A short, unique package name (variant ids can be longer than a slug may be).
    slug = f"smoke_{hashlib.sha1(name.encode()).hexdigest()[:8]}"
    project = scaffold_new(tmp_path, {"project_name": slug, **answers}, name=name)
    framework = answers["framework"]

    run(["uv", "sync", "--locked", "--quiet"], project)  # `scaffold new` locked it
    run(["make", "lint"], project)
    run(["make", "test"], project)

    databases = [f"sqlite:///{project / 'prod.sqlite3'}"]
    if POSTGRES_URL:
        database = create_postgres_database(slug)
        if answers["ci"] != "none":
            run_pipeline_locally(project, answers["ci"], database)  # lint and tests on PostgreSQL
        else:
            run(["make", "test"], project, {"DATABASE_URL": database})
        databases.append(database)
        if answers["use_docker"]:
            check_compose_services_natively(project, framework, database)
    if answers["use_docker"] and framework != "fastapi":
        run_dockerfile_build_step(project)

    for database in databases:
        env = production_env(database)
        if framework != "fastapi":
            check_django(project, env, answers)
        if framework != "django":
            package = slug if framework == "fastapi" else f"{slug}_api"
            check_fastapi(project, package, env, answers)
        if framework == "hybrid" and answers.get("include_example"):
            check_hybrid_behind_the_proxy(project, package, env, answers)
    # compose's `tls` profile, natively: Caddy in front of the production server(s), once per
    # framework (its Celery row), on the database the checks above migrated.
    if answers.get("use_celery") and (project / "deploy" / "caddy" / "Caddyfile").exists():
        package = slug if framework == "fastapi" else f"{slug}_api"
        check_tls_edge(project, framework, package, production_env(databases[0]))
    if answers.get("use_sentry"):  # the production settings report an unhandled error, once
        env = production_env(databases[0])
        if framework != "fastapi":
            check_error_tracking(project, env, service=slug, fastapi=False)
        if framework != "django":
            api = slug if framework == "fastapi" else f"{slug}_api"
            check_error_tracking(project, env, service=api, fastapi=True)
    check_make_dev(project, answers)
