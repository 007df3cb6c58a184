"""Reading posts: who may see what, and without N+1 queries."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet

from .models import Post


def post_list(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Post]:
    """Published posts, plus the user's own drafts; authors fetched in the same query."""
    visible = Q(published=True)
    if user.is_authenticated:
        visible |= Q(author_id=user.pk)
    return Post.objects.filter(visible).select_related("author")


def post_get(*, user: AbstractBaseUser | AnonymousUser, post_id: int) -> Post:
    """One visible post; raises Post.DoesNotExist for a missing post or someone else's draft."""
    return post_list(user=user).get(pk=post_id)


def post_report() -> dict[str, object]:
    """Counts of posts, in all and published, per category (what the report task exports)."""
    by_category = {
        row["category"]: {"total": row["total"], "published": row["published"]}
        for row in Post.objects.values("category")
        .annotate(total=Count("id"), published=Count("id", filter=Q(published=True)))
        .order_by("category")
    }
    return {
        "total": sum(counts["total"] for counts in by_category.values()),
        "published": sum(counts["published"] for counts in by_category.values()),
        "by_category": by_category,
    }
