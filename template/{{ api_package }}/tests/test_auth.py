"""Signup, login and /me, including the ways they must fail."""

import secrets
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from httpx2 import AsyncClient

from ..auth.security import ALGORITHM

pytestmark = pytest.mark.anyio

PASSWORD = "correct-horse-battery"


async def test_signup_login_and_me(client: AsyncClient, sign_up) -> None:
    headers = await sign_up("Grace@Example.com")
    me = await client.get("/api/users/me", headers=headers)
    assert me.status_code == 200
    assert me.json()["email"] == "grace@example.com"
    assert "hashed_password" not in me.json()


async def test_the_password_is_stored_hashed_with_argon2(client: AsyncClient, session) -> None:
    from ..users.service import user_get_by_email

    await client.post("/api/auth/signup", json={"email": "h@example.com", "password": PASSWORD})
    user = await user_get_by_email(session=session, email="h@example.com")
    assert user is not None
    assert user.hashed_password.startswith("$argon2id$")


async def test_an_email_signs_up_once(client: AsyncClient) -> None:
    body = {"email": "twice@example.com", "password": PASSWORD}
    assert (await client.post("/api/auth/signup", json=body)).status_code == 201
    response = await client.post("/api/auth/signup", json=body)
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-email", "password": PASSWORD}, "email"),
        ({"email": "a@example.com", "password": "short"}, "password"),
        ({"password": PASSWORD}, "email"),
    ],
)
async def test_signup_validation_errors_are_422_naming_the_field(client, body, field) -> None:
    response = await client.post("/api/auth/signup", json=body)
    assert response.status_code == 422
    assert any(error["loc"][-1] == field for error in response.json()["detail"])


async def test_a_bad_password_gets_no_token(client: AsyncClient, sign_up) -> None:
    await sign_up("ada@example.com")
    response = await client.post(
        "/api/auth/login", data={"username": "ada@example.com", "password": "wrong-password"}
    )
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_an_unknown_email_gets_no_token(client: AsyncClient) -> None:
    response = await client.post(
        "/api/auth/login", data={"username": "nobody@example.com", "password": PASSWORD}
    )
    assert response.status_code == 401


async def test_me_needs_a_token(client: AsyncClient) -> None:
    assert (await client.get("/api/users/me")).status_code == 401


@pytest.mark.parametrize("token", ["garbage", "a.b.c", ""])
async def test_a_garbage_token_is_refused(client: AsyncClient, token: str) -> None:
    response = await client.get("/api/users/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


async def test_an_expired_token_is_refused(client: AsyncClient, settings, sign_up) -> None:
    await sign_up("ada@example.com")
    expired = jwt.encode(
        {"sub": "1", "exp": datetime.now(UTC) - timedelta(minutes=1)},
        settings.secret_key,
        algorithm=ALGORITHM,
    )
    response = await client.get("/api/users/me", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid or expired token"


async def test_a_token_signed_with_another_key_is_refused(client: AsyncClient, sign_up) -> None:
    await sign_up("ada@example.com")
    forged = jwt.encode(
        {"sub": "1", "exp": datetime.now(UTC) + timedelta(minutes=5)},
        secrets.token_urlsafe(32),
        algorithm=ALGORITHM,
    )
    response = await client.get("/api/users/me", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401
