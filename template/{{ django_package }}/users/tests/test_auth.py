"""Obtaining and using an API token."""

import pytest
from rest_framework.test import APIClient

from .factories import PASSWORD, UserFactory


@pytest.mark.django_db
def test_a_user_obtains_a_token_with_their_password(api_client: APIClient) -> None:
    user = UserFactory.create()
    response = api_client.post(
        "/api/auth/token/", {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert len(response.json()["token"]) == 40


@pytest.mark.django_db
def test_a_wrong_password_gets_no_token(api_client: APIClient) -> None:
    user = UserFactory.create()
    response = api_client.post("/api/auth/token/", {"username": user.username, "password": "no"})
    assert response.status_code == 400
    assert "token" not in response.json()
