"""The WSGI baselines, served by gunicorn with the apps' worker count.

- `/health`: one Django view, no middleware: the bare framework.
- `/api/posts/`: the Django example's first page (20 published posts with their authors, and
  the total) through the driver alone: psycopg, the SQL the app sends, orjson, in a Django
  view. This is the limit the generated list is measured against.

`DATABASE_URL` names the Django variant's seeded database (`postgresql://...`).
"""

import os

import orjson
import psycopg
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="baseline-only-not-a-secret",  # noqa: S106 - a throwaway benchmark app
    ROOT_URLCONF=__name__,
    ALLOWED_HOSTS=["127.0.0.1"],
    MIDDLEWARE=[],
)

COUNT = "SELECT COUNT(*) FROM posts_post WHERE posts_post.published"
PAGE = """
SELECT posts_post.id, posts_post.title, posts_post.content, posts_post.category,
       posts_post.published, users_user.id, users_user.username,
       posts_post.created_at, posts_post.updated_at
FROM posts_post INNER JOIN users_user ON posts_post.author_id = users_user.id
WHERE posts_post.published
ORDER BY posts_post.created_at DESC, posts_post.id DESC
LIMIT 20
"""
_connection: list[psycopg.Connection] = []  # one per worker process, opened on first use


def connection() -> psycopg.Connection:
    if not _connection or _connection[0].closed:
        _connection[:] = [
            psycopg.connect(os.environ["DATABASE_URL"], autocommit=True, options="-c TimeZone=UTC")
        ]
    return _connection[0]


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def posts(request: HttpRequest) -> HttpResponse:
    with connection().cursor() as cursor:
        count = cursor.execute(COUNT).fetchone()[0]  # type: ignore[index]
        rows = cursor.execute(PAGE).fetchall()
    results = [
        {
            "id": row[0],
            "title": row[1],
            "content": row[2],
            "category": row[3],
            "published": row[4],
            "author": {"id": row[5], "username": row[6]},
            "created_at": row[7],
            "updated_at": row[8],
        }
        for row in rows
    ]
    page = {"count": count, "next": None, "previous": None, "results": results}
    return HttpResponse(
        orjson.dumps(page, option=orjson.OPT_UTC_Z), content_type="application/json"
    )


urlpatterns = [path("health", health), path("api/posts/", posts)]
application = get_wsgi_application()
