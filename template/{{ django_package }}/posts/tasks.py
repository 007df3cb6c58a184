"""Background tasks for posts: thin wrappers around selectors and services."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .selectors import post_report


@shared_task(
    # A database that restarts or drops the connection is worth retrying; bugs are not.
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=5,
)
def export_posts_report() -> dict[str, object]:
    """Count the posts per category: the kind of export too slow for a request."""
    return post_report()
