"""gunicorn settings for production; `gunicorn` reads this file from the project root.

The defaults suit one machine: sync workers, two per core plus one, recycled now and then so
a slow leak cannot grow forever. Override with WEB_CONCURRENCY or on the command line (the
container binds 0.0.0.0:8000 that way).
"""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
bind = "127.0.0.1:8000"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
max_requests = 5000
max_requests_jitter = 500
timeout = 30
graceful_timeout = 30
accesslog = "-"
errorlog = "-"
