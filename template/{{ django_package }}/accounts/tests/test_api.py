"""Accounts through the API (allauth's headless API, "app" clients), as a client uses them.

The mail is captured by Django's locmem backend (`mail.outbox`); the key in its link is what
the client posts back, as an app that opened the link would.
"""

import re
import time
from typing import Any
from unittest import mock
from urllib.parse import unquote

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from ...users.models import User

pytestmark = pytest.mark.django_db
AUTH = "/_allauth/app/v1/auth"
EMAIL = "ada@example.com"
PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "staple-battery-horse"


def post(client: Client, path: str, body: dict[str, Any], session: str = "") -> Any:
    headers = {"X-Session-Token": session} if session else {}
    return client.post(path, body, content_type="application/json", headers=headers)


def key_in_last_mail(to: str) -> str:
    """The key at the end of the link in the last message to `to`."""
    message = mail.outbox[-1]
    assert message.to == [to]
    [link] = re.findall(r"https?://\S+", str(message.body))
    # Quoted in a link to a client application (FRONTEND_URL), as is in a page's link.
    return unquote(str(link).rstrip("/").rsplit("/", 1)[-1])


def sign_up(client: Client, email: str = EMAIL) -> str:
    """Sign up; the session token of the pending sign-up (verification comes next)."""
    response = post(client, f"{AUTH}/signup", {"email": email, "password": PASSWORD})
    assert response.status_code == 401, response.content  # signed up, not yet signed in
    flows = {flow["id"]: flow for flow in response.json()["data"]["flows"]}
    assert flows["verify_email"]["is_pending"]
    return str(response.json()["meta"]["session_token"])


def sign_in(client: Client, email: str = EMAIL, password: str = PASSWORD) -> Any:
    return post(client, f"{AUTH}/login", {"email": email, "password": password})


def verified_user(client: Client) -> User:
    session = sign_up(client)
    verify = post(client, f"{AUTH}/email/verify", {"key": key_in_last_mail(EMAIL)}, session)
    assert verify.status_code == 200
    return User.objects.get(email=EMAIL)


def test_sign_up_verify_then_sign_in_and_use_the_api(client: Client) -> None:
    session = sign_up(client)
    assert len(mail.outbox) == 1
    assert "http://testserver/" in mail.outbox[0].body  # an absolute link to this site
    verified = post(client, f"{AUTH}/email/verify", {"key": key_in_last_mail(EMAIL)}, session)
    assert verified.status_code == 200, verified.content
    assert EmailAddress.objects.get(email=EMAIL).verified
    signed_in = sign_in(Client())
    assert signed_in.status_code == 200, signed_in.content
    meta = signed_in.json()["meta"]
    # The access token is the user's DRF token: the rest of the API (and the Hybrid's
    # service) accepts it.
    assert meta["access_token"] == Token.objects.get(user__email=EMAIL).key
    user, _ = TokenAuthentication().authenticate_credentials(meta["access_token"])
    assert user.email == EMAIL
    assert signed_in.json()["data"]["user"]["email"] == EMAIL


def test_an_unverified_user_cannot_sign_in(client: Client) -> None:
    sign_up(client)
    refused = sign_in(Client())
    assert refused.status_code == 401
    assert "access_token" not in refused.json().get("meta", {})
    token = Client().post("/api/auth/token/", {"username": User.objects.get().username,
                                                "password": PASSWORD})  # fmt: skip
    assert token.status_code == 400
    assert "Verify your e-mail address" in str(token.json())


def test_a_verification_key_works_once(client: Client) -> None:
    sign_up(client)
    key = key_in_last_mail(EMAIL)
    # Opened elsewhere than where the user signed up (no session token): verified, not signed in.
    assert post(Client(), f"{AUTH}/email/verify", {"key": key}).status_code == 401
    assert EmailAddress.objects.get(email=EMAIL).verified
    assert post(Client(), f"{AUTH}/email/verify", {"key": key}).status_code == 400


def test_an_expired_verification_key_is_refused(client: Client) -> None:
    sign_up(client)
    key = key_in_last_mail(EMAIL)
    four_days_later = time.time() + 4 * 24 * 60 * 60
    with mock.patch("django.core.signing.time.time", return_value=four_days_later):
        assert post(Client(), f"{AUTH}/email/verify", {"key": key}).status_code == 400
    assert not EmailAddress.objects.get(email=EMAIL).verified


def test_sign_out_ends_the_session_and_the_token(client: Client) -> None:
    verified_user(client)
    meta = sign_in(client).json()["meta"]
    session = {"X-Session-Token": meta["session_token"]}
    assert client.get(f"{AUTH}/session", headers=session).status_code == 200
    assert client.delete(f"{AUTH}/session", headers=session).status_code == 401
    assert client.get(f"{AUTH}/session", headers=session).status_code == 410  # gone
    assert not Token.objects.filter(key=meta["access_token"]).exists()


def test_password_change(client: Client) -> None:
    verified_user(client)
    meta = sign_in(client).json()["meta"]
    change = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    changed = post(
        client, "/_allauth/app/v1/account/password/change", change, meta["session_token"]
    )
    assert changed.status_code == 200, changed.content
    assert sign_in(Client()).status_code == 400
    assert sign_in(Client(), password=NEW_PASSWORD).status_code == 200
    assert not Token.objects.filter(key=meta["access_token"]).exists()  # the old token is dead


def test_password_reset_by_mail(client: Client) -> None:
    verified_user(client)
    old_token = sign_in(client).json()["meta"]["access_token"]
    requested = post(Client(), f"{AUTH}/password/request", {"email": EMAIL})
    assert requested.status_code == 200, requested.content
    key = key_in_last_mail(EMAIL)
    assert (
        Client().get(f"{AUTH}/password/reset", headers={"X-Password-Reset-Key": key}).status_code
        == 200
    )
    reset = {"key": key, "password": NEW_PASSWORD}
    assert post(Client(), f"{AUTH}/password/reset", reset).status_code in {200, 401}
    assert sign_in(Client()).status_code == 400  # the old password no longer works
    assert sign_in(Client(), password=NEW_PASSWORD).status_code == 200
    assert post(Client(), f"{AUTH}/password/reset", reset).status_code == 400  # used up
    assert not Token.objects.filter(key=old_token).exists()


def test_an_expired_reset_key_is_refused(client: Client) -> None:
    verified_user(client)
    post(Client(), f"{AUTH}/password/request", {"email": EMAIL})
    key = key_in_last_mail(EMAIL)
    with mock.patch("django.conf.settings.PASSWORD_RESET_TIMEOUT", -1):
        reset = post(Client(), f"{AUTH}/password/reset", {"key": key, "password": NEW_PASSWORD})
    assert reset.status_code == 400
    assert sign_in(Client()).status_code == 200  # the password did not change


def test_an_unknown_address_gets_no_mail_and_no_hint() -> None:
    requested = post(Client(), f"{AUTH}/password/request", {"email": "nobody@example.com"})
    assert requested.status_code == 200  # the same answer as for a user: no account probing
    # The address's owner is told there is no account there: no link to reset anything.
    [message] = mail.outbox
    assert message.to == ["nobody@example.com"]
    assert "reset" not in " ".join(re.findall(r"https?://\S+", str(message.body)))


def test_a_superuser_from_createsuperuser_can_sign_in() -> None:
    User.objects.create_superuser("root", "Root@Example.com", PASSWORD)
    assert sign_in(Client(), email="root@example.com").status_code == 200
