"""Tokens the API issues."""

from typing import Literal

from sqlmodel import SQLModel


class Token(SQLModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - a token type, not a secret
