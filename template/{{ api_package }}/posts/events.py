"""Pushing new posts to connected WebSocket clients, whichever process they are connected to.

Each process keeps its own subscribers, one bounded queue per client. A post is announced
once its row is committed and only when published, as anyone may see it (PostPublic: the
author's id and name, no e-mail address).

With a broker (Redis pub/sub, fanout.py, when REDIS_URL is set) the message goes to every
process of the app, and each process's one listener hands it to its own subscribers: a
client connected to any worker or replica hears of posts written through any other. Without
one (development) the message goes straight to this process's subscribers only.
"""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Protocol

import anyio
from fastapi import WebSocket, WebSocketDisconnect

from .schemas import PostPublic

# A client this far behind is dropped instead of holding memory without bound.
QUEUE_SIZE = 100
# The longest a shutdown waits for the listener once the broker is closed.
RELAY_STOP_SECONDS = 3


class Broker(Protocol):
    """Carries the feed's messages between the app's processes."""

    async def publish(self, message: str) -> None:
        """Send to every process; never raises (a missed message is logged)."""

    async def relay(self, deliver: Callable[[str], None]) -> None:
        """Hand every message sent by any process to `deliver`, until cancelled."""

    async def aclose(self) -> None: ...


class PostEvents:
    def __init__(self, broker: Broker | None = None) -> None:
        self._subscribers: set[asyncio.Queue[str]] = set()
        self._broker = broker
        self._relay: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start this process's one listener (the app's lifespan calls this)."""
        if self._broker is not None and self._relay is None:
            self._relay = asyncio.create_task(self._broker.relay(self.deliver))

    async def aclose(self) -> None:
        # Each wait is bounded: a cancellation can be lost inside the broker's client, and
        # closing the broker then ends the listener (a shutdown never hangs on it).
        if self._relay is not None:
            self._relay.cancel()
            await asyncio.wait({self._relay}, timeout=1)
        if self._broker is not None:
            await self._broker.aclose()
        if self._relay is not None:
            await asyncio.wait({self._relay}, timeout=RELAY_STOP_SECONDS)
            self._relay = None

    async def publish(self, post: PostPublic) -> None:
        message = post.model_dump_json()
        if self._broker is None:
            self.deliver(message)
        else:  # reaches this process's subscribers too, through its listener
            await self._broker.publish(message)

    def deliver(self, message: str) -> None:
        """Hand a message to this process's subscribers."""
        for queue in list(self._subscribers):
            try:
                queue.put_nowait(message)
            except asyncio.QueueFull:
                self._subscribers.discard(queue)

    @asynccontextmanager
    async def subscribe(self) -> AsyncIterator[asyncio.Queue[str]]:
        queue: asyncio.Queue[str] = asyncio.Queue(maxsize=QUEUE_SIZE)
        self._subscribers.add(queue)
        try:
            yield queue
        finally:
            self._subscribers.discard(queue)

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)


async def stream_to(websocket: WebSocket, events: PostEvents) -> None:
    """Forward events until the client goes away."""
    async with events.subscribe() as queue, anyio.create_task_group() as tasks:
        # Subscribed first: a client that sees the connection accepted misses no later post.
        await websocket.accept()

        async def forward() -> None:
            while True:
                await websocket.send_text(await queue.get())

        tasks.start_soon(forward)
        try:
            while True:  # clients send nothing; this notices when they disconnect
                await websocket.receive_text()
        except WebSocketDisconnect:
            tasks.cancel_scope.cancel()
