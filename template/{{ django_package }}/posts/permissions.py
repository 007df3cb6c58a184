"""Who may change a post."""

from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.views import APIView

from .models import Post


class IsAuthorOrReadOnly(permissions.BasePermission):
    """Anyone may read; only the post's author may change or delete it."""

    message = "Only the author of a post may change it."

    def has_object_permission(self, request: Request, view: APIView, obj: Post) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return obj.author_id == request.user.pk
