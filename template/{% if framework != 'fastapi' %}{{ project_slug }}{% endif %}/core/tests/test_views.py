from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client


def test_health_is_ok_without_touching_the_database(client: Client) -> None:
    # No django_db mark: any database access here would fail the test.
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_ready_checks_the_database(client: Client) -> None:
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "up"}}


@pytest.mark.django_db
def test_ready_is_503_with_json_when_the_database_is_down(client: Client) -> None:
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/ready")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "down"}}


def test_probes_refuse_writes(client: Client) -> None:
    assert client.post("/health").status_code == 405
