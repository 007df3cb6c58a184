"""Background tasks for posts: thin wrappers around the service, run by the Celery workers."""

import asyncio

from sqlalchemy.exc import InterfaceError, OperationalError
from sqlmodel.ext.asyncio.session import AsyncSession

from ..celery import app
from ..config import get_settings
from ..database import create_engine
from .service import post_report


@app.task(
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
