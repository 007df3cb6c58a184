"""The live feed, through Channels' own test communicator: new published posts reach /ws/posts/."""

import json
import logging
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from rest_framework.test import APIClient

from config.asgi import application

from ...users.models import User
from ...users.tests.factories import UserFactory
from .. import feed
from ..services import post_create
from .factories import PostFactory

# The messages cross the channel layer after the write's transaction commits: real commits.
pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://localhost")


def feed_client(*headers: tuple[bytes, bytes]) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, "/ws/posts/", headers=list(headers))


@sync_to_async
def create_through_the_api(author: User, **body: Any) -> dict[str, Any]:
    client = APIClient()
    client.force_authenticate(author)
    response = client.post("/api/posts/", {"title": "Live", "content": "Now", **body})
    assert response.status_code == 201, response.content
    return dict(response.json())


def test_a_new_published_post_reaches_the_feed_without_the_authors_email() -> None:
    async def scenario() -> None:
        listener = feed_client(ORIGIN)
        connected, _ = await listener.connect()
        assert connected  # anonymous: anyone may listen
        writer = await sync_to_async(UserFactory.create)(username="writer")
        await create_through_the_api(writer, title="Draft")  # a draft is not announced
        created = await create_through_the_api(writer, published=True)
        message = json.loads(await listener.receive_from(timeout=2))
        assert message == created  # what the API answered, field for field
        assert message["title"] == "Live"
        assert message["author"] == {"id": created["author"]["id"], "username": "writer"}
        assert "email" not in json.dumps(message)
        assert await listener.receive_nothing()
        await listener.disconnect()

    async_to_sync(scenario)()


def test_posts_saved_outside_the_api_are_announced_too() -> None:
    # The admin, the pages and tasks save through the model: the receiver sees them all.
    async def scenario() -> None:
        listener = feed_client(ORIGIN)
        assert (await listener.connect())[0]
        post = await sync_to_async(PostFactory.create)(title="From the admin")
        message = json.loads(await listener.receive_from(timeout=2))
        assert (message["id"], message["title"]) == (post.pk, "From the admin")
        await listener.disconnect()

    async_to_sync(scenario)()


@pytest.mark.parametrize(
    "headers",
    [[(b"origin", b"https://evil.example")], []],  # another site's page; no Origin at all
    ids=["foreign-origin", "no-origin"],
)
def test_a_socket_from_another_origin_is_refused(headers: list[tuple[bytes, bytes]]) -> None:
    async def scenario() -> None:
        connected, _ = await feed_client(*headers).connect()
        assert not connected

    async_to_sync(scenario)()


def test_with_the_channel_layer_down_the_post_is_still_saved(monkeypatch, caplog) -> None:
    class DownLayer:
        async def group_send(self, group: str, message: dict[str, str]) -> None:
            raise ConnectionError("Redis is down")

    monkeypatch.setattr(feed, "get_channel_layer", DownLayer)
    with caplog.at_level(logging.WARNING, logger=feed.__name__):
        post = post_create(author=UserFactory.create(), title="Kept", content="x", published=True)
    assert post.pk is not None
    assert "not sent to the live feed" in caplog.text
