"""Sign-in, sign-up, password reset and the token endpoint are throttled: 429, Retry-After."""

import pytest
from django.test import Client, override_settings
from rest_framework.settings import api_settings
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from ..throttles import AuthRateThrottle

pytestmark = pytest.mark.django_db
AUTH = "/_allauth/app/v1/auth"
RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "auth": "3/minute"}


@pytest.fixture(autouse=True)
def _three_a_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    # DRF reads the rates once, at import: patch where the throttles look them up.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", RATES)


def assert_throttled(response: object) -> None:
    assert response.status_code == 429  # type: ignore[attr-defined]
    assert int(response["Retry-After"]) > 0  # type: ignore[index]
    assert "detail" in response.json()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (f"{AUTH}/login", {"email": "ada@example.com", "password": "wrong-password"}),
        (f"{AUTH}/signup", {"email": "not-an-address", "password": "x"}),
        (f"{AUTH}/password/request", {"email": "ada@example.com"}),
        (f"{AUTH}/password/reset", {"key": "1-nope", "password": "staple-battery-horse"}),
    ],
)
def test_the_headless_api_throttles(path: str, body: dict[str, str]) -> None:
    client = Client()
    for _ in range(3):
        assert client.post(path, body, content_type="application/json").status_code != 429
    assert_throttled(client.post(path, body, content_type="application/json"))


def test_each_action_counts_apart() -> None:
    client = Client()
    body = {"email": "ada@example.com", "password": "wrong-password"}
    for _ in range(4):
        client.post(f"{AUTH}/login", body, content_type="application/json")
    request = client.post(f"{AUTH}/password/request", {"email": "ada@example.com"},
                          content_type="application/json")  # fmt: skip
    assert request.status_code == 200


def test_the_token_endpoint_throttles(api_client: APIClient) -> None:
    for _ in range(3):
        api_client.post("/api/auth/token/", {"username": "ada", "password": "no"})
    assert_throttled(api_client.post("/api/auth/token/", {"username": "ada", "password": "no"}))


def test_the_schema_documents_the_429(api_client: APIClient) -> None:
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    throttled = schema["paths"]["/api/auth/token/"]["post"]["responses"]["429"]
    assert "Retry-After" in throttled["headers"]
    others = [op for path, ops in schema["paths"].items() if path != "/api/auth/token/"
              for op in ops.values()]  # fmt: skip
    assert all("429" not in operation["responses"] for operation in others)


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}})
def test_nothing_counted_nobody_throttled() -> None:
    """A cache that keeps nothing (Redis down, core/cache.py): sign-in carries on."""
    client = Client()
    body = {"email": "ada@example.com", "password": "wrong-password"}
    for _ in range(5):
        assert (
            client.post(f"{AUTH}/login", body, content_type="application/json").status_code != 429
        )


def test_a_client_is_its_address() -> None:
    throttle = AuthRateThrottle("sign_in")
    request = Client().get("/").wsgi_request
    assert throttle.get_cache_key(request, None) == "throttle_auth_sign_in_127.0.0.1"
