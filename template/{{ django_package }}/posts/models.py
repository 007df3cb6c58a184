"""The Post model."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models

TITLE_MAX_LENGTH = 200
# A TextField's max_length only reaches forms and serializers: the validator makes the model's
# full_clean() (which the services call) refuse a longer text too.
CONTENT_MAX_LENGTH = 20_000


class Post(models.Model):
    """A blog post, written by a user, public once published."""

    class Category(models.TextChoices):
        GENERAL = "general", "General"
        TECH = "tech", "Technology"
        LIFESTYLE = "lifestyle", "Lifestyle"

    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    content = models.TextField(
        max_length=CONTENT_MAX_LENGTH, validators=[MaxLengthValidator(CONTENT_MAX_LENGTH)]
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    author_id: int  # the column behind `author`, declared for type checkers
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.GENERAL)
    published = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # The lists filter on published and category and sort by newest first.
        indexes = [
            models.Index(fields=["published", "-created_at"], name="post_published_created_idx"),
            models.Index(fields=["category", "-created_at"], name="post_category_created_idx"),
        ]

    def __str__(self) -> str:
        return self.title
