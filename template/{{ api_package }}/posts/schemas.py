"""What the API accepts and returns for posts."""

from datetime import datetime

from pydantic import field_validator
from pydantic.json_schema import SkipJsonSchema
from sqlmodel import Field, SQLModel

from ..fields import Text
from ..users.schemas import AuthorPublic
from .models import MAX_CONTENT, MAX_TITLE, Category, PostBase


class PostCreate(PostBase):
    # The table's text column has no length; the API caps what one post may hold.
    content: Text = Field(min_length=1, max_length=MAX_CONTENT)


class PostUpdate(SQLModel):
    """The fields to change: leave out the others (null is not a value here)."""

    title: Text | SkipJsonSchema[None] = Field(default=None, min_length=1, max_length=MAX_TITLE)
    content: Text | SkipJsonSchema[None] = Field(default=None, min_length=1, max_length=MAX_CONTENT)
    category: Category | SkipJsonSchema[None] = None
    published: bool | SkipJsonSchema[None] = None

    @field_validator("title", "content", "category", "published", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("leave the field out to keep its value; null is not allowed")
        return value


class PostPublic(PostBase):
    id: int
    author: AuthorPublic
    created_at: datetime
    updated_at: datetime


class PostsPublic(SQLModel):
    data: list[PostPublic]
    count: int
    limit: int
    offset: int
