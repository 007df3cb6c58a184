"""A fake OpenAI-compatible model server, run for real on a free local port.

It streams chat completion chunks as vLLM, llama.cpp's server or Ollama do, with a delay
before each token, so a test can see the app relay the first token before the model has
finished. `behaviour` makes it fail in the ways real ones do. It runs under live_server.serve:
streaming and disconnects cannot be seen through an in-process transport, which buffers.
"""

import asyncio
import json
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Literal

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

Behaviour = Literal[
    "ok",  # every token, then [DONE]
    "break",  # two tokens, then the connection drops
    "error_event",  # two tokens, then an error chunk (as vLLM sends on a failure)
    "garbage",  # two tokens, then something that is not a chunk
    "no_done",  # every token, then the stream ends without [DONE]
    "stall",  # two tokens, then silence
    "slow_start",  # no answer for a while
    "status_500",  # an error status instead of a stream
    "json",  # a whole JSON answer: a server ignoring "stream": true
]


@dataclass
class FakeModel:
    behaviour: Behaviour = "ok"
    tokens: list[str] = field(default_factory=lambda: ["Once", " upon", " a", " time"])
    delay: float = 0.2  # seconds before each token
    url: str = ""  # the base URL, as MODEL_URL takes it, once served
    requests: list[tuple[dict[str, str], Any]] = field(default_factory=list)  # headers, body
    finished: threading.Event = field(default_factory=threading.Event)  # the last token sent
    left: threading.Event = field(default_factory=threading.Event)  # the caller hung up

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/v1/chat/completions", self.complete, methods=["POST"])])

    async def complete(self, request: Request) -> Response:
        self.requests.append((dict(request.headers), await request.json()))
        if self.behaviour == "slow_start":
            await asyncio.sleep(3)
        if self.behaviour == "status_500":
            return JSONResponse({"error": {"message": "model not loaded"}}, status_code=500)
        if self.behaviour == "json":
            return JSONResponse({"choices": [{"message": {"content": "".join(self.tokens)}}]})
        return StreamingResponse(self.chunks(), media_type="text/event-stream")

    async def chunks(self) -> AsyncIterator[str]:
        try:
            async for line in self.lines():
                yield line
        except asyncio.CancelledError:
            # Starlette cancels a streaming response whose client disconnected.
            self.left.set()
            raise

    async def lines(self) -> AsyncIterator[str]:
        failing = self.behaviour not in ("ok", "no_done")
        for number, token in enumerate(self.tokens):
            if failing and number == 2:
                async for line in self.fail():
                    yield line
                return
            await asyncio.sleep(self.delay)
            yield event({"choices": [{"index": 0, "delta": {"content": token}}]})
        yield event({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        self.finished.set()
        if self.behaviour == "ok":
            yield "data: [DONE]\n\n"

    async def fail(self) -> AsyncIterator[str]:
        if self.behaviour == "break":
            raise ConnectionAbortedError("the fake model drops the connection")
        if self.behaviour == "error_event":
            yield event({"error": {"message": "CUDA out of memory"}})
        elif self.behaviour == "garbage":
            yield "data: <html>oops</html>\n\n"
        elif self.behaviour == "stall":
            await asyncio.sleep(3)


def event(chunk: dict[str, Any]) -> str:
    return f"data: {json.dumps(chunk)}\n\n"
