"""Production hardening: trusted Host names, and the security headers Django also sends."""

from collections.abc import AsyncIterator

import pytest
from httpx2 import ASGITransport, AsyncClient

from ..config import Settings
from ..main import create_app

pytestmark = pytest.mark.anyio


@pytest.fixture
async def served(settings: Settings) -> AsyncIterator[AsyncClient]:
    """A client of an app answering only to api.example.com, over HTTPS."""
    app = create_app(
        settings.model_copy(
            update={"allowed_hosts": ["api.example.com"], "secure_hsts_seconds": 3600}
        )
    )
    transport = ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        AsyncClient(transport=transport, base_url="https://api.example.com") as client,
    ):
        yield client


async def test_an_unknown_host_is_refused(served: AsyncClient) -> None:
    assert (await served.get("/openapi.json")).status_code == 200
    response = await served.get("/openapi.json", headers={"Host": "evil.example"})
    assert response.status_code == 400


async def test_the_liveness_probe_answers_any_host(served: AsyncClient) -> None:
    """Orchestrators call /health by the pod's address; /ready checks the Host like Django."""
    response = await served.get("/health", headers={"Host": "10.0.0.7:8000"})
    assert response.status_code == 200
    assert (await served.get("/ready", headers={"Host": "10.0.0.7:8000"})).status_code == 400


async def test_responses_carry_the_security_headers(client: AsyncClient) -> None:
    response = await client.get("/openapi.json")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["cross-origin-opener-policy"] == "same-origin"
    assert "strict-transport-security" not in response.headers  # plain HTTP


async def test_hsts_only_over_https(served: AsyncClient) -> None:
    response = await served.get("/openapi.json")
    assert response.headers["strict-transport-security"] == "max-age=3600; includeSubDomains"
    refused = await served.get("/openapi.json", headers={"Host": "evil.example"})
    assert refused.headers["x-frame-options"] == "DENY"  # on refusals too
