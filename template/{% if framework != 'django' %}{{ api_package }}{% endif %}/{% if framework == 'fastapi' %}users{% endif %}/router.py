"""The /api/users endpoints."""

from fastapi import APIRouter

from ..auth.dependencies import CurrentUser
from .schemas import UserPublic

router = APIRouter(prefix="/api/users", tags=["users"])


@router.get("/me")
async def read_me(user: CurrentUser) -> UserPublic:
    """The signed-in user."""
    return UserPublic.model_validate(user)
