"""The API's representation of posts."""

from typing import Any

from rest_framework import serializers

from ..users.models import User
from .models import Post


class AuthorSerializer(serializers.ModelSerializer[User]):
    class Meta:  # pyright: ignore[reportIncompatibleVariableOverride] - the stubs' Meta is a placeholder
        model = User
        fields = ["id", "username"]
        read_only_fields = fields


class PostSerializer(serializers.ModelSerializer[Post]):
    author = AuthorSerializer(read_only=True)

    class Meta:  # pyright: ignore[reportIncompatibleVariableOverride] - the stubs' Meta is a placeholder
        model = Post
        fields = [
            "id",
            "title",
            "content",
            "category",
            "published",
            "author",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "author", "created_at", "updated_at"]


# The list's read path (posts/api.py) needs no serializer per post: the columns the page shows,
# read with values(), shaped as PostSerializer shapes a post. A test holds the two equal.
LIST_VALUES = (
    "id",
    "title",
    "content",
    "category",
    "published",
    "author_id",
    "author__username",
    "created_at",
    "updated_at",
)


def post_representation(row: dict[str, Any]) -> dict[str, Any]:
    """A post as PostSerializer represents it, from a row of LIST_VALUES."""
    return {
        "id": row["id"],
        "title": row["title"],
        "content": row["content"],
        "category": row["category"],
        "published": row["published"],
        "author": {"id": row["author_id"], "username": row["author__username"]},
        # Datetimes as they are: the JSON renderer writes them as the serializer does.
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }
