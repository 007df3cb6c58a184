"""The posts API, through HTTP, as its clients use it."""

from typing import Any

import pytest
from httpx2 import AsyncClient
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from ..auth.security import hash_password
from ..posts.models import Post
from ..users.models import User

pytestmark = pytest.mark.anyio

LIST = "/api/posts"
POST = {"title": "Hello", "content": "World", "category": "tech", "published": True}
MAX_TITLE, MAX_CONTENT = 200, 20_000


async def create(client: AsyncClient, headers, **fields) -> dict[str, Any]:
    response = await client.post(LIST, json={**POST, **fields}, headers=headers)
    assert response.status_code == 201, response.text
    post: dict[str, Any] = response.json()
    return post


async def test_create_and_read(client: AsyncClient, auth_headers) -> None:
    post = await create(client, auth_headers)
    assert post["author"] == {"id": post["author"]["id"], "full_name": ""}
    response = await client.get(f"{LIST}/{post['id']}")
    assert response.status_code == 200
    assert response.json()["title"] == "Hello"


async def test_anonymous_users_see_published_posts_only(client, auth_headers) -> None:
    await create(client, auth_headers, title="Public")
    await create(client, auth_headers, title="Draft", published=False)
    body = (await client.get(LIST)).json()
    assert [p["title"] for p in body["data"]] == ["Public"]
    assert body["count"] == 1


async def test_authors_also_see_their_drafts(client, auth_headers, sign_up) -> None:
    draft = await create(client, auth_headers, title="Draft", published=False)
    assert (await client.get(LIST, headers=auth_headers)).json()["count"] == 1
    other = await sign_up("bob@example.com")
    assert (await client.get(LIST, headers=other)).json()["count"] == 0
    assert (await client.get(f"{LIST}/{draft['id']}", headers=other)).status_code == 404


async def test_pagination(client: AsyncClient, auth_headers) -> None:
    for number in range(25):
        await create(client, auth_headers, title=f"Post {number}")
    first = (await client.get(LIST)).json()
    assert (first["count"], len(first["data"]), first["limit"]) == (25, 20, 20)
    assert first["data"][0]["title"] == "Post 24"  # newest first
    rest = (await client.get(LIST, params={"offset": 20})).json()
    assert len(rest["data"]) == 5
    assert (await client.get(LIST, params={"limit": 101})).status_code == 422


async def test_filters(client: AsyncClient, auth_headers) -> None:
    await create(client, auth_headers, category="tech")
    await create(client, auth_headers, category="lifestyle")
    await create(client, auth_headers, category="tech", published=False)
    assert (await client.get(LIST, params={"category": "tech"})).json()["count"] == 1
    mine = await client.get(LIST, params={"published": "false"}, headers=auth_headers)
    assert mine.json()["count"] == 1
    assert (await client.get(LIST, params={"category": "gossip"})).status_code == 422


async def test_the_list_never_does_n_plus_one_queries(
    client: AsyncClient, engine: AsyncEngine, session: AsyncSession
) -> None:
    hashed = hash_password("correct-horse-battery")  # hashed once: argon2 is slow on purpose
    for number in range(20):  # twenty posts by twenty authors
        author = User(email=f"author{number}@example.com", hashed_password=hashed)
        session.add(author)
        await session.flush()
        assert author.id is not None
        session.add(Post(title=f"Post {number}", content="x", published=True, author_id=author.id))
    await session.commit()
    selects: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        response = await client.get(LIST)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    assert len(response.json()["data"]) == 20
    assert response.json()["count"] == 20
    # One SELECT joining the authors, the total as a window count, and only the columns the
    # page shows (no password hash read, let alone sent).
    assert len(selects) == 1, selects
    assert "password" not in selects[0]
    # Past the last page: nothing to show, and the total still right (counted apart).
    past = (await client.get(LIST, params={"offset": 40})).json()
    assert (past["data"], past["count"]) == ([], 20)


async def test_anonymous_users_may_not_write(client: AsyncClient, auth_headers) -> None:
    post = await create(client, auth_headers)
    assert (await client.post(LIST, json=POST)).status_code == 401
    assert (await client.patch(f"{LIST}/{post['id']}", json={"title": "x"})).status_code == 401
    assert (await client.delete(f"{LIST}/{post['id']}")).status_code == 401


async def test_only_the_author_may_change_a_post(client, auth_headers, sign_up) -> None:
    post = await create(client, auth_headers)
    other = await sign_up("mallory@example.com")
    url = f"{LIST}/{post['id']}"
    assert (await client.patch(url, json={"title": "Hijacked"}, headers=other)).status_code == 403
    assert (await client.delete(url, headers=other)).status_code == 403
    assert (await client.get(url)).json()["title"] == "Hello"


async def test_the_author_updates_and_deletes(client: AsyncClient, auth_headers) -> None:
    post = await create(client, auth_headers)
    url = f"{LIST}/{post['id']}"
    updated = await client.patch(url, json={"title": "Changed"}, headers=auth_headers)
    assert updated.status_code == 200
    assert updated.json()["title"] == "Changed"
    assert updated.json()["content"] == "World"
    assert (await client.delete(url, headers=auth_headers)).status_code == 204
    assert (await client.get(url)).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [({"content": "x"}, "title"), ({**POST, "category": "gossip"}, "category"),
     ({**POST, "title": ""}, "title"), ({**POST, "title": "x" * (MAX_TITLE + 1)}, "title"),
     ({**POST, "content": "x" * (MAX_CONTENT + 1)}, "content")],
)  # fmt: skip
async def test_invalid_posts_are_422_naming_the_field(client, auth_headers, body, field) -> None:
    response = await client.post(LIST, json=body, headers=auth_headers)
    assert response.status_code == 422
    assert any(error["loc"][-1] == field for error in response.json()["detail"])


async def test_a_missing_post_is_404(client: AsyncClient) -> None:
    assert (await client.get(f"{LIST}/999999")).status_code == 404


async def test_the_longest_title_and_content_are_accepted(client, auth_headers) -> None:
    await create(client, auth_headers, title="x" * MAX_TITLE, content="y" * MAX_CONTENT)
    post = await create(client, auth_headers)
    url = f"{LIST}/{post['id']}"
    too_long = await client.patch(
        url, json={"content": "x" * (MAX_CONTENT + 1)}, headers=auth_headers
    )
    assert too_long.status_code == 422


async def test_a_10_mb_post_is_413_with_json(client: AsyncClient, auth_headers) -> None:
    response = await client.post(
        LIST, json={**POST, "content": "x" * 10 * 1024 * 1024}, headers=auth_headers
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is larger than 1048576 bytes."}
    assert (await client.get(LIST)).json()["count"] == 0


async def test_anonymous_readers_see_no_personal_data(client, sign_up) -> None:
    """The public list, detail and feed show an author's id and name, never the e-mail."""
    headers = await sign_up("private.person@example.com")
    post = await create(client, headers)
    await create(client, headers, title="Draft", published=False)
    for url in [LIST, f"{LIST}/{post['id']}", f"{LIST}?published=true&limit=1"]:
        response = await client.get(url)
        assert response.status_code == 200, url
        assert "@" not in response.text, (url, response.text)
        assert "email" not in response.text, (url, response.text)
    assert (await client.get(LIST)).json()["data"][0]["author"] == {
        "id": post["author"]["id"],
        "full_name": "",
    }
