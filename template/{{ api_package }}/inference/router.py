"""POST /api/generate/stream: a prompt's answer from the model server, as server-sent events.

    data: {"text":"Hel"}            one event per piece of text, in order
    data: {"text":"lo"}
    event: done                     the answer is complete
    data: {"finish_reason":"stop"}

When the model server fails mid-answer, the stream ends with `event: error` and
`data: {"detail":"..."}` instead of `done`.
"""

from collections.abc import AsyncIterator

from fastapi import APIRouter
from fastapi.sse import EventSourceResponse, ServerSentEvent

from ..errors import ErrorDetail, stream_errors
from .dependencies import CompletionDep
from .schemas import Done, Token
from .service import ModelError

router = APIRouter(prefix="/api/generate", tags=["generate"])


@router.post(
    "/stream",
    response_class=EventSourceResponse,
    responses=stream_errors(
        401,
        413,
        502,
        503,
        504,
        _502="The model server answered with an error",
        _503="The model server is unreachable",
        _504="The model server did not answer in time",
    ),
)
async def generate_stream(completion: CompletionDep) -> AsyncIterator[ServerSentEvent]:
    """Stream the model's answer to the prompt as it is generated (signed-in users)."""
    try:
        async for text in completion:
            yield ServerSentEvent(data=Token(text=text))
    except ModelError as error:
        yield ServerSentEvent(event="error", data=ErrorDetail(detail=str(error)))
        return
    yield ServerSentEvent(event="done", data=Done(finish_reason=completion.finish_reason))
