"""The token an API client gets when it signs in through allauth's headless API.

allauth's "app" clients carry a session token (`X-Session-Token`) through the sign-in flow.
Once signed in, this strategy also hands them an access token that the rest of the API
accepts: the user's DRF token, the one `/api/auth/token/` returns. Sent as
`Authorization: Token <key>`, it works on /api/... and on the Hybrid's FastAPI service, which
reads the same token table. Changing or resetting the password, or signing out through the
headless API, deletes it (receivers.py), so a leaked token dies with the old password.
"""

from allauth.headless.tokens.strategies.sessions import SessionTokenStrategy
from django.http import HttpRequest
from rest_framework.authtoken.models import Token


class DrfTokenStrategy(SessionTokenStrategy):  # type: ignore[misc]  # allauth: untyped
    def create_access_token(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        token, _ = Token.objects.get_or_create(user=request.user)
        return str(token.key)
