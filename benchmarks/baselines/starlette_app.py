"""The ASGI baselines, served by uvicorn with the apps' worker count.

- `/health`: one JSON route and nothing else: the bare framework.
- `/api/posts`: the FastAPI example's first page (20 published posts with their authors, and
  the total) through the driver alone: asyncpg, the SQL the app sends, orjson. This is the
  limit the generated list is measured against.

`DATABASE_URL` names the FastAPI variant's seeded database (`postgresql://...`).
"""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

COUNT = "SELECT count(*) FROM posts WHERE posts.published IS true"
PAGE = """
SELECT posts.title, posts.content, posts.category, posts.published, posts.id,
       posts.created_at, posts.updated_at, users.id AS author_id, users.full_name
FROM posts JOIN users ON users.id = posts.author_id
WHERE posts.published IS true
ORDER BY posts.created_at DESC, posts.id DESC
LIMIT $1 OFFSET $2
"""
LIMIT = 20


async def health(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def posts(request: Request) -> Response:
    async with request.app.state.pool.acquire() as connection:
        count = await connection.fetchval(COUNT)
        rows = await connection.fetch(PAGE, LIMIT, 0)
    data = [
        {
            "title": row["title"],
            "content": row["content"],
            "category": row["category"],
            "published": row["published"],
            "id": row["id"],
            "author": {"id": row["author_id"], "full_name": row["full_name"]},
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
        }
        for row in rows
    ]
    page = {"data": data, "count": count, "limit": LIMIT, "offset": 0}
    return Response(orjson.dumps(page, option=orjson.OPT_UTC_Z), media_type="application/json")


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    # The same pool size as the generated app's default (DATABASE_POOL_SIZE).
    dsn = os.environ["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
    async with asyncpg.create_pool(dsn, min_size=10, max_size=10) as pool:
        app.state.pool = pool
        yield


app = Starlette(routes=[Route("/health", health), Route("/api/posts", posts)], lifespan=lifespan)
