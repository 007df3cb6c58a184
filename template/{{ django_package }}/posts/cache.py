"""Caching the public posts list, and forgetting it when posts change.

Anonymous readers all see the same pages, so their responses are cached by URL. Every saved
or deleted post (through the API, the admin, a task or a shell) bumps a version number that
is part of the key: the next read misses and sees the change, and old entries expire on
their own.
"""

import hashlib

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Post

VERSION_KEY = "posts:list:version"
TIMEOUT = 60


def list_key(path: str) -> str:
    """The key of one page: the URL's digest, so any query string (as long as a client makes
    it) gives a key of the same short length."""
    version = cache.get_or_set(VERSION_KEY, 1, timeout=None)
    digest = hashlib.sha256(path.encode()).hexdigest()
    return f"posts:list:{version}:{digest}"


def invalidate() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet: nothing cached under one either
        cache.set(VERSION_KEY, 1, timeout=None)


@receiver([post_save, post_delete], sender=Post)
def _forget_cached_lists(**_kwargs: object) -> None:
    invalidate()
