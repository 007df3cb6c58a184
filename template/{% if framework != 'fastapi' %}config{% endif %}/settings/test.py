"""Tests: fast password hashing, in-memory cache, no HTTPS redirects."""

from .base import *  # noqa: F403

SECRET_KEY = "django-insecure-test-only"  # noqa: S105 - a marked test-only value
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
# WhiteNoise looks files up per request instead of requiring collectstatic first.
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
