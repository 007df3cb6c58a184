"""What the account endpoints accept, and the tokens they issue."""

from typing import Literal

from pydantic import EmailStr
from sqlmodel import Field, SQLModel

from ..users.schemas import PASSWORD_MAX, PASSWORD_MIN

# Longer than any token this API issues, short enough to refuse junk before decoding it.
TOKEN_MAX = 1000


class Token(SQLModel):
    """A short-lived access token (send it as `Authorization: Bearer <token>`) and the
    refresh token that gets the next one (POST /api/auth/refresh); each refresh token works
    once."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - a token type, not a secret
    # Seconds the access token stays valid.
    expires_in: int
    refresh_token: str


class RefreshRequest(SQLModel):
    refresh_token: str = Field(min_length=1, max_length=TOKEN_MAX)


class EmailTokenRequest(SQLModel):
    """The token from the link in an e-mail (its `token` query parameter)."""

    token: str = Field(min_length=1, max_length=TOKEN_MAX)


class EmailRequest(SQLModel):
    email: EmailStr = Field(max_length=255)


class PasswordReset(SQLModel):
    token: str = Field(min_length=1, max_length=TOKEN_MAX)
    password: str = Field(min_length=PASSWORD_MIN, max_length=PASSWORD_MAX)


class PasswordChange(SQLModel):
    current_password: str = Field(max_length=PASSWORD_MAX)
    new_password: str = Field(min_length=PASSWORD_MIN, max_length=PASSWORD_MAX)


class Message(SQLModel):
    """What happened, in words."""

    detail: str
