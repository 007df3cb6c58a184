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


async def test_operation_ids_are_the_route_names(client: AsyncClient) -> None:
    """A generated client's methods read as names: `list_posts`, not `list_posts_api_posts_get`."""
    schema = (await client.get("/openapi.json")).json()
    ids = [op["operationId"] for path in schema["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids))
    assert "health" in ids
    assert all("_api_" not in i for i in ids), ids


async def test_public_operations_need_no_token(client: AsyncClient) -> None:
    """Anonymous reads are declared so: a typed client calls them without a token."""
    schema = (await client.get("/openapi.json")).json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            # An operation whose only 401 is "bad token" is public; one that needs sign-in
            # declares a security scheme.
            anonymous = (await client.request(method.upper(), _fill(path))).status_code != 401
            assert ("security" not in operation) == anonymous, (method, path)


async def test_errors_are_declared_with_their_body(client: AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    error = schema["components"]["schemas"]["ErrorDetail"]
    assert error["required"] == ["detail"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if "security" in operation:
                assert "401" in operation["responses"], (method, path)
            if "requestBody" in operation:
                assert {"413", "422"} <= set(operation["responses"]), (method, path)
            for code, response in operation["responses"].items():
                if code.startswith(("4", "5")) and code != "422" and path != "/ready":
                    body = response["content"]["application/json"]["schema"]
                    assert body == {"$ref": "#/components/schemas/ErrorDetail"}, (code, path)


def _fill(path: str) -> str:
    """A schema path with a made-up value for each parameter."""
    return "/".join("1" if part.startswith("{") else part for part in path.split("/"))
