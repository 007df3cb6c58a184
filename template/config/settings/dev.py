"""Local development: debug on, no HTTPS, a fixed insecure key when SECRET_KEY is unset."""

from .base import *  # noqa: F403
from .base import REST_FRAMEWORK, SECRET_KEY

DEBUG = True
# Not a secret: a marked development-only value that production settings refuse.
SECRET_KEY = SECRET_KEY or "django-insecure-development-only-never-use-in-production"
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
# WhiteNoise looks files up per request instead of requiring collectstatic first.
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The browsable API, for exploring the API in a browser while developing.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
