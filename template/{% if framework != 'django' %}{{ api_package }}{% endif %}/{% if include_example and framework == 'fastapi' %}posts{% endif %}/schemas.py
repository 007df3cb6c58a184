"""What the API accepts and returns for posts."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from ..users.schemas import UserPublic
from .models import Category, PostBase


class PostCreate(PostBase):
    pass


class PostUpdate(SQLModel):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    content: str | None = Field(default=None, min_length=1)
    category: Category | None = None
    published: bool | None = None


class PostPublic(PostBase):
    id: int
    author: UserPublic
    created_at: datetime
    updated_at: datetime


class PostsPublic(SQLModel):
    data: list[PostPublic]
    count: int
    limit: int
    offset: int
