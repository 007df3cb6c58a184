"""Probes for load balancers and orchestrators.

`/health` says the process is alive and does no I/O, so it stays cheap under load. `/ready`
says whether the app can serve real traffic: it checks the database, and answers 503 with a
JSON body naming what is down.
"""

from typing import Literal

from fastapi import APIRouter, Response, status
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .database import SessionDep

router = APIRouter(tags=["probes"])


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    status: Literal["ok", "unavailable"]
    checks: dict[str, Literal["up", "down"]]


@router.get("/health")
async def health() -> Health:
    """Liveness: the process answers."""
    return Health()


@router.get("/ready", responses={503: {"model": Readiness, "description": "Something is down"}})
async def ready(session: SessionDep, response: Response) -> Readiness:
    """Readiness: the database answers."""
    try:
        await session.exec(text("SELECT 1"))  # type: ignore[call-overload]
    except (SQLAlchemyError, OSError):
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return Readiness(status="unavailable", checks={"database": "down"})
    return Readiness(status="ok", checks={"database": "up"})
