"""Signing in to the API, and the signed-in user of a request."""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from .models import User


def request_user(request: Request) -> User:
    """The signed-in user (views that require one); NotAuthenticated (401) for anyone else."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated
    return user


class TokenView(ObtainAuthToken):
    """POST a username and password, get the user's API token (send it as `Token <key>`)."""

    # Anyone may ask: the schema says so (no credentials needed).
    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    # Forms are accepted too (`curl -d`), but the schema documents JSON, like the rest of the
    # API: one request schema, which typed clients need.
    @extend_schema(
        operation_id="auth_token_create", request={"application/json": AuthTokenSerializer}
    )
    def post(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().post(request, *args, **kwargs)
