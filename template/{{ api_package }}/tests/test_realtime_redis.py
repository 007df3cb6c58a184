"""The feed crosses processes through Redis pub/sub (posts/fanout.py).

Two apps on one Redis stand for two workers or replicas: each has its own subscribers and
its own listener, as separate processes would. A client of one hears of a post written
through the other. Redis down: the write succeeds, promptly, and the miss is logged.
"""

import asyncio
import json
import logging
import os
import time
import uuid
from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx2 import AsyncClient
from redis.asyncio import Redis

from ..config import Settings
from ..main import create_app
from ..posts import fanout, live
from ..posts.events import PostEvents

pytestmark = pytest.mark.anyio

POST = {"title": "Live", "content": "Now", "category": "tech", "published": True}
REDIS_URL = os.environ.get("REDIS_URL", "")
DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1
real_redis = pytest.mark.skipif(not REDIS_URL, reason="set REDIS_URL to use a real Redis")


@pytest.fixture(autouse=True)
def channel(monkeypatch: pytest.MonkeyPatch) -> str:
    """A channel of this test's own: pub/sub channels are shared by the whole Redis server."""
    name = f"test:{uuid.uuid4().hex}:posts:live"
    monkeypatch.setattr(live, "CHANNEL", name)
    return name


@pytest.fixture
def redis_url() -> str:
    return REDIS_URL


@pytest.fixture
def settings(settings: Settings, redis_url: str) -> Settings:
    """The app under test (the writer), on a real Redis (or the dead one a test names)."""
    # The sign-ups count against the real Redis's rate limit too: leave them room.
    return settings.model_copy(update={"redis_url": redis_url, "auth_rate_limit": "1000/minute"})


@pytest.fixture
async def other_process(settings: Settings) -> AsyncIterator[FastAPI]:
    """A second app: its own subscribers, its own Redis connections and listener."""
    other = create_app(settings)
    async with other.router.lifespan_context(other):
        yield other


async def listeners(channel: str) -> int:
    """How many processes listen on the feed's channel (fanout.py adds the database number)."""
    redis = Redis.from_url(REDIS_URL)
    database = redis.connection_pool.connection_kwargs.get("db", 0)
    try:
        [(_name, count)] = await redis.pubsub_numsub(f"{channel}:{database}")
    finally:
        await redis.aclose()
    return int(count)


async def next_message(queue: asyncio.Queue[str]) -> dict[str, object]:
    message: dict[str, object] = json.loads(await asyncio.wait_for(queue.get(), timeout=5))
    return message


@real_redis
async def test_a_post_written_through_one_process_reaches_the_clients_of_all(
    app: FastAPI, client: AsyncClient, other_process: FastAPI, auth_headers, channel: str
) -> None:
    for _ in range(50):  # both listeners subscribe as their apps start
        if await listeners(channel) == 2:
            break
        await asyncio.sleep(0.1)
    assert await listeners(channel) == 2
    here: PostEvents = app.state.live_feed
    there: PostEvents = other_process.state.live_feed
    async with here.subscribe() as local, there.subscribe() as remote:
        await client.post("/api/posts", json={**POST, "title": "Draft", "published": False},
                          headers=auth_headers)  # fmt: skip
        created = await client.post("/api/posts", json=POST, headers=auth_headers)
        assert created.status_code == 201
        message = await next_message(remote)
        assert await next_message(local) == message  # the writer's own clients hear it too
    assert message == created.json()  # the draft was not sent: this is the next message
    assert "email" not in json.dumps(message)  # anyone may listen


@real_redis
async def test_the_listener_comes_back_with_redis(
    monkeypatch: pytest.MonkeyPatch, channel: str
) -> None:
    """A lost connection (Redis restarted, say): the listener subscribes again and relays."""
    monkeypatch.setattr(fanout, "FIRST_RETRY_SECONDS", 0.05)
    broker = fanout.RedisFanout(REDIS_URL, channel)
    events = PostEvents(broker)
    await events.start()
    try:
        async with events.subscribe() as queue:
            for _ in range(50):
                if await listeners(channel) == 1:
                    break
                await asyncio.sleep(0.1)
            admin = Redis.from_url(REDIS_URL)
            # Cut the listener's connection from the server's side, as a restart would.
            listening = [c for c in await admin.client_list(_type="pubsub")
                         if c["name"] == broker.channel]  # fmt: skip
            assert len(listening) == 1
            await admin.client_kill_filter(_id=listening[0]["id"])
            message = None
            for _ in range(50):
                await broker.publish('{"id": 1}')
                try:
                    message = await asyncio.wait_for(queue.get(), timeout=0.1)
                    break
                except TimeoutError:
                    continue
            await admin.aclose()
        assert message is not None
        assert json.loads(message) == {"id": 1}
    finally:
        await events.aclose()


@pytest.mark.parametrize("redis_url", [DEAD_REDIS])
async def test_with_redis_down_a_post_is_still_saved_at_once(
    app: FastAPI, client: AsyncClient, auth_headers, caplog: pytest.LogCaptureFixture
) -> None:
    events: PostEvents = app.state.live_feed
    with caplog.at_level(logging.WARNING, logger=fanout.__name__):
        async with events.subscribe():
            started = time.monotonic()
            created = await client.post("/api/posts", json=POST, headers=auth_headers)
            elapsed = time.monotonic() - started
    assert created.status_code == 201
    assert (await client.get(f"/api/posts/{created.json()['id']}")).status_code == 200
    assert elapsed < fanout.PUBLISH_TIMEOUT + 1  # the write did not wait on Redis for long
    assert "not sent to the live feed" in caplog.text
