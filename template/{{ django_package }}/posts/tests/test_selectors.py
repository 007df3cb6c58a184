import pytest
from django.contrib.auth.models import AnonymousUser

from ..models import Post
from ..selectors import post_get, post_list
from .factories import PostFactory


@pytest.mark.django_db
def test_anonymous_users_see_only_published_posts() -> None:
    published = PostFactory.create(published=True)
    PostFactory.create(published=False)
    assert list(post_list(user=AnonymousUser())) == [published]


@pytest.mark.django_db
def test_authors_also_see_their_own_drafts() -> None:
    draft = PostFactory.create(published=False)
    PostFactory.create(published=False)  # someone else's draft
    published = PostFactory.create(published=True)
    assert set(post_list(user=draft.author)) == {draft, published}


@pytest.mark.django_db
def test_post_get_hides_other_peoples_drafts() -> None:
    draft = PostFactory.create(published=False)
    assert post_get(user=draft.author, post_id=draft.pk) == draft
    with pytest.raises(Post.DoesNotExist):
        post_get(user=AnonymousUser(), post_id=draft.pk)
