"""Background tasks for posts: thin wrappers around the service, run by the Celery workers.

`shared_task`, not one app's `task`: every Celery app of the project knows them, the
workers' and the web app's (which runs them itself, eagerly, without REDIS_URL).
"""

import asyncio

from celery import shared_task
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlmodel.ext.asyncio.session import AsyncSession

from ..config import get_settings
from ..database import create_engine
from .service import post_report


@shared_task(
    # A database that restarts or drops the connection is worth retrying; bugs are not.
    autoretry_for=(OperationalError, InterfaceError, OSError),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=5,
)
def export_posts_report() -> dict[str, object]:
    """Count the posts per category: the kind of export too slow for a request."""
    return asyncio.run(_report())


async def _report() -> dict[str, object]:
    # A worker runs each task in its own event loop, so it gets its own short-lived engine.
    engine = create_engine(get_settings())
    try:
        async with AsyncSession(engine) as session:
            return await post_report(session=session)
    finally:
        await engine.dispose()
