"""Signing in to the API, and the signed-in user of a request."""

from allauth.account.models import EmailAddress
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from ..accounts.throttles import TokenThrottle
from ..core.schema import THROTTLED
from .models import User


def request_user(request: Request) -> User:
    """The signed-in user (views that require one); NotAuthenticated (401) for anyone else."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated
    return user


class VerifiedAuthTokenSerializer(AuthTokenSerializer):
    """The right username and password, of a user whose e-mail address is verified."""

    def validate(self, attrs: dict[str, object]) -> dict[str, object]:
        attrs = super().validate(attrs)
        if not EmailAddress.objects.filter(user=attrs["user"], verified=True).exists():
            message = _("Verify your e-mail address first: follow the link mailed to you.")
            raise serializers.ValidationError(message, code="unverified")
        return attrs


class TokenView(ObtainAuthToken):
    """POST a username and password, get the user's API token (send it as `Token <key>`).

    Only for users whose e-mail address is verified, like signing in through allauth; at most
    AUTH_RATE_LIMIT tries per client (429 with Retry-After beyond).
    """

    # Anyone may ask: the schema says so (no credentials needed).
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [TokenThrottle]
    serializer_class = VerifiedAuthTokenSerializer

    # Forms are accepted too (`curl -d`), but the schema documents JSON, like the rest of the
    # API: one request schema, which typed clients need.
    @extend_schema(
        operation_id="auth_token_create",
        request={"application/json": AuthTokenSerializer},
        extensions=THROTTLED,
    )
    def post(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().post(request, *args, **kwargs)
