"""The enrich endpoint: concurrent downstream calls, against fake services (httpx2's MockTransport)."""

import asyncio
import time

import httpx2
import pytest
from asgiref.sync import async_to_sync
from django.test import Client

from .. import api
from ..services import DownstreamError, enrich

SERVICES = {"sentiment": "http://sentiment.test/", "summary": "http://summary.test/"}


def mock_client(handler) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(transport=httpx2.MockTransport(handler))


async def slow_services(request: httpx2.Request) -> httpx2.Response:
    await asyncio.sleep(0.3)  # every service takes 0.3 s
    return httpx2.Response(200, json={"from": request.url.host})


@pytest.fixture
def downstream(monkeypatch: pytest.MonkeyPatch, settings):
    """Configure the two services; the test sets their behaviour with the returned function."""
    settings.ENRICH_SERVICES = SERVICES

    def use(handler) -> None:
        monkeypatch.setattr(api, "http_client", lambda: mock_client(handler))

    return use


def test_the_calls_run_concurrently_and_combine() -> None:
    async def scenario() -> dict[str, object]:
        async with mock_client(slow_services) as client:
            return await enrich(client=client, services=SERVICES, text="hi", timeout=2)

    started = time.perf_counter()
    results = async_to_sync(scenario)()
    assert time.perf_counter() - started < 0.5  # together, not one after the other (0.6 s)
    assert results == {"sentiment": {"from": "sentiment.test"}, "summary": {"from": "summary.test"}}


@pytest.mark.parametrize(
    ("behaviour", "message"),
    [
        ("500", "answered 500"),
        ("timeout", "no answer within"),
        ("html", "not JSON"),
        ("refused", r"unreachable \(ConnectError\)"),
    ],
)
def test_a_failing_service_is_named(behaviour: str, message: str) -> None:
    async def handler(request: httpx2.Request) -> httpx2.Response:
        if request.url.host != "summary.test":
            return httpx2.Response(200, json={})
        if behaviour == "timeout":
            raise httpx2.ReadTimeout("slow", request=request)
        if behaviour == "refused":
            raise httpx2.ConnectError("refused", request=request)
        if behaviour == "html":
            return httpx2.Response(200, text="<html>")
        return httpx2.Response(500)

    async def scenario() -> None:
        async with mock_client(handler) as client:
            await enrich(client=client, services=SERVICES, text="hi", timeout=1)

    with pytest.raises(DownstreamError, match=message) as failure:
        async_to_sync(scenario)()
    assert failure.value.service == "summary"


def test_the_endpoint_answers_with_every_result_concurrently(client: Client, downstream) -> None:
    downstream(slow_services)
    started = time.perf_counter()
    response = client.post("/api/enrich", {"text": "hello"}, content_type="application/json")
    assert time.perf_counter() - started < 0.5
    assert response.status_code == 200, response.content
    assert response.json() == {
        "results": {"sentiment": {"from": "sentiment.test"}, "summary": {"from": "summary.test"}}
    }


def test_the_endpoint_answers_502_naming_the_failed_service(client: Client, downstream) -> None:
    downstream(lambda r: httpx2.Response(503 if r.url.host == "summary.test" else 200, json={}))
    response = client.post("/api/enrich", {"text": "hello"}, content_type="application/json")
    assert response.status_code == 502
    assert response.json() == {"detail": "service 'summary' failed: answered 503"}


def test_the_endpoint_says_when_nothing_is_configured(client: Client, settings) -> None:
    settings.ENRICH_SERVICES = {}
    response = client.post("/api/enrich", {"text": "hello"}, content_type="application/json")
    assert response.status_code == 503
    assert response.json() == {"detail": "ENRICH_SERVICES is not set"}


@pytest.mark.parametrize("body", [{"text": ""}, {}, {"text": "x" * 10_001}])
def test_the_endpoint_refuses_an_invalid_text(client: Client, downstream, body) -> None:
    downstream(slow_services)
    response = client.post("/api/enrich", body, content_type="application/json")
    assert response.status_code == 400
    assert "text" in response.json()


def test_other_methods_are_refused(client: Client) -> None:
    assert client.get("/api/enrich").status_code == 405


@pytest.mark.django_db
def test_the_schema_documents_it_anonymous(client: Client) -> None:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/enrich"]["post"]
    assert operation["operationId"] == "enrich_create"
    assert {"200", "400", "502", "503"} <= operation["responses"].keys()
    assert "401" not in operation["responses"]  # no credentials read
