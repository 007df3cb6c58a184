"""The API's representation of posts."""

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
