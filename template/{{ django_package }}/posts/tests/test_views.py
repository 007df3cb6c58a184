"""The server-rendered posts pages: the list, a post, the forms, and signing in and out."""

import re
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from ...users.models import User
from ...users.tests.factories import UserFactory
from .. import services, views
from ..models import CONTENT_MAX_LENGTH, TITLE_MAX_LENGTH, Post
from .factories import PostFactory

pytestmark = pytest.mark.django_db

FORM = {"title": "A title", "content": "Some words.", "category": "tech", "published": "on"}


@pytest.fixture
def author() -> User:
    return UserFactory.create()


@pytest.fixture
def author_client(client: Client, author: User) -> Client:
    client.force_login(author)
    return client


def html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# The list


def test_the_list_page_shows_published_posts(client: Client) -> None:
    PostFactory.create(title="Visible")
    PostFactory.create(title="Secret draft", published=False)
    page = html(client, "/posts/")
    assert "Visible" in page
    assert "Secret draft" not in page
    assert "<title>Posts · " in page
    assert 'aria-current="page">Posts</a>' in page


def test_the_list_page_shows_the_authors_own_drafts(author_client: Client, author: User) -> None:
    PostFactory.create(title="My draft", published=False, author=author)
    page = html(author_client, "/posts/")
    assert "My draft" in page
    assert '<span class="badge">Draft</span>' in page
    assert 'href="/posts/new/">New post</a>' in page


def test_the_empty_list_invites_the_first_post(client: Client, author: User) -> None:
    page = html(client, "/posts/")
    assert "No posts yet." in page
    assert 'href="/accounts/login/?next=/posts/new/"' in page
    client.force_login(author)
    assert "Write the first one" in html(client, "/posts/")


def test_the_list_page_is_paginated(client: Client) -> None:
    PostFactory.create_batch(25)
    first = html(client, "/posts/")
    assert "Page 1 of 3" in first
    assert '<nav class="pagination" aria-label="Pages">' in first
    assert re.search(r'href="\?page=1" aria-current="page"', first)
    assert 'href="?page=2" rel="next"' in first
    assert 'rel="prev"' not in first
    last = html(client, "/posts/?page=3")
    assert "Page 3 of 3" in last
    assert re.search(r'href="\?page=3" aria-current="page"', last)
    assert 'href="?page=2" rel="prev"' in last
    assert "Page 3 of 3" in html(client, "/posts/?page=99")  # past the end: the last page


def test_a_long_pagination_is_elided(client: Client) -> None:
    with mock.patch.object(views, "PAGE_SIZE", 1):
        PostFactory.create_batch(14)
        page = html(client, "/posts/?page=7")  # 1 2 … 5 6 [7] 8 9 … 13 14
    assert page.count('<span class="gap" aria-hidden="true">…</span>') == 2
    assert 'href="?page=14"' in page
    assert 'href="?page=4"' not in page


def test_one_page_has_no_pagination(client: Client) -> None:
    PostFactory.create_batch(3)
    assert "pagination" not in html(client, "/posts/")


def test_the_list_page_does_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries
) -> None:
    PostFactory.create_batch(10)
    with django_assert_num_queries(2):
        client.get("/posts/")


# A post


def test_the_detail_page(client: Client) -> None:
    post = PostFactory.create(title="Hello", content="First line\n\nSecond paragraph")
    page = html(client, f"/posts/{post.pk}/")
    assert "<h1>Hello</h1>" in page
    assert "<p>First line</p>" in page
    assert "<p>Second paragraph</p>" in page
    assert f"by {post.author.username}" in page
    assert "/edit/" not in page  # not the author's
    assert post.author.email not in page  # public pages show no e-mail address


def test_the_author_sees_an_edit_link(author_client: Client, author: User) -> None:
    post = PostFactory.create(author=author, published=False)
    page = html(author_client, f"/posts/{post.pk}/")
    assert f'href="/posts/{post.pk}/edit/"' in page
    assert '<span class="badge">Draft</span>' in page


def test_a_draft_page_is_not_found(client: Client) -> None:
    assert client.get(f"/posts/{PostFactory.create(published=False).pk}/").status_code == 404


def test_a_missing_post_is_not_found(client: Client) -> None:
    assert client.get("/posts/999999/").status_code == 404


