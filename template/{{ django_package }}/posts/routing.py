"""WebSocket routes of the posts app (config/asgi.py mounts them)."""

from typing import Any

from django.urls import path

from .consumers import PostFeedConsumer

# Channels routes ASGI applications with Django's path(); the stubs of each library know only
# their own side, hence the ignore and the plain list type.
websocket_urlpatterns: list[Any] = [
    path("ws/posts/", PostFeedConsumer.as_asgi()),  # type: ignore[arg-type]
]
