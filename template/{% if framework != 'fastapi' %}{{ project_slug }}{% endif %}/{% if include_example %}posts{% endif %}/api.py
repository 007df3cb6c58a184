"""The posts API: a thin layer that parses input, calls a service and formats the output."""

from django.db.models import QuerySet
from rest_framework import permissions, viewsets
from rest_framework.serializers import BaseSerializer

from ..core.pagination import PageNumberPagination
from .filters import PostFilter
from .models import Post
from .permissions import IsAuthorOrReadOnly
from .selectors import post_list
from .serializers import PostSerializer
from .services import post_create, post_delete, post_update


class PostViewSet(viewsets.ModelViewSet):
    """Posts: anyone may list and read published posts; authors manage their own."""

    serializer_class = PostSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, IsAuthorOrReadOnly]
    pagination_class = PageNumberPagination
    filterset_class = PostFilter
    ordering_fields = ["created_at", "title"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self) -> QuerySet[Post]:
        return post_list(user=self.request.user)

    def perform_create(self, serializer: BaseSerializer[Post]) -> None:
        serializer.instance = post_create(author=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: BaseSerializer[Post]) -> None:
        serializer.instance = post_update(post=serializer.instance, data=serializer.validated_data)

    def perform_destroy(self, instance: Post) -> None:
        post_delete(post=instance)
