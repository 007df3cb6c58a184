"""The OpenAPI schema is valid, and the docs pages work offline (no CDN)."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

EXTERNAL_ASSET = re.compile(r"""(?:src|href)=["']?(?:https?:)?//""")


def test_the_openapi_schema_is_valid(tmp_path: Path) -> None:
    schema = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema))
    assert "openapi: 3" in schema.read_text()


@pytest.mark.django_db
def test_schema_endpoint(client: Client) -> None:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["info"]["title"]


@pytest.mark.django_db
def test_the_docs_page_loads_nothing_from_other_hosts(client: Client) -> None:
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert not EXTERNAL_ASSET.search(html), EXTERNAL_ASSET.search(html)
