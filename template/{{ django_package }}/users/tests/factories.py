"""Test data for users."""

from typing import Any

from allauth.account.models import EmailAddress
from factory.declarations import LazyAttribute, Sequence
from factory.django import DjangoModelFactory, Password
from factory.helpers import post_generation

from ..models import User

PASSWORD = "correct-horse-battery"


class UserFactory(DjangoModelFactory[User]):
    class Meta:  # pyright: ignore[reportIncompatibleVariableOverride] - factory_boy's is a placeholder
        model = User
        skip_postgeneration_save = True

    username = Sequence(lambda n: f"user{n}")
    email = LazyAttribute(lambda user: f"{user.username}@example.com")
    password = Password(PASSWORD)

    @post_generation
    def verified(self, create: bool, extracted: bool | None, **kwargs: Any) -> None:
        """A verified primary address, as after following the link (`verified=False`: none)."""
        if create and extracted is not False:
            # get_or_create: a superuser has one already (accounts/receivers.py).
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )
