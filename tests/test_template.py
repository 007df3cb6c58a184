"""Every variant renders cleanly: no leftover Jinja, lint-clean, valid files, no trust needed."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from scaffold_cli import questionnaire
from tests.conftest import REPO_ROOT, SUPPORTED_COMBINATIONS, variant_id
from tests.helpers import NGINX_WRAPPER

# The Pythons the generated CI tests: requires-python = ">=3.11" up to the Docker image's 3.13.
SUPPORTED_PYTHONS = ["3.11", "3.12", "3.13"]
VARIANTS = [pytest.param(answers, id=variant_id(answers)) for answers in SUPPORTED_COMBINATIONS]
# GitHub Actions expressions (${{ ... }}) are meant to stay.
JINJA_LEFTOVER = re.compile(r"(?<!\$){{|{%|{#")
# Computed values steer the rendering but are never stored in a project's answers.
SECRET_LITERALS = (
    # a string literal given to a secret in code: SECRET_KEY = "...", secret_key="..."
    re.compile(r"(?i)secret_key\s*(?::\s*str\s*)?=\s*([\"'])(?P<value>.*?)\1"),
    # a value in an env file: SECRET_KEY=...
    re.compile(r"(?im)^SECRET_KEY=(?P<value>\S*)$"),
)
# The computed values: every `when: false` entry of copier.yml (the flags, the decision, ...).
COMPUTED = {question.key for question in questionnaire.load().questions if question.computed}


def rendered_files(project: Path) -> list[Path]:
    return [p for p in project.rglob("*") if p.is_file() and ".venv" not in p.parts]


@pytest.fixture(params=VARIANTS)
def project(request, copie) -> Path:
    result = copie.copy(extra_answers={"project_name": "Demo", **request.param})
    assert result.exit_code == 0, result.exception
    return result.project_dir


def is_django_template(relative: Path) -> bool:
    """Django's own templates use {% %} on purpose; Copier copies them untouched."""
    return "templates" in relative.parts and relative.suffix == ".html"


def test_no_leftover_jinja(project: Path) -> None:
    for path in rendered_files(project):
        relative = path.relative_to(project)
        assert not JINJA_LEFTOVER.search(str(relative)), relative
        assert path.suffix != ".jinja", relative
        if not is_django_template(relative):
            assert not JINJA_LEFTOVER.search(path.read_text()), relative


def test_no_trailing_whitespace(project: Path) -> None:
    """The project's own pre-commit hooks would refuse the first commit otherwise."""
    for path in rendered_files(project):
        text = path.read_text()
        bad = [n for n, line in enumerate(text.splitlines(), 1) if line != line.rstrip()]
        assert not bad, f"{path.relative_to(project)}: trailing whitespace on lines {bad}"
        assert not text or text.endswith("\n"), f"{path.relative_to(project)}: no final newline"
        assert not text.endswith("\n\n"), f"{path.relative_to(project)}: blank lines at the end"


def test_lint_and_format_clean(project: Path) -> None:
    for args in (["check", "--no-cache", "."], ["format", "--check", "--no-cache", "."]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *args],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


LONGEST_SLUG = "a" * 50  # the validator's maximum


@pytest.mark.parametrize("framework", ["django", "fastapi", "hybrid"])
def test_lint_clean_with_the_longest_slug(copie, framework: str) -> None:
    """Lines holding the slug or the user's text stay lint- and format-clean at any length."""
    answers = {"project_name": "N" * 80, "project_slug": LONGEST_SLUG, "framework": framework,
               "description": "D" * 200, "renders_html": True}  # fmt: skip
    result = copie.copy(extra_answers=answers)
    assert result.exit_code == 0, result.exception
    test_lint_and_format_clean(result.project_dir)


# Options the smoke matrix does not combine: each framework, with and without the example,
# with no Redis, the cache alone, and Celery, all extras on. Rendering and linting them
# catches imports and names that only one combination leaves unused or undefined.
EXTRAS = {
    "renders_html": True,
    "realtime": True,
    "io_fanout": True,
    "ml_serving": True,
    "use_sentry": True,
}
OPTION_GRID = [
    {"framework": framework, "include_example": example, "use_celery": celery, "use_redis": redis}
    | EXTRAS
    for framework in ("django", "fastapi", "hybrid")
    for example in (True, False)
    for celery, redis in ((False, False), (False, True), (True, True))
]


