"""Channels' layer: Redis when REDIS_URL is set, in-process without it; production needs Redis."""

import importlib
import sys
from types import ModuleType

import pytest
from django.core.exceptions import ImproperlyConfigured

from .test_settings import production_settings


def base_settings(monkeypatch: pytest.MonkeyPatch, redis_url: str | None) -> ModuleType:
    if redis_url is None:
        monkeypatch.delenv("REDIS_URL", raising=False)
    else:
        monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.delitem(sys.modules, "config.settings.base", raising=False)
    settings = importlib.import_module("config.settings.base")
    monkeypatch.delitem(sys.modules, "config.settings.base")  # the next import reads afresh
    return settings


def test_without_redis_url_the_layer_is_in_process(monkeypatch) -> None:
    layer = base_settings(monkeypatch, None).CHANNEL_LAYERS["default"]
    assert layer == {"BACKEND": "channels.layers.InMemoryChannelLayer"}


def test_with_redis_url_the_layer_is_redis(monkeypatch) -> None:
    layer = base_settings(monkeypatch, "redis://redis:6379/3").CHANNEL_LAYERS["default"]
    assert layer["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    assert layer["CONFIG"]["hosts"][0]["address"] == "redis://redis:6379/3"


def test_production_refuses_the_in_process_layer(monkeypatch) -> None:
    # Several processes serve the sockets: a post saved in one must reach the others.
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL must be set"):
        production_settings(monkeypatch, REDIS_URL="")


def test_the_asgi_application_routes_websockets_through_channels() -> None:
    from channels.routing import ProtocolTypeRouter

    from config import asgi

    assert isinstance(asgi.application, ProtocolTypeRouter)
    assert set(asgi.application.application_mapping) == {"http", "websocket"}
