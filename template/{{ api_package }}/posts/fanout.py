"""The live feed between the app's processes: Redis pub/sub (events.py's broker).

Every process publishes new posts on one channel and runs one listener on it, which hands
each message to that process's WebSocket clients. Pub/sub channels are server-wide (Redis
databases do not separate them), so the channel's name carries REDIS_URL's database number
besides the project's name: two deployments sharing a Redis server on different databases
do not hear each other.

Redis being down never fails a write, nor holds it for long: publishing gives up after
PUBLISH_TIMEOUT seconds and logs the missed post (it is saved; the feed misses it, as on a
Django feed). The listener reconnects with a growing pause while Redis is away; pub/sub
keeps nothing, so the posts written meanwhile are not replayed.
"""

import asyncio
import logging
from collections.abc import Callable

from redis.asyncio import Redis
from redis.asyncio.connection import parse_url
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

PUBLISH_TIMEOUT = 1.0
# How long the listener waits for a message before looking again (it notices a lost
# connection in between), and its pauses between reconnection attempts.
POLL_SECONDS = 1.0
FIRST_RETRY_SECONDS = 0.5
MAX_RETRY_SECONDS = 30.0


class RedisFanout:
    def __init__(self, url: str, name: str) -> None:
        # A client of its own: the listener holds one connection for as long as the app runs.
        # Its connections are named after the channel (Redis's CLIENT LIST shows them).
        self.channel = f"{name}:{parse_url(url).get('db', 0)}"
        self.redis = Redis.from_url(
            url, socket_connect_timeout=2, socket_timeout=2, client_name=self.channel
        )
        self.closed = asyncio.Event()

    async def publish(self, message: str) -> None:
        try:
            async with asyncio.timeout(PUBLISH_TIMEOUT):
                await self.redis.publish(self.channel, message)
        except (RedisError, OSError) as error:  # TimeoutError is an OSError
            logger.warning("a post was not sent to the live feed: %r", error)

    async def relay(self, deliver: Callable[[str], None]) -> None:
        # Ends when cancelled, or at the latest once aclose() has run: redis-py can swallow a
        # cancellation that lands mid-read, and closing the client ends that read.
        retry = FIRST_RETRY_SECONDS
        while not self.closed.is_set():
            try:
                async with self.redis.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(self.channel)
                    retry = FIRST_RETRY_SECONDS
                    while not self.closed.is_set():
                        message = await pubsub.get_message(timeout=POLL_SECONDS)
                        if message is not None:
                            deliver(message["data"].decode())
            except (RedisError, OSError) as error:
                if self.closed.is_set():
                    return
                logger.warning("live feed: Redis unavailable (%r); retrying in %s s", error, retry)
                await asyncio.sleep(retry)
                retry = min(retry * 2, MAX_RETRY_SECONDS)

    async def aclose(self) -> None:
        self.closed.set()
        await self.redis.aclose()
