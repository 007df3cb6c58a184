"""The project's user model."""

from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A user of the project.

    Custom from the first migration (AUTH_USER_MODEL = "users.User"), so fields can be added
    later with an ordinary migration instead of a swap of the user model.
    """
