"""The live feed: each new published post, sent to every connected WebSocket (consumers.py).

A receiver, not a service call: the post reaches the feed however it was created (the API,
the admin, the pages, a task, a shell). It is sent once the transaction commits, so a client
never hears of a post that was rolled back, and as the anonymous API shows it (the author's
id and username, no e-mail address): anyone may listen.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from rest_framework.renderers import JSONRenderer

from .models import Post
from .serializers import PostSerializer

logger = logging.getLogger(__name__)

# The channel-layer group every feed consumer joins.
GROUP = "posts"


def broadcast(post: Post) -> None:
    """Send the post to the feed. With the channel layer down the message is lost, not the post."""
    layer = get_channel_layer()
    if layer is None:  # no CHANNEL_LAYERS setting: nobody can be listening
        return
    text = JSONRenderer().render(PostSerializer(post).data).decode()
    try:
        async_to_sync(layer.group_send)(GROUP, {"type": "post.published", "text": text})
    except Exception as error:  # Redis down: the write has happened, the feed misses one post
        logger.warning("post %s not sent to the live feed: %r", post.pk, error)


@receiver(post_save, sender=Post)
def _announce_new_post(instance: Post, created: bool, **_kwargs: object) -> None:
    if created and instance.published:  # drafts are nobody else's business
        transaction.on_commit(lambda: broadcast(instance))
