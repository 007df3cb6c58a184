"""The OpenAPI schema, and docs pages that work offline."""

import re

import pytest
from httpx2 import AsyncClient

pytestmark = pytest.mark.anyio

EXTERNAL_ASSET = re.compile(r"""(?:src|href)=["']?(?:https?:)?//""")


async def test_the_schema_lists_the_probes(client: AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    assert schema["openapi"].startswith("3.")
    assert {"/health", "/ready"} <= set(schema["paths"])


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_docs_pages_load_their_assets_from_the_app(client: AsyncClient, page: str) -> None:
    response = await client.get(page)
    assert response.status_code == 200
    assert not EXTERNAL_ASSET.search(response.text), EXTERNAL_ASSET.search(response.text)
    assets = re.findall(r"""(?:src|href)=["']([^"']+\.(?:js|css|png))["']""", response.text)
    assert assets
    for asset in assets:
        assert (await client.get(asset)).status_code == 200, asset