# Writing


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    post = PostFactory.create()
    for url in ("/posts/new/", f"/posts/{post.pk}/edit/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"
    assert client.post("/posts/new/", FORM).status_code == 302
    assert Post.objects.count() == 1


def test_the_create_form(author_client: Client) -> None:
    page = html(author_client, "/posts/new/")
    assert "<h1>New post</h1>" in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert '<label for="id_title">Title</label>' in page
    assert f'maxlength="{TITLE_MAX_LENGTH}"' in page
    assert f'maxlength="{CONTENT_MAX_LENGTH}"' in page
    assert 'aria-describedby="id_title_helptext"' in page


def test_creating_a_post_goes_through_the_service(author_client: Client, author: User) -> None:
    with mock.patch.object(views, "post_create", wraps=services.post_create) as create:
        response = author_client.post("/posts/new/", FORM)
    create.assert_called_once()
    post = Post.objects.get()
    assert (post.author, post.title, post.category, post.published) == (
        author,
        "A title",
        "tech",
        True,
    )
    assert response.status_code == 302
    assert response["Location"] == f"/posts/{post.pk}/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["“A title” was created."]


def test_after_creating_the_message_is_shown_once(author_client: Client) -> None:
    response = author_client.post("/posts/new/", FORM, follow=True)
    page = response.content.decode()
    assert '<ul class="messages" role="status">' in page
    assert '<li class="success">“A title” was created.</li>' in page
    assert "was created" not in html(author_client, "/posts/")


def test_an_invalid_form_shows_its_errors_by_the_fields(author_client: Client) -> None:
    data = {**FORM, "title": "x" * (TITLE_MAX_LENGTH + 1), "content": ""}
    response = author_client.post("/posts/new/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="form-errors" role="alert"' in page
    assert '<ul class="errorlist" id="id_title_error"><li>Ensure this value has at most' in page
    assert '<ul class="errorlist" id="id_content_error"><li>This field is required.' in page
    # Each input points screen readers at its error and help text.
    assert 'aria-invalid="true" aria-describedby="id_title_helptext id_title_error"' in page
    assert "x" * (TITLE_MAX_LENGTH + 1) in page  # what was typed is kept
    assert not Post.objects.exists()


def test_the_author_edits_a_post(author_client: Client, author: User) -> None:
    post = PostFactory.create(author=author, title="Before", published=False)
    form = html(author_client, f"/posts/{post.pk}/edit/")
    assert "<h1>Edit “Before”</h1>" in form
    assert 'value="Before"' in form
    data = {**FORM, "title": "After"}
    with mock.patch.object(views, "post_update", wraps=services.post_update) as update:
        response = author_client.post(f"/posts/{post.pk}/edit/", data, follow=True)
    update.assert_called_once()
    post.refresh_from_db()
    assert (post.title, post.published) == ("After", True)
    assert response.redirect_chain == [(f"/posts/{post.pk}/", 302)]
    assert "“After” was saved." in response.content.decode()


def test_an_invalid_edit_keeps_the_post_and_its_heading(
    author_client: Client, author: User
) -> None:
    post = PostFactory.create(author=author, title="Before")
    response = author_client.post(f"/posts/{post.pk}/edit/", {**FORM, "content": ""})
    assert response.status_code == 200
    assert "<h1>Edit “Before”</h1>" in response.content.decode()
    post.refresh_from_db()
    assert post.content != ""


def test_someone_elses_post_cannot_be_edited(author_client: Client) -> None:
    post = PostFactory.create(title="Not mine")
    refused = author_client.get(f"/posts/{post.pk}/edit/")
    assert refused.status_code == 403
    assert "Only the author of a post may change it." in refused.content.decode()
    assert author_client.post(f"/posts/{post.pk}/edit/", FORM).status_code == 403
    post.refresh_from_db()
    assert post.title == "Not mine"
    draft = PostFactory.create(published=False)  # not even visible to others
    assert author_client.get(f"/posts/{draft.pk}/edit/").status_code == 404


def test_the_forms_need_the_csrf_token(author: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    assert client.post("/posts/new/", FORM).status_code == 403
    assert not Post.objects.exists()


# Signing in, up and out: accounts/tests/test_pages.py


def test_the_admin_link_is_for_staff(client: Client, admin_client: Client) -> None:
    assert 'href="/admin/"' not in html(client, "/posts/")
    assert '<a href="/admin/">Admin</a>' in html(admin_client, "/posts/")
