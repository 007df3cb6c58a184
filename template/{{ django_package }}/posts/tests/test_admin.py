"""The posts admin: usable, and one query per page however many authors."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ..models import Post
from .factories import PostFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/posts/post/"


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_changelist_does_not_query_per_row(admin_client: Client) -> None:
    PostFactory.create_batch(3)
    few = queries_for(admin_client, CHANGELIST)
    PostFactory.create_batch(30)
    assert queries_for(admin_client, CHANGELIST) == few


def test_search_filters_and_add_form(admin_client: Client) -> None:
    PostFactory.create(title="Needle")
    PostFactory.create(title="Hay")
    page = admin_client.get(CHANGELIST, {"q": "Needle"}).content.decode()
    assert "Needle" in page
    assert "Hay" not in page
    assert admin_client.get(CHANGELIST, {"published__exact": "1"}).status_code == 200
    assert admin_client.get(f"{CHANGELIST}add/").status_code == 200


def test_the_publish_action(admin_client: Client) -> None:
    drafts = PostFactory.create_batch(2, published=False)
    response = admin_client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [p.pk for p in drafts]}
    )
    assert response.status_code == 302
    assert Post.objects.filter(published=True).count() == 2
