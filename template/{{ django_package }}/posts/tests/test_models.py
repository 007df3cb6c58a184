import pytest

from ..models import Post
from .factories import PostFactory


@pytest.mark.django_db
def test_newest_posts_come_first() -> None:
    older, newer = PostFactory.create(), PostFactory.create()
    assert list(Post.objects.all()) == [newer, older]


@pytest.mark.django_db
def test_str_is_the_title() -> None:
    assert str(PostFactory.create(title="Hello")) == "Hello"


def test_lists_are_indexed_on_what_they_filter_and_sort_by() -> None:
    indexed = {tuple(index.fields) for index in Post._meta.indexes}
    assert ("published", "-created_at") in indexed
    assert ("category", "-created_at") in indexed
