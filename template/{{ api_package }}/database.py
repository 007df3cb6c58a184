"""The async database engine, the per-request session, and what clients get during an outage."""

import logging
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request, status
from fastapi.responses import JSONResponse
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from .config import Settings

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5


def create_engine(settings: Settings) -> AsyncEngine:
    return create_async_engine(
        settings.async_database_url,
        # Notice connections a restarted database closed, instead of failing a request.
        pool_pre_ping=True,
        pool_size=settings.database_pool_size,
        max_overflow=0,
        pool_timeout=settings.database_pool_timeout,
    )


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with AsyncSession(request.app.state.engine, expire_on_commit=False) as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]

# Errors that mean "the database cannot be reached right now" (down, restarting, failing
# over, or every pooled connection busy for too long), not a bug: clients get 503 and
# Retry-After, and the pool reconnects by itself.
UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeoutError)


async def database_unavailable(_request: Request, error: Exception) -> JSONResponse:
    logger.error("The database is unavailable: %s", error)
    return JSONResponse(
        {"detail": "The database is unavailable; try again shortly."},
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )
