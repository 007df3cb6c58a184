"""The model's answer streamed as server-sent events, against a fake model server.

Both the app and the fake model run under uvicorn on local ports: only a real socket shows
that tokens arrive one by one, and that a client hanging up reaches the model server.
"""

import contextlib
import json
import time
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any, Literal

import httpx2
import pytest

from ..auth.dependencies import get_current_user
from ..config import Settings
from ..inference.schemas import MAX_PROMPT
from ..main import create_app
from .fake_model import Behaviour, FakeModel
from .live_server import serve

PATH = "/api/generate/stream"
# Nothing listens on port 1: a model server that is down.
DEAD_MODEL = "http://127.0.0.1:1/v1"
USER_ID = 7


@contextmanager
def serving_app(settings: Settings, *, signed_in: bool = True, **changes: Any) -> Iterator[str]:
    """The app on a local port, with these settings changed; signed in as user 7 unless not."""
    app = create_app(settings.model_copy(update=changes))
    if signed_in:
        app.dependency_overrides[get_current_user] = lambda: SimpleNamespace(id=USER_ID)
    with serve(app) as url:
        yield url


@contextmanager
def fake_model(behaviour: Behaviour = "ok", **options: Any) -> Iterator[FakeModel]:
    model = FakeModel(behaviour, **options)
    with serve(model.app()) as url:
        model.url = f"{url}/v1"
        yield model


def stream(base: str, prompt: str = "Tell me a story") -> Generator[tuple[str, Any], None, None]:
    """(event, data) for each event the app sends, as they arrive."""
    with (
        httpx2.Client(base_url=base, timeout=10) as client,
        client.sse(PATH, method="POST", json={"prompt": prompt}) as source,
    ):
        assert source.response.status_code == 200
        for event in source:
            yield event.event, json.loads(event.data)


def test_each_token_is_an_event_in_order_then_done(settings: Settings) -> None:
    with (
        fake_model() as model,
        serving_app(settings, model_url=model.url, model_api_key="sk-test") as base,
    ):
        events = list(stream(base))
    assert events == [
        ("message", {"text": "Once"}),
        ("message", {"text": " upon"}),
        ("message", {"text": " a"}),
        ("message", {"text": " time"}),
        ("done", {"finish_reason": "stop"}),
    ]
    [(headers, body)] = model.requests
    assert headers["authorization"] == "Bearer sk-test"
    assert body["stream"] is True
    assert body["messages"] == [{"role": "user", "content": "Tell me a story"}]
    assert body["model"] == settings.model_name
    assert body["max_tokens"] == settings.model_max_tokens
    assert body["user"] == str(USER_ID)


def test_the_first_token_arrives_before_the_model_has_finished(settings: Settings) -> None:
    with fake_model(delay=0.3) as model, serving_app(settings, model_url=model.url) as base:
        started = time.monotonic()
        events = stream(base)
        assert next(events) == ("message", {"text": "Once"})
        assert not model.finished.is_set()  # three tokens still to come
        assert time.monotonic() - started < 0.9
        assert [name for name, _ in events][-1] == "done"
        assert model.finished.is_set()


def test_a_client_hanging_up_closes_the_model_stream(settings: Settings) -> None:
    tokens = [f" {number}" for number in range(20)]
    with (
        fake_model(tokens=tokens, delay=0.1) as model,
        serving_app(settings, model_url=model.url) as base,
    ):
        events = stream(base)
        assert next(events)[0] == "message"
        events.close()  # the client goes away after the first token
        assert model.left.wait(timeout=3), "the model server kept generating"
        assert not model.finished.is_set()


@pytest.mark.parametrize(
    ("behaviour", "detail"),
    [
        ("break", "stream broke"),
        ("error_event", "reported: CUDA out of memory"),
        ("garbage", "not a completion chunk"),
        ("no_done", "ended the stream before the answer was complete"),
        ("stall", "sent nothing for 0.5s"),
    ],
)
def test_a_failure_mid_stream_ends_it_with_an_error_event(
    settings: Settings, behaviour: Behaviour, detail: str
) -> None:
    with (
        fake_model(behaviour, delay=0.05) as model,
        serving_app(settings, model_url=model.url, model_read_timeout_seconds=0.5) as base,
    ):
        events = list(stream(base))
    name, data = events[-1]
    assert name == "error"
    assert detail in data["detail"], data
    assert events[0] == ("message", {"text": "Once"})  # what came before was relayed
    assert "done" not in [name for name, _ in events]


@pytest.mark.parametrize(
    ("behaviour", "status", "detail"),
    [
        ("down", 503, "the model server is unreachable"),
        ("slow_start", 504, "did not answer in time"),
        ("status_500", 502, "the model server answered 500"),
        ("json", 502, "answered without streaming"),
    ],
)
def test_a_model_failing_before_the_stream_is_a_json_error(
    settings: Settings, behaviour: Behaviour | Literal["down"], status: int, detail: str
) -> None:
    with contextlib.ExitStack() as stack:
        model = None if behaviour == "down" else stack.enter_context(fake_model(behaviour))
        url = model.url if model else DEAD_MODEL
        base = stack.enter_context(
            serving_app(settings, model_url=url, model_read_timeout_seconds=0.5)
        )
        response = httpx2.post(f"{base}{PATH}", json={"prompt": "hi"}, timeout=10)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert detail in response.json()["detail"]


def test_anonymous_callers_get_401_and_the_model_is_not_called(settings: Settings) -> None:
    with (
        fake_model() as model,
        serving_app(settings, signed_in=False, model_url=model.url) as base,
    ):
        response = httpx2.post(f"{base}{PATH}", json={"prompt": "hi"}, timeout=10)
    assert response.status_code == 401
    assert "detail" in response.json()
    assert model.requests == []


@pytest.mark.parametrize(
    "body",
    [{}, {"prompt": ""}, {"prompt": " \n "}, {"prompt": "x" * (MAX_PROMPT + 1)}, {"prompt": 3}],
)
def test_a_missing_blank_or_overlong_prompt_is_422(settings: Settings, body: Any) -> None:
    with fake_model() as model, serving_app(settings, model_url=model.url) as base:
        response = httpx2.post(f"{base}{PATH}", json=body, timeout=10)
    assert response.status_code == 422
    assert model.requests == []


def test_the_schema_documents_the_stream_and_its_errors(settings: Settings) -> None:
    with serving_app(settings) as base:
        schema = httpx2.get(f"{base}/openapi.json").json()
    operation = schema["paths"][PATH]["post"]
    assert operation["operationId"] == "generate_stream"
    assert "text/event-stream" in operation["responses"]["200"]["content"]
    assert {"401", "413", "422", "502", "503", "504"} <= set(operation["responses"])
    assert operation["security"]
