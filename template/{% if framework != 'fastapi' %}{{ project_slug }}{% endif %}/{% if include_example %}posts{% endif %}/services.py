"""Changing posts. Views, admin actions and tasks call these instead of touching the model."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from .models import Post

EDITABLE_FIELDS = frozenset({"title", "content", "category", "published"})


def post_create(
    *,
    author: AbstractBaseUser,
    title: str,
    content: str,
    category: str = Post.Category.GENERAL,
    published: bool = False,
) -> Post:
    post = Post(author=author, title=title, content=content, category=category, published=published)
    post.full_clean()
    post.save()
    return post


def post_update(*, post: Post, data: dict[str, object]) -> Post:
    """Change the editable fields present in `data`; other keys are an error."""
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    for field, value in data.items():
        setattr(post, field, value)
    post.full_clean()
    post.save(update_fields=[*data, "updated_at"])
    return post


def post_delete(*, post: Post) -> None:
    post.delete()


@transaction.atomic
def post_publish(*, posts: Iterable[Post]) -> int:
    """Publish several posts at once (the admin's bulk action); returns how many changed."""
    ids = [post.pk for post in posts if not post.published]
    return Post.objects.filter(pk__in=ids).update(published=True)
