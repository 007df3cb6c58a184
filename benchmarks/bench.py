"""scaffold's benchmarks: render time, new-to-green time, and the generated apps' throughput.

Run `benchmarks/run` (it starts PostgreSQL and Redis on loopback first, as CI does). Each
section prints a Markdown table; benchmarks/RESULTS.md records a run.

Throughput is measured as ratios to a bare baseline of the same server stack in the same run
(a one-route Starlette app under uvicorn, a one-view Django app under gunicorn, same worker
count), so the figures survive a noisy machine.
"""

from __future__ import annotations

import argparse
import contextlib
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
    POSTGRES_URL,
    create_postgres_database,
    fastapi_factory,
    free_port,
    gunicorn,
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


@contextlib.contextmanager
def peak_rss(process_group_of: str) -> Iterator[list[float]]:
    """Sample the RSS of every process whose command line names this project, in MB."""
    peak = [0.0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            output = subprocess.run(["ps", "-eo", "rss=,args="], capture_output=True, text=True)
            total = sum(
                int(line.split(None, 1)[0])
                for line in output.stdout.splitlines()
                if process_group_of in line and "wrk" not in line
            )
            peak[0] = max(peak[0], total / 1024)
            stop.wait(0.5)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        stop.set()
        thread.join()


def load(url: str, seconds: int, marker: str, https: bool = False) -> Load:
    """wrk -t2 -c64 for `seconds` on 127.0.0.1, with latency percentiles."""
    headers = ["-H", "X-Forwarded-Proto: https"] if https else []
    with peak_rss(marker) as peak:
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


def throughput(seconds: int, sustained: int) -> str:
    rows: list[list[str]] = []
    baselines: dict[str, float] = {}
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

        # Baselines: the same servers and worker counts, with the least possible app.
        django_project = projects["django"][0]
        fastapi_project = projects["fastapi"][0]
        shutil.copy(ROOT / "benchmarks/baselines/django_app.py", django_project / "bare_django.py")
        shutil.copy(
            ROOT / "benchmarks/baselines/starlette_app.py", fastapi_project / "bare_starlette.py"
        )
        port = free_port()
        bare = gunicorn(port, WORKERS, app="bare_django:application")
        with serving(bare, django_project, port, {}) as base:
            result = load(f"{base}/health", seconds, str(django_project))
        baselines["gunicorn"] = result.requests_per_second
        rows.append(row("bare Django view (gunicorn)", "/health", result, 1.0))
        port = free_port()
        bare = uvicorn("bare_starlette:app", port, WORKERS, "--no-access-log")
        with serving(bare, fastapi_project, port, {}) as base:
            result = load(f"{base}/health", seconds, str(fastapi_project))
        baselines["uvicorn"] = result.requests_per_second
        rows.append(row("bare Starlette app (uvicorn)", "/health", result, 1.0))

        for framework in FRAMEWORKS:
            project, slug, env = projects[framework]
            if framework != "fastapi":
                port = free_port()
                with serving(gunicorn(port, WORKERS), project, port, env) as base:
                    for path, duration in (("/health", seconds), ("/api/posts/", seconds),
                                           ("/api/posts/", sustained)):  # fmt: skip
                        if not duration:
                            continue
                        result = load(f"{base}{path}", duration, str(project), https=True)
                        rows.append(
                            row(
                                f"{framework}: Django ({duration} s)",
                                path,
                                result,
                                result.requests_per_second / baselines["gunicorn"],
                            )
                        )
            if framework != "django":
                package = slug if framework == "fastapi" else f"{slug}_api"
                port = free_port()
                with serving(
                    # As compose.yaml and the README run it in production.
                    uvicorn(
                        fastapi_factory(package), port, WORKERS, "--factory", "--no-access-log"
                    ),
                    project,
                    port,
                    env,
                ) as base:
                    for path, duration in (("/health", seconds), ("/api/posts", seconds),
                                           ("/api/posts", sustained)):  # fmt: skip
                        if not duration:
                            continue
                        result = load(f"{base}{path}", duration, str(project))
                        rows.append(
                            row(
                                f"{framework}: FastAPI ({duration} s)",
                                path,
                                result,
                                result.requests_per_second / baselines["uvicorn"],
                            )
                        )
    return table(
        ["App", "Endpoint", "Requests/s", "p50", "p99", "Errors", "Peak RSS", "Ratio to bare"],
        rows,
    )


def row(app: str, path: str, result: Load, ratio: float) -> list[str]:
    print(f"  measured {app} {path}: {result.requests_per_second:,.0f} req/s", flush=True)
    return [
        app,
        f"`{path}`",
        f"{result.requests_per_second:,.0f}",
        f"{result.p50_ms:.1f} ms",
        f"{result.p99_ms:.1f} ms",
        str(result.errors),
        f"{result.peak_rss_mb:.0f} MB",
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
    args = parser.parse_args()
    global SCAFFOLD
    with tempfile.TemporaryDirectory() as tmp:
        SCAFFOLD = install_wheel(Path(tmp))
        print("## Render (the wheel, installed)\n\n" + render_times(args.runs) + "\n", flush=True)
    print("## New to green (warm uv cache)\n\n" + new_to_green() + "\n", flush=True)
    if args.skip_throughput:
        return
    if not POSTGRES_URL or not shutil.which("wrk"):
        sys.exit("throughput needs PostgreSQL and wrk: run benchmarks/run")
    print(
        f"## Throughput (wrk -t2 -c64 -d{args.duration}s, {WORKERS} workers, PostgreSQL, "
        "20 posts by 20 authors)\n\n" + throughput(args.duration, args.sustained),
        flush=True,
    )


if __name__ == "__main__":
    main()
