"""Test data for users."""

from factory.declarations import LazyAttribute, Sequence
from factory.django import DjangoModelFactory, Password

from ..models import User

PASSWORD = "correct-horse-battery"


class UserFactory(DjangoModelFactory[User]):
    class Meta:  # pyright: ignore[reportIncompatibleVariableOverride] - factory_boy's is a placeholder
        model = User
        skip_postgeneration_save = True

    username = Sequence(lambda n: f"user{n}")
    email = LazyAttribute(lambda user: f"{user.username}@example.com")
    password = Password(PASSWORD)
