"""The Celery app: background tasks run in worker processes (`celery -A config worker`).

Its settings are Django's CELERY_* settings (config/settings/base.py); tasks are found in each
app's tasks.py.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
