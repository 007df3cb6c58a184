"""What the API accepts and returns for users."""

from pydantic import EmailStr
from sqlmodel import Field, SQLModel

from ..fields import Text


class UserCreate(SQLModel):
    email: EmailStr = Field(max_length=255)
    password: str = Field(min_length=8, max_length=128)
    full_name: Text = Field(default="", max_length=255)


class UserPublic(SQLModel):
    id: int
    email: str
    full_name: str
    is_active: bool
