"""Obtaining and using an API token."""

from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.test import APIClient

from ..api import request_user
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


def test_views_that_need_a_user_refuse_anyone_else() -> None:
    anonymous = mock.Mock(spec=Request, user=AnonymousUser())
    with pytest.raises(NotAuthenticated):
        request_user(anonymous)


def test_views_that_need_a_user_get_the_signed_in_one() -> None:
    user = UserFactory.build()
    assert request_user(mock.Mock(spec=Request, user=user)) is user


@pytest.mark.django_db
def test_the_token_endpoint_documents_json_and_accepts_forms(api_client: APIClient) -> None:
    user = UserFactory.create()
    form = {"username": user.username, "password": PASSWORD}
    assert api_client.post("/api/auth/token/", form, format="multipart").status_code == 200
