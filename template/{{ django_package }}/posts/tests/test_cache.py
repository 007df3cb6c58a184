"""The public list is cached, and every write is visible on the next read."""

import pytest
from rest_framework.test import APIClient

from .factories import PostFactory

pytestmark = pytest.mark.django_db

LIST = "/api/posts/"


def titles(client: APIClient) -> list[str]:
    return [post["title"] for post in client.get(LIST).json()["results"]]


def test_a_repeated_anonymous_read_comes_from_the_cache(
    api_client: APIClient, django_assert_num_queries
) -> None:
    PostFactory.create_batch(3)
    api_client.get(LIST)
    with django_assert_num_queries(0):
        assert len(api_client.get(LIST).json()["results"]) == 3


def test_create_update_and_delete_are_visible_on_the_next_read(
    api_client: APIClient, auth_client: APIClient
) -> None:
    assert titles(api_client) == []  # cached, empty
    created = auth_client.post(LIST, {"title": "New", "content": "x", "published": True})
    assert titles(api_client) == ["New"]
    url = f"{LIST}{created.json()['id']}/"
    auth_client.patch(url, {"title": "Renamed"})
    assert titles(api_client) == ["Renamed"]
    auth_client.delete(url)
    assert titles(api_client) == []


def test_signed_in_users_are_not_served_from_the_shared_cache(
    api_client: APIClient, auth_client: APIClient, user
) -> None:
    PostFactory(published=False, author=user)
    assert titles(api_client) == []  # cached for anonymous readers
    assert len(auth_client.get(LIST).json()["results"]) == 1  # includes the draft
