"""A database outage is a JSON 503, and the app recovers on its own (not in the default run).

The app's database connection goes through a TCP relay (tcp_proxy.py) the test cuts, as when
PostgreSQL restarts or the network drops: `/ready` and a database-backed API answer 503 with a
JSON body within a couple of seconds (no 500, no hanging request), and once the database is
back the same requests succeed again, without restarting anything. Needs PostgreSQL
(DATABASE_URL), as in CI: `make contract` runs it.
"""

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import close_old_connections, connection
from django.test import Client

from .tcp_proxy import TcpProxy

pytestmark = [pytest.mark.outage, pytest.mark.django_db(transaction=True)]

TOKEN = "/api/auth/token/"
# Bad credentials: normally a 400, after reading the users table.
WRONG = {"username": "nobody", "password": "not-this-one"}


@pytest.fixture
def proxy() -> Iterator[TcpProxy]:
    """Django's connection, through a relay the test can cut."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://... (CI does)")
    settings = connection.settings_dict
    original = settings["HOST"], settings["PORT"]
    with TcpProxy(original[0] or "127.0.0.1", int(original[1] or 5432)) as relay:
        connection.close()
        settings["HOST"], settings["PORT"] = "127.0.0.1", relay.port
        try:
            yield relay
        finally:
            connection.close()
            settings["HOST"], settings["PORT"] = original


def timed(send: Callable[[], Any]) -> tuple[Any, float]:
    started = time.monotonic()
    return send(), time.monotonic() - started


def test_an_outage_is_a_json_503_and_recovers(client: Client, proxy: TcpProxy) -> None:
    assert client.get("/ready").status_code == 200
    assert client.post(TOKEN, WRONG).status_code == 400

    proxy.cut()
    for send in (lambda: client.get("/ready"), lambda: client.post(TOKEN, WRONG)):
        response, seconds = timed(send)
        # What Django's handler does after each request (its test client does not): drop a
        # connection that failed, so the next request connects anew.
        close_old_connections()
        assert response.status_code == 503, response.content
        assert response["Content-Type"] == "application/json"
        assert response.json(), response.content
        assert seconds < 5

    proxy.restore()
    deadline = time.monotonic() + 10
    while client.get("/ready").status_code != 200:
        close_old_connections()
        assert time.monotonic() < deadline, "the app did not recover"
        time.sleep(0.2)
    assert client.post(TOKEN, WRONG).status_code == 400
