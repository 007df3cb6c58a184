"""The variant smoke matrix: render, install, lint, test, serve, probe; as a user would.

Each supported variant is rendered with `scaffold new`, installed with uv in its own
environment, checked with the project's own `make lint` and `make test` (the commands its
README gives), then served by its production server on 127.0.0.1 and probed over HTTP. When
.ci/run has started PostgreSQL, the tests and the server run against it too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SUPPORTED_COMBINATIONS, variant_id
from tests.helpers import (
    POSTGRES_URL,
    create_postgres_database,
    free_port,
    http_get,
    new_secret,
    run,
    scaffold_new,
    serving,
)

pytestmark = pytest.mark.smoke


def django_server(project: Path, env: dict[str, str]) -> tuple[list[str], int]:
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput", "-v0"]):
        run(["uv", "run", "python", "manage.py", *command], project, env)
    port = free_port()
    args = [
        "uv",
        "run",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
    ]
    return args, port


def fastapi_server(package: str) -> tuple[list[str], int]:
    port = free_port()
    args = [
        "uv",
        "run",
        "uvicorn",
        f"{package}.main:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "2",
    ]
    return args, port


def probe_common(base: str) -> None:
    health = http_get(f"{base}/health")
    assert health.status == 200
    assert json.loads(health.body) == {"status": "ok"}
    ready = http_get(f"{base}/ready")
    assert ready.status == 200, ready.body
    assert json.loads(ready.body)["checks"] == {"database": "up"}


def check_django(project: Path, env: dict[str, str]) -> None:
    args, port = django_server(project, env)
    with serving(args, project, port, env) as base:
        probe_common(base)
        # Production redirects plain HTTP to HTTPS, except for the probes.
        assert http_get(f"{base}/admin/login/").status == 301
        admin = http_get(f"{base}/admin/login/", headers={"X-Forwarded-Proto": "https"})
        assert admin.status == 200
        assert "Django administration" in admin.body
        assert "/static/admin/css/" in admin.body
        css = admin.body.split('href="/static/admin/css/', 1)[1].split('"', 1)[0]
        assert (
            http_get(
                f"{base}/static/admin/css/{css}", headers={"X-Forwarded-Proto": "https"}
            ).status
            == 200
        )


def check_fastapi(project: Path, package: str, env: dict[str, str]) -> None:
    args, port = fastapi_server(package)
    with serving(args, project, port, env) as base:
        probe_common(base)
        schema = http_get(f"{base}/openapi.json")
        assert schema.status == 200
        assert "/health" in json.loads(schema.body)["paths"]


def production_env(database_url: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "ENVIRONMENT": "production",
        "SECRET_KEY": new_secret(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
    }


@pytest.mark.parametrize(
    "answers", [pytest.param(a, id=variant_id(a)) for a in SUPPORTED_COMBINATIONS]
)
def test_variant(tmp_path: Path, answers: dict[str, Any]) -> None:
    name = variant_id(answers).replace("-", "_")
    project = scaffold_new(tmp_path, {"project_name": f"Smoke {name}", **answers}, name=name)
    framework = answers["framework"]
    slug = f"smoke_{name}"

    run(["uv", "sync", "--quiet"], project)
    run(["make", "lint"], project)
    run(["make", "test"], project)

    databases = [f"sqlite:///{project / 'prod.sqlite3'}"]
    if POSTGRES_URL:
        database = create_postgres_database(f"smoke_{name}")
        run(["make", "test"], project, {"DATABASE_URL": database})
        databases.append(database)

    for database in databases:
        env = production_env(database)
        if framework != "fastapi":
            check_django(project, env)
        if framework != "django":
            package = slug if framework == "fastapi" else f"{slug}_api"
            if framework == "hybrid":
                run(["uv", "run", "python", "manage.py", "migrate", "--noinput"], project, env)
            check_fastapi(project, package, env)
