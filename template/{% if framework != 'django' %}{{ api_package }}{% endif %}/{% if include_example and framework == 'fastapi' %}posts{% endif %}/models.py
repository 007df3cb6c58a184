"""The posts table, and the fields every post representation shares."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, String
from sqlmodel import Field, Relationship, SQLModel

from ..fields import Text
from ..timestamps import TIMESTAMP, utcnow
from ..users.models import User


class Category(StrEnum):
    GENERAL = "general"
    TECH = "tech"
    LIFESTYLE = "lifestyle"


class PostBase(SQLModel):
    title: Text = Field(min_length=1, max_length=200)
    content: Text = Field(min_length=1)
    category: Category = Field(default=Category.GENERAL, sa_type=String(20))
    published: bool = False


class Post(PostBase, table=True):
    __tablename__ = "posts"
    # The list filters on published and category and sorts by newest first.
    __table_args__ = (
        Index("ix_posts_published_created_at", "published", "created_at"),
        Index("ix_posts_category_created_at", "category", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    author_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=TIMESTAMP)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=TIMESTAMP)

    # Never loaded lazily (that would be an N+1 query): queries say when they need it.
    author: User = Relationship(sa_relationship_kwargs={"lazy": "raise"})
