"""The concurrent downstream calls, against mock services (httpx2's MockTransport)."""

import asyncio
import time

import httpx2
import pytest

from ..dependencies import get_http_client
from ..enrich.service import DownstreamError, enrich
from ..main import create_app

pytestmark = pytest.mark.anyio

SERVICES = {"sentiment": "http://sentiment.test/", "summary": "http://summary.test/"}


def mock_client(handler) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(transport=httpx2.MockTransport(handler))


async def test_calls_run_concurrently_and_combine() -> None:
    async def handler(request: httpx2.Request) -> httpx2.Response:
        await asyncio.sleep(0.2)  # every service takes 0.2 s
        return httpx2.Response(200, json={"from": request.url.host})

    started = time.perf_counter()
    async with mock_client(handler) as client:
        results = await enrich(client=client, services=SERVICES, text="hi", timeout=2)
    assert results == {"sentiment": {"from": "sentiment.test"}, "summary": {"from": "summary.test"}}
    assert time.perf_counter() - started < 0.35  # together, not one after the other


@pytest.mark.parametrize(
    ("behaviour", "message"),
    [("500", "answered 500"), ("timeout", "no answer within"), ("html", "not JSON")],
)
async def test_a_failing_service_is_named(behaviour: str, message: str) -> None:
    async def handler(request: httpx2.Request) -> httpx2.Response:
        if request.url.host != "summary.test":
            return httpx2.Response(200, json={})
        if behaviour == "timeout":
            raise httpx2.ReadTimeout("slow", request=request)
        if behaviour == "html":
            return httpx2.Response(200, text="<html>")
        return httpx2.Response(500)

    async with mock_client(handler) as client:
        with pytest.raises(DownstreamError, match=message) as failure:
            await enrich(client=client, services=SERVICES, text="hi", timeout=1)
    assert failure.value.service == "summary"


async def test_the_endpoint_answers_502_naming_the_failed_service(settings) -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(503 if request.url.host == "summary.test" else 200, json={})

    app = create_app(settings.model_copy(update={"enrich_services": SERVICES}))
    app.dependency_overrides[get_http_client] = lambda: mock_client(handler)
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://localhost") as client:
        response = await client.post("/api/enrich", json={"text": "hello"})
    assert response.status_code == 502
    assert response.json() == {"detail": "service 'summary' failed: answered 503"}


async def test_the_endpoint_says_when_nothing_is_configured(client: httpx2.AsyncClient) -> None:
    response = await client.post("/api/enrich", json={"text": "hello"})
    assert response.status_code == 503
