"""A cap on the size of request bodies (MAX_BODY_SIZE), answered with 413 and a JSON body.

A body announced as too large (Content-Length) is refused before the app runs. A body sent
without a length (chunked) is counted as it arrives, and refused once it passes the cap, so
nobody can make the app hold more than MAX_BODY_SIZE bytes of one request in memory.

Either way the rest of the body is read and discarded first (up to DRAIN_LIMIT bytes): a
server that answers while the client is still sending makes the client see a reset
connection instead of the 413.
"""

import json

from fastapi import HTTPException, status
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Past this many bytes the rest of a refused body is not read: the connection is closed.
DRAIN_LIMIT = 64 * 1024 * 1024


def too_large_detail(limit: int) -> str:
    return f"The request body is larger than {limit} bytes."


class BodySizeLimit:
    """ASGI middleware refusing request bodies larger than `max_body_size` bytes."""

    def __init__(self, app: ASGIApp, max_body_size: int) -> None:
        self.app = app
        self.max_body_size = max_body_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._declared_length(scope) > self.max_body_size:
            await _drain(receive)
            await self._refuse(send)
            return
        await self.app(scope, self._counting(receive), send)

    @staticmethod
    def _declared_length(scope: Scope) -> int:
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    return int(value)
                except ValueError:
                    return 0  # the server refuses a malformed length itself
        return 0

    def _counting(self, receive: Receive) -> Receive:
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_size:
                    if message.get("more_body", False):
                        await _drain(receive)
                    # FastAPI's exception handler turns this into the JSON 413.
                    raise HTTPException(
                        status.HTTP_413_CONTENT_TOO_LARGE, too_large_detail(self.max_body_size)
                    )
            return message

        return counting_receive

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"detail": too_large_detail(self.max_body_size)}).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


async def _drain(receive: Receive) -> None:
    """Read and drop the rest of the request body, up to DRAIN_LIMIT bytes."""
    drained = 0
    while drained <= DRAIN_LIMIT:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return
        drained += len(message.get("body", b""))
