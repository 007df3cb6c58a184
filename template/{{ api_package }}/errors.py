"""The error body every failure but validation has, and its place in the OpenAPI schema.

Each operation declares the errors it can answer with (`responses=errors(401, 404, ...)`), so
a client generated from the schema knows each status and can read its `detail`. Validation
errors (422) keep FastAPI's own body, which FastAPI declares by itself.
"""

from typing import Any

from fastapi import status
from pydantic import BaseModel


class ErrorDetail(BaseModel):
    """What went wrong, in words: `{"detail": "..."}`."""

    detail: str


DESCRIPTIONS = {
    status.HTTP_400_BAD_REQUEST: "The request cannot be carried out as it stands",
    status.HTTP_401_UNAUTHORIZED: "No token, or an invalid or expired one",
    status.HTTP_403_FORBIDDEN: "Signed in, but not allowed to do this",
    status.HTTP_404_NOT_FOUND: "No such resource, or not visible to you",
    status.HTTP_409_CONFLICT: "Conflicts with what is stored",
    status.HTTP_413_CONTENT_TOO_LARGE: "The request body is larger than MAX_BODY_SIZE",
    status.HTTP_429_TOO_MANY_REQUESTS: "Too many requests from this client; wait Retry-After seconds",
    status.HTTP_502_BAD_GATEWAY: "A downstream service failed",
    status.HTTP_503_SERVICE_UNAVAILABLE: "A service it needs is down; try again shortly",
    status.HTTP_504_GATEWAY_TIMEOUT: "A downstream service did not answer in time",
}

# A throttled response says when to come back.
RETRY_AFTER: dict[str, Any] = {
    "headers": {
        "Retry-After": {
            "description": "Seconds to wait before trying again",
            "schema": {"type": "integer"},
        }
    }
}


def errors(*codes: int, **described: str) -> dict[int | str, dict[str, Any]]:
    """The `responses` of an operation that can fail with these statuses.

    `described` overrides a description by status: `errors(404, _404="No such post")`.
    """
    return {
        code: {
            "model": ErrorDetail,
            "description": described.get(f"_{code}", DESCRIPTIONS[code]),
            **(RETRY_AFTER if code == status.HTTP_429_TOO_MANY_REQUESTS else {}),
        }
        for code in codes
    }


def stream_errors(*codes: int, **described: str) -> dict[int | str, dict[str, Any]]:
    """`errors()` for an operation that answers a stream (server-sent events) when it succeeds.

    FastAPI files a `model` under the operation's own media type, which would declare the
    JSON errors as `text/event-stream`; here their body is declared as JSON by reference.
    (ErrorDetail is in the schema's components: every app has operations using `errors()`.)
    """
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}}
    return {
        code: {"description": response["description"], "content": body}
        for code, response in errors(*codes, **described).items()
    }
