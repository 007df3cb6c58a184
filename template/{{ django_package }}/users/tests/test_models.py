"""The custom user model."""

import pytest
from django.contrib.auth import get_user_model

from ..models import User


def test_the_custom_user_model_is_active() -> None:
    assert get_user_model()._meta.label == "users.User"


@pytest.mark.django_db
def test_create_user_hashes_the_password() -> None:
    user = User.objects.create_user(username="ada", password="s3cret-pass")
    assert user.password != "s3cret-pass"
    assert user.check_password("s3cret-pass")
