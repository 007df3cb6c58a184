"""Accounts as a user lives them: the mail arrives (a real SMTP server), its link is followed,
and the account works afterwards; stale links and tokens are refused.

Sign-up -> verification mail -> verify -> sign in; password reset by mail; refresh tokens
rotating, their reuse caught; signing out here and everywhere; changing the password.
"""

from urllib.parse import urlsplit

import pytest
from httpx2 import AsyncClient, Response
from sqlmodel.ext.asyncio.session import AsyncSession

from ..auth import security
from ..auth.service import EXPIRED, INVALID, USED
from ..config import Settings
from ..users.service import user_get_by_email
from .conftest import Mailbox

pytestmark = pytest.mark.anyio

EMAIL = "ada@example.com"
PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "staple-battery-horse"


async def sign_up(client: AsyncClient, email: str = EMAIL) -> None:
    response = await client.post("/api/auth/signup", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201, response.text
    assert response.json()["is_verified"] is False


async def log_in(client: AsyncClient, password: str = PASSWORD, email: str = EMAIL) -> Response:
    return await client.post("/api/auth/login", data={"username": email, "password": password})


async def signed_in(client: AsyncClient, mailbox: Mailbox) -> dict[str, str]:
    """A verified account's tokens (access and refresh)."""
    await sign_up(client)
    assert (await client.get(path_of(mailbox.link(EMAIL)))).status_code == 200
    response = await log_in(client)
    assert response.status_code == 200, response.text
    tokens: dict[str, str] = response.json()
    return tokens


def path_of(link: str) -> str:
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


def bearer(tokens: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


# -- Sign-up and verification ----------------------------------------------------------------


async def test_sign_up_mails_a_link_that_verifies_then_sign_in_works(
    client: AsyncClient, mailbox: Mailbox, settings: Settings
) -> None:
    await sign_up(client)
    [message] = mailbox.to(EMAIL)
    assert message["From"] == settings.email_from
    assert message["Subject"] == "Confirm your e-mail address"
    link = mailbox.link(EMAIL)
    assert link.startswith(f"{settings.site_url}/api/auth/verify?token=")
    verified = await client.get(path_of(link))  # the link, opened as it is
    assert verified.status_code == 200
    assert "verified" in verified.json()["detail"]
    response = await log_in(client)
    assert response.status_code == 200
    tokens = response.json()
    assert tokens["token_type"] == "bearer"
    assert tokens["expires_in"] == settings.access_token_expire_minutes * 60
    me = await client.get("/api/users/me", headers=bearer(tokens))
    assert me.json()["is_verified"] is True


async def test_an_unverified_account_cannot_sign_in(client: AsyncClient) -> None:
    await sign_up(client)
    response = await log_in(client)
    assert response.status_code == 403
    assert "Verify your e-mail address" in response.json()["detail"]
    # Only with the right password: a wrong one says nothing about verification.
    assert (await log_in(client, password="wrong-password")).status_code == 401


async def test_the_token_verifies_by_post_too_and_only_once(
    client: AsyncClient, mailbox: Mailbox
) -> None:
    await sign_up(client)
    token = mailbox.token(EMAIL)
    assert (await client.post("/api/auth/verify", json={"token": token})).status_code == 200
    again = await client.post("/api/auth/verify", json={"token": token})
    assert again.status_code == 400
    assert again.json() == {"detail": USED}


async def test_an_expired_verification_link_is_refused(
    client: AsyncClient, mailbox: Mailbox, session: AsyncSession, settings: Settings
) -> None:
    await sign_up(client)
    user = await user_get_by_email(session=session, email=EMAIL)
    assert user is not None
    expired = settings.model_copy(update={"verify_token_expire_hours": -1})
    token = security.create_email_token(user=user, purpose="verify", settings=expired)
    response = await client.get("/api/auth/verify", params={"token": token})
    assert response.status_code == 400
    assert response.json() == {"detail": EXPIRED}


@pytest.mark.parametrize("token", ["garbage", "a.b.c"])
async def test_a_garbage_verification_token_is_400(client: AsyncClient, token: str) -> None:
    response = await client.post("/api/auth/verify", json={"token": token})
    assert response.status_code == 400
    assert response.json() == {"detail": INVALID}


async def test_a_reset_token_does_not_verify_and_an_access_token_is_no_link(
    client: AsyncClient, mailbox: Mailbox
) -> None:
    tokens = await signed_in(client, mailbox)
    response = await client.post("/api/auth/verify", json={"token": tokens["access_token"]})
    assert response.status_code == 400
    await client.post("/api/auth/password/forgot", json={"email": EMAIL})
    reset_token = mailbox.token(EMAIL)
    me = await client.get("/api/users/me", headers={"Authorization": f"Bearer {reset_token}"})
    assert me.status_code == 401


async def test_resend_mails_a_new_link_and_says_the_same_for_unknown_addresses(
    client: AsyncClient, mailbox: Mailbox
) -> None:
    await sign_up(client)
    known = await client.post("/api/auth/verify/resend", json={"email": EMAIL})
    unknown = await client.post("/api/auth/verify/resend", json={"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert len(mailbox.to(EMAIL)) == 2
    assert mailbox.to("nobody@example.com") == []
    assert (await client.get(path_of(mailbox.link(EMAIL)))).status_code == 200
    # Verified: nothing more to resend.
    await client.post("/api/auth/verify/resend", json={"email": EMAIL})
    assert len(mailbox.to(EMAIL)) == 2


# -- Password reset ---------------------------------------------------------------------------


async def test_password_reset_by_mail(client: AsyncClient, mailbox: Mailbox) -> None:
    old = await signed_in(client, mailbox)
    asked = await client.post("/api/auth/password/forgot", json={"email": EMAIL.upper()})
    assert asked.status_code == 202
    link = mailbox.link(EMAIL)
    assert "/api/auth/password/reset?token=" in link
    assert (await client.get(path_of(link))).status_code == 200  # the link still works
    token = mailbox.token(EMAIL)
    body = {"token": token, "password": NEW_PASSWORD}
    assert (await client.post("/api/auth/password/reset", json=body)).status_code == 204
    assert (await log_in(client)).status_code == 401  # the old password is refused
    assert (await log_in(client, password=NEW_PASSWORD)).status_code == 200
    # The sessions signed in with the old password are over.
    assert (await client.get("/api/users/me", headers=bearer(old))).status_code == 401
    refreshed = await client.post("/api/auth/refresh", json={"refresh_token": old["refresh_token"]})
    assert refreshed.status_code == 401
    # The link works once.
    reused = await client.post("/api/auth/password/reset", json={**body, "password": PASSWORD})
    assert reused.status_code == 400
    assert reused.json() == {"detail": USED}
    assert (await client.get(path_of(link))).status_code == 400


async def test_an_expired_reset_link_is_refused(
    client: AsyncClient, mailbox: Mailbox, session: AsyncSession, settings: Settings
) -> None:
    await signed_in(client, mailbox)
    user = await user_get_by_email(session=session, email=EMAIL)
    assert user is not None
    expired = settings.model_copy(update={"reset_token_expire_minutes": -1})
    token = security.create_email_token(user=user, purpose="reset", settings=expired)
    body = {"token": token, "password": NEW_PASSWORD}
    response = await client.post("/api/auth/password/reset", json=body)
    assert response.status_code == 400
    assert response.json() == {"detail": EXPIRED}
    assert (await log_in(client)).status_code == 200


async def test_a_reset_also_verifies_the_address(client: AsyncClient, mailbox: Mailbox) -> None:
    await sign_up(client)
    await client.post("/api/auth/password/forgot", json={"email": EMAIL})
    body = {"token": mailbox.token(EMAIL), "password": NEW_PASSWORD}
    assert (await client.post("/api/auth/password/reset", json=body)).status_code == 204
    assert (await log_in(client, password=NEW_PASSWORD)).status_code == 200


async def test_forgot_password_answers_the_same_for_unknown_addresses(
    client: AsyncClient, mailbox: Mailbox
) -> None:
    response = await client.post("/api/auth/password/forgot", json={"email": "no@example.com"})
    assert response.status_code == 202
    assert mailbox.messages == []


# -- Refresh tokens, signing out ----------------------------------------------------------------


async def test_a_refresh_token_rotates(client: AsyncClient, mailbox: Mailbox) -> None:
    first = await signed_in(client, mailbox)
    response = await client.post(
        "/api/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert response.status_code == 200
    second = response.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert (await client.get("/api/users/me", headers=bearer(second))).status_code == 200
    again = await client.post("/api/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert again.status_code == 200


async def test_reusing_a_rotated_refresh_token_revokes_its_family(
    client: AsyncClient, mailbox: Mailbox
) -> None:
    first = await signed_in(client, mailbox)
    second = (
        await client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
    ).json()
    # Someone replays the first token: refused, and the legitimate next one dies with it.
    stolen = await client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert stolen.status_code == 401
    after = await client.post("/api/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert after.status_code == 401


async def test_an_expired_refresh_token_is_refused(
    client: AsyncClient, mailbox: Mailbox, settings: Settings
) -> None:
    await signed_in(client, mailbox)
    settings.refresh_token_expire_days = -1  # the app's own settings object
    tokens = (await log_in(client)).json()
    response = await client.post(
        "/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert response.status_code == 401


@pytest.mark.parametrize("token", ["garbage", "x" * 1000])
async def test_an_unknown_refresh_token_is_refused(client: AsyncClient, token: str) -> None:
    response = await client.post("/api/auth/refresh", json={"refresh_token": token})
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid or expired refresh token"}


async def test_sign_out_ends_that_sign_in_only(client: AsyncClient, mailbox: Mailbox) -> None:
    here = await signed_in(client, mailbox)
    there = (await log_in(client)).json()
    out = await client.post("/api/auth/logout", json={"refresh_token": here["refresh_token"]})
    assert out.status_code == 204
    refused = await client.post("/api/auth/refresh", json={"refresh_token": here["refresh_token"]})
    assert refused.status_code == 401
    kept = await client.post("/api/auth/refresh", json={"refresh_token": there["refresh_token"]})
    assert kept.status_code == 200
    # Signing out with an unknown token is no error: the client forgets its tokens anyway.
    unknown = await client.post("/api/auth/logout", json={"refresh_token": "unknown"})
    assert unknown.status_code == 204


async def test_sign_out_everywhere_ends_every_token(client: AsyncClient, mailbox: Mailbox) -> None:
    here = await signed_in(client, mailbox)
    there = (await log_in(client)).json()
    assert (await client.post("/api/auth/logout/all", headers=bearer(here))).status_code == 204
    for tokens in (here, there):
        assert (await client.get("/api/users/me", headers=bearer(tokens))).status_code == 401
        refresh = await client.post(
            "/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
        )
        assert refresh.status_code == 401
    # Signing in again works.
    assert (
        await client.get("/api/users/me", headers=bearer((await log_in(client)).json()))
    ).status_code == 200


async def test_sign_out_everywhere_needs_a_token(client: AsyncClient) -> None:
    assert (await client.post("/api/auth/logout/all")).status_code == 401


# -- Changing the password ------------------------------------------------------------------------


async def test_changing_the_password(client: AsyncClient, mailbox: Mailbox) -> None:
    here = await signed_in(client, mailbox)
    there = (await log_in(client)).json()
    body = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    response = await client.post("/api/auth/password/change", json=body, headers=bearer(here))
    assert response.status_code == 200
    assert (await client.get("/api/users/me", headers=bearer(response.json()))).status_code == 200
    # Every other session ends; the old password is refused, the new one works.
    assert (await client.get("/api/users/me", headers=bearer(there))).status_code == 401
    assert (await log_in(client)).status_code == 401
    assert (await log_in(client, password=NEW_PASSWORD)).status_code == 200


async def test_changing_the_password_needs_the_current_one(
    client: AsyncClient, mailbox: Mailbox
) -> None:
    tokens = await signed_in(client, mailbox)
    body = {"current_password": "wrong-password", "new_password": NEW_PASSWORD}
    response = await client.post("/api/auth/password/change", json=body, headers=bearer(tokens))
    assert response.status_code == 400
    assert response.json() == {"detail": "The current password is wrong"}
    assert (await log_in(client)).status_code == 200