@pytest.mark.parametrize("answers", [pytest.param(a, id=variant_id(a)) for a in OPTION_GRID])
def test_every_option_combination_renders_lint_clean(copie, answers: dict) -> None:
    result = copie.copy(extra_answers={"project_name": "Grid", **answers})
    assert result.exit_code == 0, result.exception
    test_no_leftover_jinja(result.project_dir)
    test_lint_and_format_clean(result.project_dir)
    test_bandit_finds_nothing_of_medium_or_high_severity(result.project_dir)


def tool(name: str) -> str:
    """A validator installed in this environment (hadolint, actionlint, check-jsonschema)."""
    return str(Path(sys.executable).parent / name)


def check(*args: str, cwd: Path) -> None:
    result = subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{' '.join(args)}:\n{result.stdout}{result.stderr}"


def test_container_files(project: Path) -> None:
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    if not answers["use_docker"]:
        assert not (project / "Dockerfile").exists()
        assert not (project / "compose.yaml").exists()
        return
    check(tool("hadolint"), "--failure-threshold", "style", "Dockerfile", cwd=project)
    check(tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", "compose.yaml",
          cwd=project)  # fmt: skip
    compose = yaml.safe_load((project / "compose.yaml").read_text())
    services = compose["services"]
    assert "db" in services
    assert services["migrate"]["healthcheck"] == {"disable": True}  # a one-shot job
    for name, service in services.items():
        if name != "migrate":
            assert service["healthcheck"]["test"], name
    expected = {
        "db": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }
    if "redis" in services:
        expected["redis"] = {"condition": "service_healthy"}
    for name in ("web", "api", "worker", "beat"):
        if name in services:
            assert services[name]["depends_on"] == expected, name
    text = (project / "compose.yaml").read_text()
    assert "${SECRET_KEY:?" in text
    assert "${POSTGRES_PASSWORD:?" in text
    assert compose["volumes"] == {
        "pgdata": None,
        **({"redisdata": None} if "redis" in services else {}),
        "caddy_data": None,  # the `tls` profile's certificates (test_the_tls_edge)
        "caddy_config": None,
    }
    if answers["use_celery"]:
        assert {"redis", "worker"} <= services.keys()
    dockerfile = (project / "Dockerfile").read_text()
    assert "USER 10001:10001" in dockerfile  # not root
    assert "HEALTHCHECK" in dockerfile
    # The image runs the newest Python the CI tests, and installs exactly what uv.lock pins.
    assert f"python{SUPPORTED_PYTHONS[-1]}-" in dockerfile
    assert f"FROM python:{SUPPORTED_PYTHONS[-1]}-" in dockerfile
    assert dockerfile.count("uv sync --locked") == 2
    # The dependency layer comes before the code, so code changes reuse it.
    assert dockerfile.index("--no-install-project") < dockerfile.index("COPY . /app")


def test_compose_catches_the_mail(project: Path) -> None:
    """Mailpit in compose: the apps send to it unless EMAIL_URL is set; its UI is published on
    localhost only, its SMTP port not at all."""
    if not (project / "compose.yaml").exists():
        return
    compose = yaml.safe_load((project / "compose.yaml").read_text())
    mailpit = compose["services"]["mailpit"]
    assert re.fullmatch(r"axllent/mailpit:v\d+\.\d+(\.\d+)?", mailpit["image"])  # pinned
    assert mailpit["ports"] == ["127.0.0.1:${MAILPIT_UI_PORT:-8025}:8025"]
    assert compose["x-app"]["environment"]["EMAIL_URL"] == "${EMAIL_URL:-smtp://mailpit:1025}"
    assert "MAILPIT_UI_PORT=8025" in (project / ".env.example").read_text()
    assert "http://127.0.0.1:8025" in (project / "README.md").read_text()


