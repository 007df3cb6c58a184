"""scaffold's benchmarks: render time, new-to-green time, and the generated apps' throughput.

Run `benchmarks/run` (it starts PostgreSQL and Redis on loopback first, as CI does). Each
section prints a Markdown table; benchmarks/RESULTS.md records a run.

Throughput is measured as ratios to baselines served in the same run by the same servers
with the same worker count (benchmarks/baselines/), so the figures survive a noisy machine:
- each `/health` against the bare framework: a one-view Django app under gunicorn, a
  one-route FastAPI app under uvicorn;
- each posts list against the same page (20 published posts with their authors, and the
  total) read through the driver alone: psycopg in a Django view, asyncpg in a Starlette
  route, the SQL the apps send, JSON by orjson. That is the limit an ORM example can approach.
Beside them: the idle PSS of each server's two workers, and the peak RSS under load."""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.helpers import (  # noqa: E402 - after the path is set
    HTTPS,
    POSTGRES_URL,
    create_postgres_database,
    fastapi_factory,
    free_port,
    gunicorn,
    http_get,
    production_env,
    run,
    scaffold_new,
    serving,
    uvicorn,
)

FRAMEWORKS = ("django", "fastapi", "hybrid")
# Set by main(): the `scaffold` of a wheel installed in a fresh environment, as users get it.
SCAFFOLD = ""
WORKERS = 2
PRODUCTION_UVICORN = ("--factory", "--no-access-log")
# What the baselines add to the generated projects' environments (`uv run --with`).
ORJSON = "orjson>=3.10"
ASYNCPG = "asyncpg>=0.30"
SEED_DJANGO = """
from {slug}.posts.services import post_create
from {slug}.users.models import User
for number in range(20):
    author = User.objects.create_user(username=f"author{{number}}", password="x-pass-12345")
    post_create(author=author, title=f"Post {{number}}", content="Lorem ipsum. " * 20,
                category="tech", published=True)
"""


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def timed(args: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(args, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def render_times(runs: int) -> str:
    rows = []
    for framework in FRAMEWORKS:
        with tempfile.TemporaryDirectory() as tmp:
            times = [
                timed([SCAFFOLD, "new", f"p{n}", "--defaults", "--framework", framework], Path(tmp))
                for n in range(runs)
            ]
        rows.append(
            [
                f"`scaffold new --defaults --framework {framework}`",
                f"{statistics.median(times):.2f} s",
                "< 1.0 s",
            ]
        )
    helps = [timed([SCAFFOLD, "--help"], ROOT) for _ in range(runs * 2)]
    rows.append(["`scaffold --help`", f"{statistics.median(helps):.2f} s", "< 0.3 s"])
    return table(["Command (median)", "Time", "Target"], rows)


def new_to_green() -> str:
    rows = []
    for framework in FRAMEWORKS:
        with tempfile.TemporaryDirectory() as tmp:
            warm = scaffold_new(Path(tmp), {"framework": framework}, name="warm")
            run(["uv", "sync", "--quiet"], warm)  # fills uv's cache: the timed run is "warm"
            started = time.perf_counter()
            project = scaffold_new(Path(tmp), {"framework": framework}, name="timed")
            run(["uv", "sync", "--quiet"], project)
            tests = run(["uv", "run", "pytest", "-q", "-p", "no:cacheprovider"], project)
            elapsed = time.perf_counter() - started
        count = re.search(r"(\d+) passed", tests.stdout)
        rows.append([framework, f"{elapsed:.1f} s", count.group(1) if count else "?", "< 15 s"])
    return table(["Framework", "Render + install + tests", "Tests", "Target"], rows)


@dataclass
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    peak_rss_mb: float


def _ms(text: str) -> float:
    """wrk's durations: 812.00us, 3.21ms, 1.02s, 1.50m."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        return float("nan")
    value, unit = match.groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def _percentile(out: str, label: str) -> float:
    found = re.search(rf"^\s*{label}\s+(\S+)", out, re.M)
    return _ms(found.group(1)) if found else float("nan")


def server_processes(project: Path) -> dict[int, tuple[int, str]]:
    """The processes running in `project` (the server's master and workers, found by their
    working directory, whichever Python runs them): pid -> (parent pid, command line)."""
    found: dict[int, tuple[int, str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if Path(os.readlink(entry / "cwd")) != project:
                continue
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            if command.startswith(("uv ", "wrk ")) or "/uv " in command:
                continue
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            found[int(entry.name)] = (parent, command)
    return found


def _kb(pid: int, field: str, source: str) -> int:
    with contextlib.suppress(OSError):
        text = Path(f"/proc/{pid}/{source}").read_text()
        found = re.search(rf"^{field}:\s+(\d+) kB", text, re.M)
        return int(found.group(1)) if found else 0
    return 0


@contextlib.contextmanager
def peak_rss(project: Path) -> Iterator[list[float]]:
    """Sample the summed RSS of the server's processes every 0.5 s; the peak, in MB."""
    peak = [0.0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            total = sum(_kb(pid, "VmRSS", "status") for pid in server_processes(project))
            peak[0] = max(peak[0], total / 1024)
            stop.wait(0.5)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        stop.set()
        thread.join()


def load(url: str, seconds: int, project: Path, https: bool = False) -> Load:
    """wrk -t2 -c64 for `seconds` on 127.0.0.1, with latency percentiles."""
    headers = ["-H", "X-Forwarded-Proto: https"] if https else []
    with peak_rss(project) as peak:
        result = subprocess.run(
            ["wrk", "-t2", "-c64", f"-d{seconds}s", "--latency", *headers, url],
            capture_output=True,
            text=True,
            check=True,
        )
    out = result.stdout
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return Load(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        p50_ms=_percentile(out, "50%"),
        p99_ms=_percentile(out, "99%"),
        errors=errors + (int(non_2xx.group(1)) if non_2xx else 0),
        peak_rss_mb=peak[0],
    )


def seed(project: Path, framework: str, slug: str, env: dict[str, str]) -> None:
    if framework == "fastapi":
        run(["uv", "run", "alembic", "upgrade", "head"], project, env)
        run(
            ["uv", "run", "python", str(ROOT / "benchmarks" / "seed_fastapi.py"), slug],
            project,
            {**env, "PYTHONPATH": str(project)},
        )
    else:
        run(["uv", "run", "python", "manage.py", "migrate", "-v0"], project, env)
        run(
            ["uv", "run", "python", "manage.py", "shell", "-c", SEED_DJANGO.format(slug=slug)],
            project,
            env,
        )


def idle_pss_mb(project: Path) -> float:
    """The PSS of the server's workers (the processes its master started), summed, in MB.

    PSS counts a page shared by n processes as 1/n in each, so the sum is what the workers
    really cost, unlike RSS, which counts shared pages once per process.
    """
    processes = server_processes(project)
    workers = [
        pid
        for pid, (parent, command) in processes.items()
        if parent in processes and "resource_tracker" not in command
    ]
    return sum(_kb(pid, "Pss", "smaps_rollup") for pid in workers) / 1024


@dataclass
class Server:
    """A server to load: what it is, how it starts, and the endpoints to measure."""

    label: str
    key: str  # a baseline's name, which the apps' endpoints refer to ("" for an app)
    args: list[str]
    project: Path
    env: dict[str, str]
    # (path, seconds, "<baseline key> <path>" its ratio is to); None: it is a baseline.
    endpoints: list[tuple[str, int, str | None]]
    https: bool = False


def with_packages(args: list[str], *packages: str) -> list[str]:
    """`uv run ...` with packages the project does not depend on (the baselines' driver)."""
    assert args[:2] == ["uv", "run"]
    extra = [item for package in packages for item in ("--with", package)]
    return [*args[:2], *extra, *args[2:]]


def throughput(seconds: int, sustained: int, frameworks: tuple[str, ...]) -> str:
    rows: list[list[str]] = []
    measured: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        projects = {}
        for framework in FRAMEWORKS:
            slug = f"bench_{framework}"
            project = scaffold_new(
                Path(tmp),
                {"framework": framework, "project_name": slug, "use_docker": False, "ci": "none"},
                name=slug,
            )
            run(["uv", "sync", "--quiet"], project)
            env = production_env(create_postgres_database(slug))
            seed(project, framework, slug, env)
            projects[framework] = (project, slug, env)

        # The baselines, with the same servers and worker counts: the least app the framework
        # allows (/health), and the example's page through the driver alone (the posts list).
        django_project, _, django_env = projects["django"]
        fastapi_project, _, fastapi_env = projects["fastapi"]
        shutil.copy(ROOT / "benchmarks/baselines/django_app.py", django_project / "bare_django.py")
        shutil.copy(
            ROOT / "benchmarks/baselines/starlette_app.py", fastapi_project / "bare_starlette.py"
        )
        shutil.copy(
            ROOT / "benchmarks/baselines/fastapi_app.py", fastapi_project / "bare_fastapi.py"
        )
        port = free_port()
        servers = [
            Server(
                "baseline: Django view + psycopg (gunicorn)",
                "django",
                with_packages(gunicorn(port, WORKERS, app="bare_django:application"), ORJSON),
                django_project,
                {"DATABASE_URL": django_env["DATABASE_URL"]},
                [("/health", seconds, None), ("/api/posts/", seconds, None)],
            ),
            Server(
                "baseline: Starlette + asyncpg (uvicorn)",
                "starlette",
                with_packages(
                    uvicorn("bare_starlette:app", port, WORKERS, "--no-access-log"),
                    ORJSON,
                    ASYNCPG,
                ),
                fastapi_project,
                {"DATABASE_URL": fastapi_env["DATABASE_URL"]},
                [("/health", seconds, None), ("/api/posts", seconds, None)],
            ),
            Server(
                "baseline: FastAPI route (uvicorn)",
                "fastapi",
                uvicorn("bare_fastapi:app", port, WORKERS, "--no-access-log"),
                fastapi_project,
                {},
                [("/health", seconds, None)],
            ),
        ]
        for framework in frameworks:
            project, slug, env = projects[framework]
            if framework != "fastapi":
                servers.append(
                    Server(
                        f"{framework}: Django",
                        "",
                        gunicorn(port, WORKERS),
                        project,
                        env,
                        [
                            ("/health", seconds, "django /health"),
                            ("/api/posts/", seconds, "django /api/posts/"),
                            ("/api/posts/", sustained, "django /api/posts/"),
                        ],
                        https=True,  # production settings redirect plain HTTP
                    )
                )
            if framework != "django":
                package = slug if framework == "fastapi" else f"{slug}_api"
                servers.append(
                    Server(
                        f"{framework}: FastAPI",
                        "",
                        # As compose.yaml and the README run it in production.
                        uvicorn(fastapi_factory(package), port, WORKERS, *PRODUCTION_UVICORN),
                        project,
                        env,
                        [
                            ("/health", seconds, "fastapi /health"),
                            ("/api/posts", seconds, "starlette /api/posts"),
                            ("/api/posts", sustained, "starlette /api/posts"),
                        ],
                    )
                )
        for server in servers:
            with serving(server.args, server.project, port, server.env) as base:
                for path, _, _ in server.endpoints:  # warm: every module imported, pools open
                    for _ in range(20):
                        http_get(f"{base}{path}", headers=HTTPS if server.https else {})
                time.sleep(0.5)
                pss: float | None = idle_pss_mb(server.project)
                for path, duration, baseline in server.endpoints:
                    if not duration:
                        continue
                    result = load(f"{base}{path}", duration, server.project, server.https)
                    if baseline is None:
                        measured[f"{server.key} {path}"] = result.requests_per_second
                        ratio = 1.0
                    else:
                        ratio = result.requests_per_second / measured[baseline]
                    rows.append(row(f"{server.label} ({duration} s)", path, result, ratio, pss))
                    pss = None  # once per server
    return table(
        ["App", "Endpoint", "Requests/s", "p50", "p99", "Errors", "Peak RSS",
         "Idle PSS (2 workers)", "Ratio to baseline"],
        rows,
    )  # fmt: skip


def row(app: str, path: str, result: Load, ratio: float, pss: float | None) -> list[str]:
    print(f"  measured {app} {path}: {result.requests_per_second:,.0f} req/s", flush=True)
    return [
        app,
        f"`{path}`",
        f"{result.requests_per_second:,.0f}",
        f"{result.p50_ms:.1f} ms",
        f"{result.p99_ms:.1f} ms",
        str(result.errors),
        f"{result.peak_rss_mb:.0f} MB",
        f"{pss:.0f} MB" if pss is not None else "",
        f"{ratio:.3f}",
    ]


def install_wheel(into: Path) -> str:
    """Build the wheel and install it alone in a new environment; return its `scaffold`."""
    run(["uv", "build", "--wheel", "--quiet", "--out-dir", str(into / "dist"), str(ROOT)], into)
    run(["uv", "venv", "--quiet", str(into / "venv")], into)
    wheel = next((into / "dist").glob("*.whl"))
    run(
        [
            "uv",
            "pip",
            "install",
            "--quiet",
            "--python",
            str(into / "venv/bin/python"),
            "--compile-bytecode",
            str(wheel),
        ],
        into,
    )
    return str(into / "venv/bin/scaffold")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="renders per framework (median)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per endpoint")
    parser.add_argument(
        "--sustained", type=int, default=60, help="seconds of sustained load on each posts list"
    )
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-render", action="store_true", help="throughput only")
    parser.add_argument(
        "--frameworks", default=",".join(FRAMEWORKS), help="the variants to load (comma-separated)"
    )
    args = parser.parse_args()
    frameworks = tuple(name for name in args.frameworks.split(",") if name)
    if unknown := set(frameworks) - set(FRAMEWORKS):
        sys.exit(f"bench.py: unknown framework(s): {', '.join(sorted(unknown))}")
    global SCAFFOLD
    if not args.skip_render:
        with tempfile.TemporaryDirectory() as tmp:
            SCAFFOLD = install_wheel(Path(tmp))
            print(
                "## Render (the wheel, installed)\n\n" + render_times(args.runs) + "\n", flush=True
            )
            print("## New to green (warm uv cache)\n\n" + new_to_green() + "\n", flush=True)
    if args.skip_throughput:
        return
    if not POSTGRES_URL or not shutil.which("wrk"):
        sys.exit("throughput needs PostgreSQL and wrk: run benchmarks/run")
    print(
        f"## Throughput (wrk -t2 -c64 -d{args.duration}s, {WORKERS} workers, PostgreSQL, "
        "20 posts by 20 authors; ratios: /health to the bare framework, lists to the driver "
        "alone)\n\n" + throughput(args.duration, args.sustained, frameworks),
        flush=True,
    )


if __name__ == "__main__":
    main()
