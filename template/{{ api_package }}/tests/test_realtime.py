"""The WebSocket feed pushes new published posts to connected clients."""

from pathlib import Path

from fastapi.testclient import TestClient

from ..config import Settings
from ..main import create_app
from .conftest import Mailbox, migrate

POST = {"title": "Live", "content": "Now", "category": "tech"}


def test_new_published_posts_reach_connected_clients(tmp_path: Path, mailbox: Mailbox) -> None:
    # A real server loop and its own database: the feed crosses requests.
    database_url = f"sqlite:///{tmp_path / 'feed.sqlite3'}"
    migrate(database_url)
    app = create_app(Settings(environment="test", database_url=database_url, email_url=mailbox.url))
    with TestClient(app, base_url="http://localhost") as client:
        body = {"email": "live@example.com", "password": "correct-horse-battery"}
        assert client.post("/api/auth/signup", json=body).status_code == 201
        token = mailbox.token(body["email"])
        assert client.post("/api/auth/verify", json={"token": token}).status_code == 200
        login = client.post("/api/auth/login", data={"username": body["email"],
                                                     "password": body["password"]})  # fmt: skip
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        with client.websocket_connect("ws://localhost/api/posts/ws") as feed:
            client.post("/api/posts", json={**POST, "title": "Draft"}, headers=headers)
            created = client.post("/api/posts", json={**POST, "published": True}, headers=headers)
            message = feed.receive_json()
        assert message["id"] == created.json()["id"]
        assert message["title"] == "Live"  # the draft was not pushed
        # Anyone may listen: the feed names the author without their e-mail address.
        assert message["author"] == {"id": created.json()["author"]["id"], "full_name": ""}
