"""The server-rendered posts pages."""

import pytest
from django.test import Client

from .factories import PostFactory

pytestmark = pytest.mark.django_db


def test_the_list_page_shows_published_posts(client: Client) -> None:
    PostFactory.create(title="Visible")
    PostFactory.create(title="Secret draft", published=False)
    page = client.get("/posts/").content.decode()
    assert "Visible" in page
    assert "Secret draft" not in page


def test_the_list_page_is_paginated(client: Client) -> None:
    PostFactory.create_batch(15)
    assert "Page 1 of 2" in client.get("/posts/").content.decode()
    assert "Page 2 of 2" in client.get("/posts/", {"page": 2}).content.decode()


def test_the_list_page_does_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries
) -> None:
    PostFactory.create_batch(10)
    with django_assert_num_queries(2):
        client.get("/posts/")


def test_the_detail_page(client: Client) -> None:
    post = PostFactory.create(title="Hello", content="First line")
    page = client.get(f"/posts/{post.pk}/").content.decode()
    assert "<h1>Hello</h1>" in page
    assert "First line" in page


def test_a_draft_page_is_not_found(client: Client) -> None:
    assert client.get(f"/posts/{PostFactory.create(published=False).pk}/").status_code == 404
