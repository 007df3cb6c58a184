"""Query-string filters for the posts list."""

import django_filters

from .models import Post


class PostFilter(django_filters.FilterSet):
    class Meta:
        model = Post
        fields = ["category", "published", "author"]
