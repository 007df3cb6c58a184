"""`/metrics`: off without METRICS_TOKEN, only for the token, counts requests by route."""

import multiprocessing
import os
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from httpx2 import ASGITransport, AsyncClient
from prometheus_client import values
from prometheus_client.parser import text_string_to_metric_families

from .. import metrics
from ..config import Settings
from ..main import create_app

pytestmark = pytest.mark.anyio
TOKEN = "scrape-me"
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


async def serve(settings: Settings, token: str) -> AsyncIterator[AsyncClient]:
    app = create_app(settings.model_copy(update={"metrics_token": token}))

    @app.get("/items/{item_id}")
    async def item(item_id: int) -> int:
        return item_id

    transport = ASGITransport(app=app)
    async with AsyncClient(transport=transport, base_url="http://localhost") as client:
        yield client


@pytest.fixture
async def scraped(settings: Settings) -> AsyncIterator[AsyncClient]:
    async for client in serve(settings, TOKEN):
        yield client


@pytest.fixture
async def unset(settings: Settings) -> AsyncIterator[AsyncClient]:
    async for client in serve(settings, ""):
        yield client


async def scrape(client: AsyncClient) -> Samples:
    response = await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    samples: Samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def requests(samples: Samples, handler: str, status: str, method: str = "GET") -> float:
    labels = (("handler", handler), ("method", method), ("status", status))
    return samples.get(("http_requests_total", labels), 0)


async def test_metrics_are_off_without_a_token(unset: AsyncClient) -> None:
    assert (await unset.get("/metrics")).status_code == 404
    assert (await unset.get("/metrics", headers={"Authorization": "Bearer "})).status_code == 404


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", f"Token {TOKEN}", TOKEN])
async def test_metrics_need_the_token(scraped: AsyncClient, authorization: str | None) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    response = await scraped.get("/metrics", headers=headers)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


async def test_requests_are_counted_by_route_and_status(scraped: AsyncClient) -> None:
    for item in (1, 2, 3):
        assert (await scraped.get(f"/items/{item}")).status_code == 200
    assert (await scraped.get("/items/nope")).status_code == 422
    samples = await scrape(scraped)
    assert requests(samples, "/items/{item_id}", "200") == 3
    assert requests(samples, "/items/{item_id}", "422") == 1
    assert not [key for key in samples if "/items/1" in str(key)]  # never the raw path
    latency = (
        "http_request_duration_seconds_count",
        (("handler", "/items/{item_id}"), ("method", "GET")),
    )
    assert samples[latency] == 4
    assert any(name.startswith("process_") for name, _ in samples)  # the usual ones too


async def test_metrics_are_not_in_the_schema(scraped: AsyncClient) -> None:
    paths = (await scraped.get("/openapi.json")).json()["paths"]
    assert "/metrics" not in paths


async def test_the_workers_of_one_server_add_up(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As in a worker of `uvicorn --workers N`: counts go to files every worker reads."""
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    monkeypatch.setattr(multiprocessing, "parent_process", lambda: SimpleNamespace(pid=os.getpid()))
    monkeypatch.setattr(values, "ValueClass", values.ValueClass)  # restored afterwards
    monkeypatch.delenv(metrics.MULTIPROC_DIR, raising=False)
    stale = tmp_path / "pkg-metrics-999999999"  # a server that has stopped
    stale.mkdir()
    metrics.share_counts_between_workers("pkg")
    shared = tmp_path / f"pkg-metrics-{os.getpid()}"
    assert os.environ[metrics.MULTIPROC_DIR] == str(shared)
    assert not stale.exists()

    async for client in serve(settings, TOKEN):
        await client.get("/items/1")
        assert requests(await scrape(client), "/items/{item_id}", "200") == 1
    assert list(shared.glob("counter_*.db"))  # another worker's scrape reads these too
