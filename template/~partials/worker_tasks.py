"""A task only the worker tests load (`celery worker --include`): slow, and it says when it runs."""

import logging
import time
from pathlib import Path

from celery import shared_task


@shared_task
def slow_task(marker: str, seconds: float) -> str:
    with Path(marker).open("a") as runs:
        runs.write("started\n")
    time.sleep(seconds)
    return "done"


@shared_task
def log_line(text: str) -> None:
    logging.getLogger(__name__).warning(text)
