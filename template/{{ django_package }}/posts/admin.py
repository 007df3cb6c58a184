"""Posts in the admin: searchable, filterable, with a bulk publish action."""

from typing import TYPE_CHECKING

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import Post
from .services import post_publish

# ModelAdmin is generic for type checkers only (it cannot be subscripted at run time).
if TYPE_CHECKING:
    ModelAdmin = admin.ModelAdmin[Post]
else:
    ModelAdmin = admin.ModelAdmin


@admin.register(Post)
class PostAdmin(ModelAdmin):
    list_display = ["title", "author", "category", "published", "created_at"]
    list_filter = ["published", "category", "created_at"]
    search_fields = ["title", "content", "author__username"]
    date_hierarchy = "created_at"
    # One query for the page of posts and their authors, however long the list.
    list_select_related = ["author"]
    # A search box instead of a <select> with every user in it.
    autocomplete_fields = ["author"]
    readonly_fields = ["created_at", "updated_at"]
    actions = ["publish"]

    @admin.action(description="Publish the selected posts")
    def publish(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        count = post_publish(posts=queryset)
        self.message_user(request, f"Published {count} post(s).", messages.SUCCESS)
