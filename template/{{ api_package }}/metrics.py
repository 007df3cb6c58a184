"""`GET /metrics`: the Prometheus metrics, for a scraper that sends the METRICS_TOKEN.

prometheus-fastapi-instrumentator counts requests and times them by route (the path
template, such as `/api/posts/{post_id}`, never the raw path), method and status. The
endpoint is off (404) until METRICS_TOKEN is set, and then answers only
`Authorization: Bearer <METRICS_TOKEN>`; any other request gets the same 404. It is not in
the OpenAPI schema.

`uvicorn --workers N` runs N processes, each counting its own requests: they write their
counts to files in one directory (PROMETHEUS_MULTIPROC_DIR, or a fresh one per server
start, named after uvicorn's supervising process), and /metrics adds up every worker's
counts, whichever worker answers the scrape. A single process keeps them in memory.
"""

import glob
import hmac
import multiprocessing
import os
import shutil
import tempfile

from fastapi import FastAPI, HTTPException, Request, Response, status
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    GCCollector,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
    multiprocess,
    values,
)
from prometheus_fastapi_instrumentator import Instrumentator

MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"


def share_counts_between_workers(package: str) -> None:
    """In a worker of `uvicorn --workers N`, count in files all the workers share."""
    parent = multiprocessing.parent_process()
    if MULTIPROC_DIR not in os.environ and parent is not None and parent.pid is not None:
        prefix = os.path.join(tempfile.gettempdir(), f"{package}-metrics-")
        for stale in glob.glob(f"{prefix}*"):  # what servers that have stopped left behind
            if not _running(stale.removeprefix(prefix)):
                shutil.rmtree(stale, ignore_errors=True)
        os.makedirs(f"{prefix}{parent.pid}", exist_ok=True)
        os.environ[MULTIPROC_DIR] = f"{prefix}{parent.pid}"
    # prometheus_client picks where counts live when it is first imported: pick again.
    values.ValueClass = values.get_value_class()  # type: ignore[no-untyped-call]


def _running(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:  # another user's
        return True
    return True


def instrument(app: FastAPI, token: str) -> None:
    """Count the app's requests (add this middleware inside the request id and the probe)."""
    share_counts_between_workers(__package__ or "app")
    registry = CollectorRegistry()
    if MULTIPROC_DIR not in os.environ:  # one process: its own usual metrics too
        ProcessCollector(registry=registry)
        PlatformCollector(registry=registry)
        GCCollector(registry=registry)
    Instrumentator(should_group_status_codes=False, registry=registry).instrument(app)

    @app.get("/metrics", include_in_schema=False)
    def metrics(request: Request) -> Response:
        scheme, _, sent = request.headers.get("Authorization", "").partition(" ")
        valid = scheme.lower() == "bearer" and hmac.compare_digest(sent.encode(), token.encode())
        if not (token and valid):
            raise HTTPException(status.HTTP_404_NOT_FOUND, "Not Found")
        if MULTIPROC_DIR in os.environ:
            registry_now = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry_now)  # type: ignore[no-untyped-call]
        else:
            registry_now = registry
        return Response(generate_latest(registry_now), media_type=CONTENT_TYPE_LATEST)
