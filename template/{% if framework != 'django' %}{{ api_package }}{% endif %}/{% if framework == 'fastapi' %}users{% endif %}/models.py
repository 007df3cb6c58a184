"""The users table."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from ..timestamps import TIMESTAMP, utcnow


class UserBase(SQLModel):
    email: str = Field(max_length=255, unique=True, index=True)
    full_name: str = Field(default="", max_length=255)


class User(UserBase, table=True):
    __tablename__ = "users"  # "user" is a reserved word in PostgreSQL

    id: int | None = Field(default=None, primary_key=True)
    hashed_password: str = Field(max_length=255)
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=TIMESTAMP)