def test_the_tls_edge(project: Path) -> None:
    """compose's `tls` profile: Caddy (pinned) in front of the app, or of the Hybrid's nginx,
    with its Caddyfile valid; the apps trust proxy headers from the private ranges only, and
    their own port is published on this machine only unless PUBLISH_ADDRESS says otherwise."""
    caddyfile = project / "deploy" / "caddy" / "Caddyfile"
    if not (project / "compose.yaml").exists():
        assert not caddyfile.exists()
        return
    compose = yaml.safe_load((project / "compose.yaml").read_text())
    services = compose["services"]
    caddy = services["caddy"]
    assert caddy["profiles"] == ["tls"]
    assert re.fullmatch(r"caddy:2\.\d+-alpine", caddy["image"])
    assert caddy["ports"] == ["${HTTP_PORT:-80}:80", "${HTTPS_PORT:-443}:443",
                              "${HTTPS_PORT:-443}:443/udp"]  # fmt: skip
    assert caddy["volumes"] == ["./deploy/caddy/Caddyfile:/etc/caddy/Caddyfile:ro",
                                "caddy_data:/data", "caddy_config:/config"]  # fmt: skip
    front = "proxy" if "proxy" in services else "web"
    assert caddy["environment"]["APP_UPSTREAM"] == {"proxy": "proxy:80", "web": "web:8000"}[front]
    assert caddy["depends_on"] == {front: {"condition": "service_healthy"}}
    published = services[front]["ports"]
    assert len(published) == 1
    assert published[0].startswith("${PUBLISH_ADDRESS:-127.0.0.1}:${PORT:-8000}:")
    environment = compose["x-app"]["environment"]
    assert environment["FORWARDED_ALLOW_IPS"] == (
        "${FORWARDED_ALLOW_IPS:-127.0.0.1,::1,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16}"
    )
    assert environment["ALLOWED_HOSTS"].startswith("${ALLOWED_HOSTS:-${DOMAIN:-localhost},")
    caddy_binary = shutil.which("caddy")
    if caddy_binary is None:
        pytest.skip("caddy is not installed (.ci/services.sh installs it)")
    for domain in ("example.com", "localhost"):  # ACME, and Caddy's own CA
        env = {**os.environ, "DOMAIN": domain, "ACME_EMAIL": "admin@example.com",
               "APP_UPSTREAM": caddy["environment"]["APP_UPSTREAM"],
               "HOME": str(project), "XDG_DATA_HOME": str(project / ".caddy"),
               "XDG_CONFIG_HOME": str(project / ".caddy")}  # fmt: skip
        result = subprocess.run(
            [caddy_binary, "validate", "--adapter", "caddyfile", "--config", str(caddyfile)],
            cwd=project, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-3000:]
    adapted = subprocess.run(
        [caddy_binary, "adapt", "--adapter", "caddyfile", "--config", str(caddyfile)],
        cwd=project, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    handlers = [handler for server in json.loads(adapted.stdout)["apps"]["http"]["servers"].values()
                for route in server["routes"] for sub in route["handle"]
                for inner in sub.get("routes", []) for handler in inner["handle"]]  # fmt: skip
    encoders = [handler for handler in handlers if handler["handler"] == "encode"]
    assert [sorted(encoder["encodings"]) for encoder in encoders] == [["gzip", "zstd"]]
    readme = (project / "README.md").read_text()
    assert "docker compose --profile tls up -d" in readme
    assert "## HTTPS with Caddy" in readme
    assert "put your own proxy" not in readme


def test_the_proxy_limits_bodies_as_the_apps_do(project: Path, tmp_path: Path) -> None:
    """The Hybrid's nginx refuses what the apps would, itself, with their JSON 413 (no 502)."""
    template = project / "deploy" / "nginx" / "default.conf.template"
    if not template.exists():
        return
    text = template.read_text()
    assert "client_max_body_size ${MAX_BODY_SIZE};" in text
    assert "error_page 413 @body_too_large;" in text
    if (project / "compose.yaml").exists():
        services = yaml.safe_load((project / "compose.yaml").read_text())["services"]
        limit = "${MAX_BODY_SIZE:-1048576}"
        assert services["proxy"]["environment"]["MAX_BODY_SIZE"] == limit
        for name in ("web", "api"):
            assert services[name]["environment"]["MAX_BODY_SIZE"] == limit, name
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.skip("nginx is not installed")
    values = {"DJANGO_UPSTREAM": "127.0.0.1:1", "API_UPSTREAM": "127.0.0.1:2",
              "LISTEN_PORT": "127.0.0.1:3", "MAX_BODY_SIZE": "1048576"}  # fmt: skip
    for name, value in values.items():
        text = text.replace("${" + name + "}", value)
    assert not re.search(r"\$\{[A-Z_]+\}", text), "a variable nobody substitutes"
    (tmp_path / "default.conf").write_text(text)
    (tmp_path / "nginx.conf").write_text(NGINX_WRAPPER.format(run=tmp_path))
    check(nginx, "-t", "-q", "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "error.log"),
          cwd=tmp_path)  # fmt: skip


def test_ci_files(project: Path) -> None:
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    ci = answers["ci"]
    # A Redis service (and REDIS_URL) only for a project that uses Redis (Django's realtime:
    # the channel layer).
    django_realtime = answers.get("realtime") and answers["framework"] != "fastapi"
    uses_redis = answers["use_redis"] or answers["use_celery"] or django_realtime
    github = project / ".github" / "workflows" / "ci.yml"
    gitlab = project / ".gitlab-ci.yml"
    assert github.exists() == (ci == "github")
    assert gitlab.exists() == (ci == "gitlab")
    if ci == "github":
        check(tool("actionlint"), str(github), cwd=project)
        check(tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
              str(github), cwd=project)  # fmt: skip
        # zizmor's audits (unpinned actions, persisted credentials, template injection...):
        # no finding at all, whatever its severity.
        check(tool("zizmor"), "--offline", "--no-progress", str(github), cwd=project)
        workflow = yaml.safe_load(github.read_text())
        job = workflow["jobs"]["test"]
        assert job["strategy"]["matrix"]["python-version"] == SUPPORTED_PYTHONS
        setup_uv = next(s for s in job["steps"] if s.get("uses", "").startswith("astral-sh/"))
        assert setup_uv["with"]["python-version"] == "${{ matrix.python-version }}"
        # A local run (tests/test_smoke.py) takes the job's env as is: no expression there.
        assert "${{" not in str(job["env"])
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
        runs = [step["run"] for step in job["steps"] if "run" in step]
        assert "uv sync --locked" in runs
        assert "uv run mypy ." in runs
        assert any("--cov" in run for run in runs)
        assert workflow["permissions"] == {}
        assert ("redis" in job["services"]) == uses_redis
        assert ("REDIS_URL" in job["env"]) == uses_redis
    if ci == "gitlab":
        check(tool("check-jsonschema"), "--builtin-schema", "vendor.gitlab-ci", str(gitlab),
              cwd=project)  # fmt: skip
        job = yaml.safe_load(gitlab.read_text())["test"]
        assert job["parallel"]["matrix"] == [{"PYTHON_VERSION": SUPPORTED_PYTHONS}]
        assert "${PYTHON_VERSION}" in job["image"]
        assert job["script"][0] == "uv sync --locked"
        assert "uv run mypy ." in job["script"]
        assert any("--cov" in line for line in job["script"])
        assert any(s["name"].startswith("redis:") for s in job["services"]) == uses_redis
        assert ("REDIS_URL" in job["variables"]) == uses_redis


def test_dependency_update_files(project: Path) -> None:
    """Dependabot on GitHub, Renovate on GitLab: the uv lock, the images, the CI; weekly,
    grouped, a few pull requests at a time. Valid against SchemaStore's schemas."""
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    dependabot = project / ".github" / "dependabot.yml"
    renovate = project / "renovate.json"
    assert dependabot.exists() == (answers["ci"] == "github")
    assert renovate.exists() == (answers["ci"] == "gitlab")
    if dependabot.exists():
        check(tool("check-jsonschema"), "--builtin-schema", "vendor.dependabot", str(dependabot),
              cwd=project)  # fmt: skip
        updates = yaml.safe_load(dependabot.read_text())["updates"]
        ecosystems = [update["package-ecosystem"] for update in updates]
        docker = ["docker", "docker-compose"] if answers["use_docker"] else []
        assert ecosystems == ["uv", *docker, "github-actions"]
        for update in updates:
            assert update["directory"] == "/"
            assert update["schedule"]["interval"] == "weekly"
            assert 0 < update["open-pull-requests-limit"] <= 5
            assert update["groups"]
    if renovate.exists():
        check(tool("check-jsonschema"), "--builtin-schema", "vendor.renovate", str(renovate),
              cwd=project)  # fmt: skip
        config = json.loads(renovate.read_text())
        docker = ["dockerfile", "docker-compose"] if answers["use_docker"] else []
        assert config["enabledManagers"] == ["pep621", *docker, "gitlabci"]
        assert config["lockFileMaintenance"]["enabled"] is True  # uv.lock's transitive pins
        assert config["prConcurrentLimit"] <= 5
        assert config["schedule"]
        grouped = {m for rule in config["packageRules"] for m in rule["matchManagers"]}
        assert grouped == set(config["enabledManagers"])


def test_config_files_parse(project: Path) -> None:
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["requires-python"] == ">=3.11"
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_src_path"]
    assert not COMPUTED & set(answers)
    yaml.safe_load((project / ".pre-commit-config.yaml").read_text())


DJANGO_SETTING = re.compile(r"""env\.\w+\(\s*["']([A-Z_]+)["']""")
FASTAPI_SETTING = re.compile(r"^    ([a-z_]+): ", re.MULTILINE)


def test_env_example_lists_every_setting(project: Path) -> None:
    """Every variable the settings read is in .env.example, set or commented with its default."""
    names = set()
    for module in (project / "config" / "settings").glob("*.py"):
        names |= set(DJANGO_SETTING.findall(module.read_text()))
    for config in project.glob("*/config.py"):
        fields = config.read_text().split("class Settings(BaseSettings):")[1].split("\n    @")[0]
        names |= {name.upper() for name in FASTAPI_SETTING.findall(fields)} - {"MODEL_CONFIG"}
    assert names
    listed = set(re.findall(r"(?m)^(?:# )?([A-Z_]+)=", (project / ".env.example").read_text()))
    assert not names - listed, f".env.example does not list {sorted(names - listed)}"


def test_manage_py_is_executable(project: Path) -> None:
    """manage.py starts with a shebang, so `./manage.py` must run (Copier keeps the git mode)."""
    manage = project / "manage.py"
    if manage.exists():
        assert manage.read_text().startswith("#!")
        assert os.access(manage, os.X_OK), oct(manage.stat().st_mode)


def test_the_contract_and_outage_checks_ship_with_the_project(project: Path) -> None:
    """`make contract` and the CI run the tests marked `contract` and `outage` (schemathesis
    against the app's own schema; a database outage, then recovery); `make test` leaves them
    out. The smoke matrix runs the CI's commands, this step included, on PostgreSQL."""
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    pytest_options = pyproject["tool"]["pytest"]["ini_options"]
    assert "-m 'not contract and not outage'" in pytest_options["addopts"]
    assert {marker.split(":")[0] for marker in pytest_options["markers"]} == {"contract", "outage"}
    assert any(dep.startswith("schemathesis") for dep in pyproject["dependency-groups"]["dev"])
    assert '\tuv run pytest -m "contract or outage"' in (project / "Makefile").read_text()
    tests = {path.name for path in project.rglob("tests/test_*.py")}
    assert {"test_contract.py", "test_outage.py"} <= tests
    command = 'uv run pytest -m "contract or outage"'
    github = project / ".github" / "workflows" / "ci.yml"
    if github.exists():
        steps = yaml.safe_load(github.read_text())["jobs"]["test"]["steps"]
        assert command in [step.get("run") for step in steps]
    gitlab = project / ".gitlab-ci.yml"
    if gitlab.exists():
        assert command in yaml.safe_load(gitlab.read_text())["test"]["script"]


def test_readme_has_the_two_commands(project: Path) -> None:
    readme = (project / "README.md").read_text()
    assert "make dev" in readme
    assert "make test" in readme
    makefile = (project / "Makefile").read_text()
    assert re.search(r"^dev:", makefile, re.M)
    assert re.search(r"^test:", makefile, re.M)


def test_readme_says_how_to_change_ports_and_the_data_model(project: Path) -> None:
    framework = yaml.safe_load((project / ".copier-answers.yml").read_text())["framework"]
    readme = (project / "README.md").read_text()
    assert "make dev PORT=" in readme
    assert ("API_PORT=" in readme) == (framework == "hybrid")
    section = readme.split("## Change the data model", 1)[1].split("\n## ", 1)[0]
    expected = {
        "django": ["makemigrations", "manage.py migrate"],
        "hybrid": ["makemigrations", "SQLModel", "test_schema_drift.py"],
        "fastapi": ["alembic revision --autogenerate", "upgrade head", "test_migrations.py"],
    }[framework]
    for text in expected:
        assert text in section, text


def test_readme_says_how_replicas_behave(project: Path) -> None:
    """Several replicas: what they share, what stays single, what a death costs (issue 16)."""
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    readme = (project / "README.md").read_text()
    section = readme.split("## Running several replicas", 1)[1].split("\n## ", 1)[0]
    for text in ("PostgreSQL", "SECRET_KEY", "migrations", "502", "does not resend a POST"):
        assert text in section, text
    celery = bool(answers.get("use_celery"))
    for text in ("CELERY_VISIBILITY_TIMEOUT", "idempotent", " beat`"):
        assert (text in section) == celery, text
    redis = bool(answers.get("use_redis") or celery)
    assert ("counts a client's tries across all" in section) == redis


def test_make_dev_prefixes_each_servers_lines_and_keeps_its_status(
    project: Path, tmp_path: Path
) -> None:
    """The Hybrid's two servers share a terminal: each line names its server, and a server
    that fails still fails `make` (not hidden by the prefixing pipe)."""
    if not (project / "manage.py").exists() or "dev-api:" not in (project / "Makefile").read_text():
        pytest.skip("one server")
    fake_uv = tmp_path / "uv"  # stands for `uv run <server>`: two lines, then a failure
    fake_uv.write_text("#!/bin/sh\necho starting\necho oops >&2\nexit 3\n")
    fake_uv.chmod(0o755)
    env = {**os.environ, "PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}"}
    for target, name in (("dev-django", "django"), ("dev-api", "api")):
        result = subprocess.run(["make", "-s", target], cwd=project, env=env,
                                capture_output=True, text=True, check=False)  # fmt: skip
        assert result.returncode != 0, result.stdout
        assert f"[{name}] starting\n[{name}] oops\n" in result.stdout, result.stdout


def test_the_example_help_promises_an_admin_only_with_django() -> None:
    question = next(q for q in questionnaire.load().questions if q.key == "include_example")
    assert "admin" not in question.help or "Django" in question.help


def test_no_secret_in_any_file(project: Path) -> None:
    for path in rendered_files(project):
        text = path.read_text()
        # Literal values given to a secret: only empty or visibly insecure markers are allowed.
        for pattern in SECRET_LITERALS:
            for match in pattern.finditer(text):
                value = match.group("value")
                # Allowed: empty, a visibly insecure marker, or generated on the spot ($(...)).
                allowed = value == "" or "insecure" in value or value.startswith("$(")
                assert allowed, (path.relative_to(project), value)


def test_bandit_finds_nothing_of_medium_or_high_severity(project: Path) -> None:
    """The generated code and its tests, checked by bandit (low findings: asserts in tests)."""
    check(tool("bandit"), "--quiet", "--recursive", "--severity-level", "medium", ".", cwd=project)


def test_decision_record_explains_the_choice(project: Path) -> None:
    record = (project / "docs" / "decisions" / "0001-framework.md").read_text()
    assert "## Recommendation" in record
    assert "## Decision" in record
    assert "| `needs_admin` | no |" in record


def test_plain_copier_copy_needs_no_trust(tmp_path: Path) -> None:
    """`copier copy` of this repository, as a Copier user runs it: no --trust, no tasks."""
    destination = tmp_path / "plain"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "copier",
            "copy",
            "--defaults",
            "--vcs-ref",
            "HEAD",
            "--data",
            "project_name=Plain",
            str(REPO_ROOT),
            str(destination),
        ],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    answers = yaml.safe_load((destination / ".copier-answers.yml").read_text())
    assert answers["framework"] == "django"
    assert (destination / "manage.py").is_file()
