"""Caching the public posts list in Redis, and forgetting it when posts change.

Anonymous readers all see the same pages, so a page is cached by its query. Every create,
update or delete bumps a version number that is part of the key: the next read misses and
sees the change, and old entries expire on their own. The version is read before the
database, so a page read while a write lands is stored under the old version, which nobody
reads any more.

Redis being down never fails a request: the list is read from the database instead, and the
problem is logged.
"""

import logging
from typing import Annotated

from fastapi import Depends
from redis.asyncio import Redis
from redis.exceptions import RedisError

from ..dependencies import RedisDep
from .schemas import PostsPublic

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 60


class PostsCache:
    def __init__(self, redis: Redis, prefix: str = "posts:list") -> None:
        self.redis = redis
        self.prefix = prefix
        self.version_key = f"{prefix}:version"

    async def lookup(self, query: str) -> tuple[str | None, PostsPublic | None]:
        """The key to store this page under (None when Redis is down), and the cached page."""
        try:
            version = int(await self.redis.get(self.version_key) or 0)
            key = f"{self.prefix}:{version}:{query}"
            cached = await self.redis.get(key)
        except (RedisError, OSError):
            logger.warning("Redis is unavailable: reading the posts list uncached", exc_info=True)
            return None, None
        return key, None if cached is None else PostsPublic.model_validate_json(cached)

    async def store(self, key: str | None, page: PostsPublic) -> None:
        if key is None:
            return
        try:
            await self.redis.set(key, page.model_dump_json(), ex=TIMEOUT_SECONDS)
        except (RedisError, OSError):
            logger.warning("Redis is unavailable: the posts list was not cached", exc_info=True)

    async def invalidate(self) -> None:
        """Make every cached page stale (call it after each change to posts)."""
        try:
            await self.redis.incr(self.version_key)
        except (RedisError, OSError):
            logger.error(
                "Redis is unavailable: cached posts lists may be stale for up to %s s",
                TIMEOUT_SECONDS,
                exc_info=True,
            )


async def get_posts_cache(redis: RedisDep) -> PostsCache:
    return PostsCache(redis)


PostsCacheDep = Annotated[PostsCache, Depends(get_posts_cache)]
