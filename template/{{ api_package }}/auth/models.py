"""Django REST Framework's API tokens, seen from this service (Django owns the table)."""

from datetime import datetime

from sqlalchemy import BigInteger, Column, ForeignKey
from sqlmodel import Field, SQLModel

from ..timestamps import TIMESTAMP


class Token(SQLModel, table=True):
    """Django REST Framework's API tokens (authtoken.Token -> authtoken_token)."""

    __tablename__ = "authtoken_token"  # pyright: ignore[reportAssignmentType]

    key: str = Field(primary_key=True, max_length=40)
    user_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("users_user.id"), unique=True, nullable=False)
    )
    created: datetime = Field(sa_type=TIMESTAMP)
