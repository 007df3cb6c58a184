"""Accounts over their life: signing in by any spelling of the email, and being switched off.

Deactivating an account (`is_active = false` in the database) is how you lock someone out:
from that moment they can neither sign in nor use a token they already hold.
"""

import pytest
from httpx2 import AsyncClient
from sqlmodel.ext.asyncio.session import AsyncSession

from ..users.service import user_get_by_email

pytestmark = pytest.mark.anyio

PASSWORD = "correct-horse-battery"


async def log_in(client: AsyncClient, email: str, password: str = PASSWORD) -> int:
    response = await client.post("/api/auth/login", data={"username": email, "password": password})
    return response.status_code


async def deactivate(session: AsyncSession, email: str) -> None:
    user = await user_get_by_email(session=session, email=email)
    assert user is not None
    user.is_active = False
    session.add(user)
    await session.commit()


async def test_the_email_is_matched_whatever_its_case(client: AsyncClient, sign_up) -> None:
    await sign_up("Ada@Example.com")
    assert await log_in(client, "ADA@example.COM") == 200
    response = await client.post(
        "/api/auth/signup", json={"email": "ada@EXAMPLE.com", "password": PASSWORD}
    )
    assert response.status_code == 409


async def test_a_deactivated_account_cannot_sign_in(client, session, sign_up) -> None:
    await sign_up("ada@example.com")
    await deactivate(session, "ada@example.com")
    assert await log_in(client, "ada@example.com") == 401


async def test_a_deactivated_account_cannot_use_the_token_it_holds(
    client, session, sign_up
) -> None:
    headers = await sign_up("ada@example.com")
    assert (await client.get("/api/users/me", headers=headers)).status_code == 200
    await deactivate(session, "ada@example.com")
    response = await client.get("/api/users/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid or expired token"


async def test_an_email_with_a_nul_character_is_no_account_not_a_crash(client) -> None:
    # PostgreSQL cannot compare text holding NUL: the lookup must not reach it.
    assert await log_in(client, "ada\x00@example.com") == 401
