"""What happens around sign-in, beside allauth's own work.

- A password change or reset deletes the user's API token (tokens.py): a token obtained with
  the old password stops working. So does signing out through the headless API.
- A superuser created with `manage.py createsuperuser` gets their e-mail address recorded as
  verified: the operator typed it, and sign-in requires a verified address.
"""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.account.signals import password_changed, password_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest
from rest_framework.authtoken.models import Token

HEADLESS_PREFIX = "/_allauth/"


@receiver(password_changed)
@receiver(password_reset)
def delete_api_token(sender: object, user: Any, **kwargs: Any) -> None:
    Token.objects.filter(user=user).delete()


@receiver(user_logged_out)
def delete_api_token_on_headless_sign_out(
    sender: object, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    # Signing out of the pages keeps the API token: the user's scripts may be using it.
    if request is not None and user is not None and request.path.startswith(HEADLESS_PREFIX):
        Token.objects.filter(user=user).delete()


@receiver(post_save, sender=get_user_model())
def verify_superusers_address(sender: object, instance: Any, created: bool, **kwargs: Any) -> None:
    if created and instance.is_superuser and instance.email:
        EmailAddress.objects.get_or_create(
            user=instance,
            email=instance.email.lower(),
            defaults={"verified": True, "primary": True},
        )
