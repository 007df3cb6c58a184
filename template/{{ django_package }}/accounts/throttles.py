"""Throttling of sign-in, sign-up and password reset: 429 with `Retry-After`.

One mechanism for every way in: DRF's rate throttle, counted per client (IP address) and per
action in the cache (Redis when there is one, so every process counts together). The rate is
AUTH_RATE_LIMIT (`10/minute` by default) per client and action.

- The DRF token endpoint (`/api/auth/token/`) declares `TokenThrottle`: DRF answers 429
  `{"detail": "..."}` with `Retry-After`.
- allauth's views (the headless API under /_allauth/ and the pages under /accounts/) are not
  DRF views: `AuthThrottleMiddleware` applies the same throttle to their POSTs, answering 429
  JSON (headless) or the 429 page (pages), with `Retry-After`.

allauth's own rate limits are off (settings: ACCOUNT_RATE_LIMITS = False): they take a lock in
the cache first and refuse the request when it cannot, so a Redis outage would turn every
sign-in into a 429. These fail open instead: while Redis is down (core/cache.py) nothing is
counted and nobody is throttled.
"""

import math
from collections.abc import Callable
from typing import Any, cast

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

# The allauth views throttled, by view name, and the action each one counts under.
THROTTLED_VIEWS = {
    "headless:app:account:login": "sign_in",
    "headless:app:account:signup": "sign_up",
    "headless:app:account:request_password_reset": "password_reset",
    "headless:app:account:reset_password": "password_reset_key",
    "headless:app:account:verify_email": "verify_email",
    "account_login": "sign_in",
    "account_signup": "sign_up",
    "account_reset_password": "password_reset",
    "account_reset_password_from_key": "password_reset_key",
    "account_email_verification_sent": "verify_email",
    "account_confirm_email": "verify_email",
}


class AuthRateThrottle(SimpleRateThrottle):
    """AUTH_RATE_LIMIT per client, counted separately for each action."""

    scope = "auth"  # REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["auth"]

    def __init__(self, action: str = "token") -> None:
        super().__init__()
        self.action = action

    def get_cache_key(self, request: Any, view: object) -> str:
        return self.cache_format % {
            "scope": f"auth_{self.action}",
            "ident": self.get_ident(request),
        }

    def allows(self, request: HttpRequest) -> bool:
        """For views outside DRF (allauth's): counts this request, False beyond the rate."""
        # DRF's throttle reads only the request's META (the client address) and passes the
        # view to get_cache_key, which ignores it: a plain HttpRequest and no view will do.
        return self.allow_request(cast("Request", request), cast("APIView", None))


class TokenThrottle(AuthRateThrottle):
    """`/api/auth/token/` (users/api.py)."""


def retry_after(throttle: AuthRateThrottle) -> int:
    return max(1, math.ceil(throttle.wait() or 1))


class AuthThrottleMiddleware:
    """Throttle the POSTs to allauth's sign-in, sign-up, reset and verification views."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: object, args: object, kwargs: object
    ) -> HttpResponse | None:
        match = request.resolver_match
        action = THROTTLED_VIEWS.get(match.view_name) if match else None
        if action is None or request.method != "POST":
            return None
        throttle = AuthRateThrottle(action)
        if throttle.allows(request):
            return None
        seconds = retry_after(throttle)
        headers = {"Retry-After": str(seconds)}
        if request.path.startswith("/_allauth/"):
            detail = f"Too many attempts. Try again in {seconds} seconds."
            return JsonResponse({"detail": detail}, status=429, headers=headers)
        response = render(request, "429.html", {"retry_after": seconds}, status=429)
        response["Retry-After"] = headers["Retry-After"]
        return response
