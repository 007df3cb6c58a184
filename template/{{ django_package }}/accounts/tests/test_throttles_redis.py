"""Redis down: the throttles count nothing and refuse nobody (core/cache.py).

allauth's own rate limits would answer 429 to every sign-in here (they must take a lock in the
cache first), which is why they are off and these are used instead.
"""

import pytest
from django.test import Client, override_settings
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from ...core.cache import FaultTolerantRedisCache

pytestmark = pytest.mark.django_db
DEAD_REDIS = {
    "default": {
        "BACKEND": f"{FaultTolerantRedisCache.__module__}.FaultTolerantRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


@override_settings(CACHES=DEAD_REDIS)
def test_sign_in_carries_on_while_redis_is_down(monkeypatch: pytest.MonkeyPatch) -> None:
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "auth": "2/minute"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    client = Client()
    body = {"email": "ada@example.com", "password": "wrong-password"}
    for _ in range(4):
        response = client.post("/_allauth/app/v1/auth/login", body, content_type="application/json")
        assert response.status_code == 400  # a wrong password, never a 429
