"""`/metrics`: off without METRICS_TOKEN, only for the token, and counts requests by view."""

import pytest
from django.test import Client
from django.urls import get_resolver
from prometheus_client.parser import text_string_to_metric_families

pytestmark = pytest.mark.django_db
TOKEN = "scrape-me"


@pytest.fixture
def metrics_on(settings) -> None:
    settings.METRICS_TOKEN = TOKEN


Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(client: Client) -> Samples:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    samples: Samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def responses(samples: Samples, view: str, status: str, method: str = "GET") -> float:
    labels = (("method", method), ("status", status), ("view", view))
    return samples.get(("django_http_responses_total_by_status_view_method_total", labels), 0)


def test_metrics_are_off_without_a_token(client: Client, settings) -> None:
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.usefixtures("metrics_on")
@pytest.mark.parametrize(
    "authorization", [None, "Bearer wrong", f"Token {TOKEN}", TOKEN, "Bearer é"]
)
def test_metrics_need_the_token(client: Client, authorization: str | None) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    assert client.get("/metrics", headers=headers).status_code == 404


@pytest.mark.usefixtures("metrics_on")
def test_requests_are_counted_by_view_and_status(client: Client) -> None:
    before = scrape(client)
    for _ in range(3):
        assert client.get("/ready").status_code == 200
    assert client.get("/api/no-such-thing/").status_code == 404
    after = scrape(client)
    assert responses(after, "ready", "200") - responses(before, "ready", "200") == 3
    # A path no route matches is one series, never one per raw path.
    assert responses(after, "<unnamed view>", "404") > responses(before, "<unnamed view>", "404")
    assert not [key for key in after if "no-such-thing" in str(key)]
    latency = "django_http_requests_latency_seconds_by_view_method_count"
    assert after[(latency, (("method", "GET"), ("view", "ready")))] >= 3


def test_metrics_are_not_in_the_api_schema(client: Client) -> None:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert not [path for path in schema["paths"] if "metrics" in path]
    assert "metrics" in get_resolver().reverse_dict  # served, outside the API
