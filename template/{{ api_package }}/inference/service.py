"""Streaming a chat completion from an OpenAI-compatible model server.

vLLM, llama.cpp's server, Ollama (under /v1) and OpenAI itself speak the same protocol:
POST {MODEL_URL}/chat/completions with `"stream": true` answers with server-sent events, each
`data:` a JSON chunk carrying the next piece of text, and a last `data: [DONE]`.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx2
from fastapi import status
from pydantic import ValidationError

from ..config import Settings
from .schemas import ChatCompletionChunk

# The event that ends a successful stream.
DONE = "[DONE]"
# The longest part of a model server's own error message passed on to the client.
MAX_REPORTED = 200


class ModelError(Exception):
    """The model server failed. Before the stream starts, the client gets `status_code` with
    the message; after, an `error` event with it."""

    status_code = status.HTTP_502_BAD_GATEWAY


class ModelUnreachable(ModelError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE


class ModelTimeout(ModelError):
    status_code = status.HTTP_504_GATEWAY_TIMEOUT


class Completion:
    """The model's answer, arriving: iterate it for the pieces of text, in order.

    Iteration raises ModelError when the stream breaks, stalls (no event within the read
    timeout), sends something that is not a chunk, reports an error, or ends before [DONE].
    """

    def __init__(self, response: httpx2.Response, read_timeout: float) -> None:
        self._events = httpx2.EventSource(response)
        self._read_timeout = read_timeout
        self.finish_reason: str | None = None

    async def __aiter__(self) -> AsyncIterator[str]:
        try:
            async for event in self._events:
                if event.data == DONE:
                    return
                for text in self._read(event.data):
                    yield text
        except httpx2.TimeoutException:
            raise ModelTimeout(
                f"the model server sent nothing for {self._read_timeout:g}s"
            ) from None
        except httpx2.HTTPError as error:
            raise ModelError(f"the model server's stream broke ({type(error).__name__})") from None
        raise ModelError("the model server ended the stream before the answer was complete")

    def _read(self, data: str) -> list[str]:
        try:
            chunk = ChatCompletionChunk.model_validate_json(data)
        except ValidationError:
            raise ModelError(
                "the model server sent something that is not a completion chunk"
            ) from None
        if chunk.error is not None:
            raise ModelError(f"the model server reported: {chunk.error.message[:MAX_REPORTED]}")
        texts = []
        for choice in chunk.choices:
            self.finish_reason = choice.finish_reason or self.finish_reason
            if choice.delta.content:
                texts.append(choice.delta.content)
        return texts


@asynccontextmanager
async def open_completion(
    *, client: httpx2.AsyncClient, settings: Settings, prompt: str, user: str
) -> AsyncIterator[Completion]:
    """Ask the model server to answer `prompt`, streamed; the response is closed on exit
    (which, when the client went away mid-answer, stops the model generating it).

    Raises ModelUnreachable (no connection), ModelTimeout (no answer in time) or ModelError
    (an error status, or an answer that is not a stream) before yielding anything.
    """
    body = {
        "model": settings.model_name,
        "messages": [{"role": "user", "content": prompt}],
        "stream": True,
        "max_tokens": settings.model_max_tokens,
        # Who asked, for the provider's abuse monitoring: an id, never a name or an e-mail.
        "user": user,
    }
    headers = {"Accept": "text/event-stream"}
    if settings.model_api_key:
        headers["Authorization"] = f"Bearer {settings.model_api_key}"
    # `read` bounds each wait on the socket: the first token, then the gap between tokens.
    timeout = httpx2.Timeout(
        settings.model_read_timeout_seconds, connect=settings.model_connect_timeout_seconds
    )
    url = f"{settings.model_url.rstrip('/')}/chat/completions"
    request = client.build_request("POST", url, json=body, headers=headers, timeout=timeout)
    try:
        response = await client.send(request, stream=True)
    except httpx2.TimeoutException:
        raise ModelTimeout("the model server did not answer in time") from None
    except httpx2.HTTPError as error:
        raise ModelUnreachable(
            f"the model server is unreachable ({type(error).__name__})"
        ) from None
    try:
        if not response.is_success:
            raise ModelError(f"the model server answered {response.status_code}")
        if response.headers.get("content-type", "").partition(";")[0] != "text/event-stream":
            raise ModelError("the model server answered without streaming")
        yield Completion(response, settings.model_read_timeout_seconds)
    finally:
        await response.aclose()
