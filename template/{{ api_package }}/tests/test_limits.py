"""Request bodies over MAX_BODY_SIZE are refused with 413 and a JSON body, however sent."""

from collections.abc import AsyncIterator

import pytest
from fastapi import Request
from httpx2 import ASGITransport, AsyncClient

from ..config import Settings
from ..main import create_app

pytestmark = pytest.mark.anyio
LIMIT = 1000


@pytest.fixture
async def capped(settings: Settings) -> AsyncIterator[AsyncClient]:
    """An app accepting bodies up to LIMIT bytes, with a route that reads its whole body."""
    app = create_app(settings.model_copy(update={"max_body_size": LIMIT}))

    @app.post("/echo-size")
    async def echo_size(request: Request) -> int:
        return len(await request.body())

    transport = ASGITransport(app=app)
    async with AsyncClient(transport=transport, base_url="http://localhost") as client:
        yield client


async def chunks(size: int, chunk: int = 100) -> AsyncIterator[bytes]:
    """A body sent without Content-Length (chunked), `chunk` bytes at a time."""
    for _ in range(size // chunk):
        yield b"x" * chunk


async def test_a_body_within_the_limit_is_read(capped: AsyncClient) -> None:
    response = await capped.post("/echo-size", content=b"x" * LIMIT)
    assert (response.status_code, response.json()) == (200, LIMIT)
    streamed = await capped.post("/echo-size", content=chunks(LIMIT))
    assert (streamed.status_code, streamed.json()) == (200, LIMIT)


async def test_a_declared_length_over_the_limit_is_413(capped: AsyncClient) -> None:
    response = await capped.post("/echo-size", content=b"x" * (LIMIT + 1))
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"detail": f"The request body is larger than {LIMIT} bytes."}


async def test_a_streamed_body_over_the_limit_is_413(capped: AsyncClient) -> None:
    response = await capped.post("/echo-size", content=chunks(10 * LIMIT))
    assert response.status_code == 413
    assert response.json() == {"detail": f"The request body is larger than {LIMIT} bytes."}


async def test_the_default_limit_is_one_mebibyte(client: AsyncClient) -> None:
    response = await client.post("/ready", content=b"x" * (10 * 1024 * 1024))
    assert response.status_code == 413
    assert "detail" in response.json()
