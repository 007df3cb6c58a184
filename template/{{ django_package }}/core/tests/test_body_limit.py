"""The API's body size limit, at its edges: how much of a refused body is read."""

from unittest import mock

import pytest
from django.http import HttpRequest
from django.test import Client

LIMIT = 10


@pytest.fixture(autouse=True)
def _small_limit(settings) -> None:
    settings.MAX_BODY_SIZE = LIMIT


def post_token(client: Client, size: int) -> tuple[int, mock.Mock]:
    """POST a `size`-byte body to the API; the status and a spy on reading the body."""
    with mock.patch.object(HttpRequest, "read", autospec=True, return_value=b"") as read:
        response = client.post("/api/auth/token/", "x" * size, content_type="application/json")
    assert response.json() == {"detail": f"The request body is larger than {LIMIT} bytes."}
    return response.status_code, read


def test_a_body_somewhat_over_the_limit_is_drained_before_the_413() -> None:
    # Read and dropped, so a client still sending gets the 413 instead of a reset connection.
    status, read = post_token(Client(), 2 * LIMIT)
    assert status == 413
    assert read.called


def test_a_body_far_over_the_limit_is_refused_without_reading_it() -> None:
    # Not worth a worker's time: a 1 GB upload must not tie up a process.
    status, read = post_token(Client(), 100 * LIMIT)
    assert status == 413
    assert not read.called


@pytest.mark.django_db
def test_a_malformed_content_length_is_no_body_not_a_crash(client: Client) -> None:
    response = client.post(
        "/api/auth/token/", "{}", content_type="application/json", CONTENT_LENGTH="lots"
    )
    assert response.status_code == 400
    assert "username" in response.json()
