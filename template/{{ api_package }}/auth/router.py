"""Signing up and logging in (OAuth2 password flow, issuing JWT access tokens)."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.security import OAuth2PasswordRequestForm

from ..database import SessionDep
from ..dependencies import SettingsDep
from ..errors import errors
from ..users.schemas import UserCreate, UserPublic
from ..users.service import EmailTakenError, user_authenticate, user_create
from .schemas import Token
from .security import create_access_token

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post(
    "/signup",
    status_code=status.HTTP_201_CREATED,
    responses=errors(409, 413, 503, _409="The email is already registered"),
)
async def signup(data: UserCreate, session: SessionDep) -> UserPublic:
    """Create an account."""
    try:
        user = await user_create(session=session, data=data)
    except EmailTakenError:
        raise HTTPException(status.HTTP_409_CONFLICT, "This email is already registered") from None
    return UserPublic.model_validate(user)


@router.post("/login", responses=errors(401, 413, 503, _401="Incorrect email or password"))
async def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
) -> Token:
    """Exchange an email (as `username`) and password for an access token."""
    user = await user_authenticate(session=session, email=form.username, password=form.password)
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Incorrect email or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    assert user.id is not None
    return Token(access_token=create_access_token(user_id=user.id, settings=settings))
