"""The WebSocket end of the live feed: /ws/posts/ receives each new published post as JSON."""

from channels.generic.websocket import AsyncWebsocketConsumer

from .feed import GROUP


class PostFeedConsumer(AsyncWebsocketConsumer):
    """Anyone may listen (the posts are public); clients send nothing."""

    async def connect(self) -> None:
        await self.channel_layer.group_add(GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(GROUP, self.channel_name)

    async def post_published(self, event: dict[str, str]) -> None:
        """A `post.published` message from feed.broadcast(): already JSON, passed on as is."""
        await self.send(text_data=event["text"])
