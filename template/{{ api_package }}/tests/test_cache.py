"""The public posts list is cached, and every write is visible on the very next read."""

import os
import uuid
from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx2 import AsyncClient
from redis.asyncio import Redis
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from ..dependencies import get_redis
from ..posts.cache import PostsCache, get_posts_cache

pytestmark = pytest.mark.anyio

LIST = "/api/posts"
POST = {"title": "Hello", "content": "World", "category": "tech", "published": True}
REDIS_URL = os.environ.get("REDIS_URL", "")
real_redis = pytest.mark.skipif(not REDIS_URL, reason="set REDIS_URL to use a real Redis")


@pytest.fixture(params=["in-memory", pytest.param("real", marks=real_redis)])
async def cache(request: pytest.FixtureRequest, app: FastAPI, redis) -> AsyncIterator[PostsCache]:
    """The app's cache, in memory or (with REDIS_URL) in a real Redis under its own keys."""
    if request.param != "real":
        cache = PostsCache(redis)
        app.dependency_overrides[get_posts_cache] = lambda: cache
        yield cache
        return
    client = Redis.from_url(REDIS_URL)
    cache = PostsCache(client, prefix=f"test:{uuid.uuid4().hex}")
    app.dependency_overrides[get_posts_cache] = lambda: cache
    yield cache
    keys = [key async for key in client.scan_iter(f"{cache.prefix}:*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


async def titles(client: AsyncClient, **params: str) -> list[str]:
    response = await client.get(LIST, params=params)
    assert response.status_code == 200
    return [post["title"] for post in response.json()["data"]]


async def test_a_write_is_visible_on_the_next_read(
    client: AsyncClient, cache: PostsCache, auth_headers
) -> None:
    assert await titles(client) == []  # cached: an empty page
    created = await client.post(LIST, json=POST, headers=auth_headers)
    assert await titles(client) == ["Hello"]
    url = f"{LIST}/{created.json()['id']}"
    await client.patch(url, json={"title": "Changed"}, headers=auth_headers)
    assert await titles(client) == ["Changed"]
    await client.delete(url, headers=auth_headers)
    assert await titles(client) == []


async def test_a_cached_page_is_served_without_the_database(
    client: AsyncClient, cache: PostsCache, engine: AsyncEngine, auth_headers
) -> None:
    await client.post(LIST, json=POST, headers=auth_headers)
    assert await titles(client) == ["Hello"]  # read from the database, then cached
    statements: list[str] = []

    def record(_conn, _cursor, statement: str, *_args) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        assert await titles(client) == ["Hello"]
        assert await titles(client, limit="5") == ["Hello"]  # another page: its own entry
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    assert len(statements) == 1, statements  # the second page only: one SELECT, its total in it


async def test_signed_in_readers_are_not_served_the_anonymous_page(
    client: AsyncClient, cache: PostsCache, auth_headers
) -> None:
    assert await titles(client) == []
    await client.post(LIST, json={**POST, "published": False}, headers=auth_headers)
    response = await client.get(LIST, headers=auth_headers)
    assert [post["title"] for post in response.json()["data"]] == ["Hello"]  # their draft
    assert await titles(client) == []


async def test_the_list_works_while_redis_is_down(
    client: AsyncClient, app: FastAPI, auth_headers
) -> None:
    unreachable = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=1)
    app.dependency_overrides[get_posts_cache] = lambda: PostsCache(unreachable)
    created = await client.post(LIST, json=POST, headers=auth_headers)
    assert created.status_code == 201
    assert await titles(client) == ["Hello"]
    await unreachable.aclose()


async def test_without_redis_url_the_list_is_read_uncached(
    client: AsyncClient, app: FastAPI, auth_headers
) -> None:
    """As in development with no REDIS_URL: no cache, and every write is seen at once."""
    app.dependency_overrides.pop(get_redis)  # the test's Redis: the app itself has none
    assert await titles(client) == []
    created = await client.post(LIST, json=POST, headers=auth_headers)
    assert created.status_code == 201
    assert await titles(client) == ["Hello"]
    url = f"{LIST}/{created.json()['id']}"
    await client.patch(url, json={"title": "Changed"}, headers=auth_headers)
    assert await titles(client) == ["Changed"]
