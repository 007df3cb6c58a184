"""The OpenAPI schema is valid and truthful, and the docs pages work offline (no CDN)."""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


@pytest.fixture
def schema(client: Client) -> dict[str, Any]:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema: dict[str, Any] = response.json()
    return schema


def operations(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


@pytest.mark.django_db
class TestTheSchemaServesTypedClients:
    """What a client generated from the schema (openapi-python-client, say) relies on."""

    PUBLIC = {
        ("/api/auth/token/", "post"),
        ("/api/enrich", "post"),
        ("/api/posts/", "get"),
        ("/api/posts/{id}/", "get"),
    }

    def test_public_operations_allow_anonymous_callers(self, schema) -> None:
        public = {
            (path, method)
            for path, method, operation in operations(schema)
            if {} in operation.get("security", [{}])  # no security at all: anyone, too
        }
        assert public == self.PUBLIC & {(p, m) for p, m, _ in operations(schema)}

    def test_errors_are_documented_with_their_bodies(self, schema) -> None:
        detail = {"$ref": "#/components/schemas/ErrorDetail"}
        assert schema["components"]["schemas"]["ErrorDetail"]["required"] == ["detail"]
        for path, method, operation in operations(schema):
            responses = operation["responses"]
            expected = {"503"}
            if "requestBody" in operation:
                expected |= {"400", "413"}
            if any(operation.get("security", [])):
                expected |= {"401"}
            if "{" in path:
                expected |= {"404"}
            assert expected <= responses.keys(), (path, method, sorted(responses))
            for code in expected - {"400"}:
                body = responses[code]["content"]["application/json"]["schema"]
                assert body == detail, (path, method, code)
        # Signing in reads no credentials from headers: it cannot answer 401 or 403.
        token = schema["paths"]["/api/auth/token/"]["post"]["responses"]
        assert not {"401", "403"} & token.keys()

    def test_each_request_body_has_one_content_type(self, schema) -> None:
        for path, _method, operation in operations(schema):
            if "requestBody" in operation:
                assert list(operation["requestBody"]["content"]) == ["application/json"], path

    def test_operation_ids_read_as_names(self, schema) -> None:
        ids = {(path, method): op["operationId"] for path, method, op in operations(schema)}
        assert ids[("/api/auth/token/", "post")] == "auth_token_create"
        for operation_id in ids.values():
            assert re.fullmatch(r"[a-z]+(_[a-z]+)*", operation_id), operation_id
            assert not operation_id.startswith("api_"), operation_id
        if ("/api/posts/", "get") in ids:
            assert ids[("/api/posts/", "get")] == "posts_list"
            assert ids[("/api/posts/", "post")] == "posts_create"
            assert ids[("/api/posts/{id}/", "patch")] == "posts_partial_update"
            assert ids[("/api/posts/{id}/", "delete")] == "posts_destroy"
