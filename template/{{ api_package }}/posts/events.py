"""Pushing new posts to connected WebSocket clients.

Subscribers are kept in this process. Run one worker for the feed, or fan the events out
through a broker (Redis pub/sub, say) when the app runs several processes.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import WebSocket, WebSocketDisconnect

from .schemas import PostPublic

# A client this far behind is dropped instead of holding memory without bound.
QUEUE_SIZE = 100


class PostEvents:
    def __init__(self) -> None:
        self._subscribers: set[asyncio.Queue[str]] = set()

    def publish(self, post: PostPublic) -> None:
        message = post.model_dump_json()
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
    await websocket.accept()
    async with events.subscribe() as queue, anyio.create_task_group() as tasks:

        async def forward() -> None:
            while True:
                await websocket.send_text(await queue.get())

        tasks.start_soon(forward)
        try:
            while True:  # clients send nothing; this notices when they disconnect
                await websocket.receive_text()
        except WebSocketDisconnect:
            tasks.cancel_scope.cancel()
