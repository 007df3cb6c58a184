"""The OpenAPI schema documents every error an operation can answer, with its body.

drf-spectacular documents the successful responses; `document_errors` (a postprocessing hook,
settings.SPECTACULAR_SETTINGS) adds the errors, so a client generated from the schema (for
example by openapi-python-client) can parse them too:

- 400: a validation error, `{"<field>": ["<message>", ...]}` (DRF's shape), or
  `{"detail": "..."}` for a body that is not JSON;
- 401, 403, 404, 413, 503: `{"detail": "..."}` (the ErrorDetail component);
- 429, with a `Retry-After` header, where a view is throttled (marked `x-throttled` by
  `extend_schema(extensions=THROTTLED)`, e.g. /api/auth/token/).
"""

from typing import Any

ERROR_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What went wrong"}},
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "type": "object",
    "description": "Each invalid field (or non_field_errors) with its messages",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
WRITES = {"post", "put", "patch"}
THROTTLED = {"x-throttled": True}
RETRY_AFTER = {
    "description": "Seconds to wait before trying again",
    "schema": {"type": "integer"},
}


def _body(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(method: str, path: str, operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    detail = {"$ref": "#/components/schemas/ErrorDetail"}
    validation = {"$ref": "#/components/schemas/ValidationError"}
    query = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
    # Credentials are read (and may be refused) where a non-empty requirement is listed.
    reads_credentials = any(operation.get("security", []))
    errors: dict[str, dict[str, Any]] = {}
    if "requestBody" in operation or query:
        errors["400"] = _body({"oneOf": [validation, detail]}, "Invalid input")
    if reads_credentials:
        errors["401"] = _body(detail, "Invalid credentials, or none where they are required")
        if method in WRITES | {"delete"}:
            errors["403"] = _body(detail, "Not allowed (or a missing CSRF token with a session)")
    if "{" in path or "page" in query:
        errors["404"] = _body(detail, "No such object (or page), or not one the caller may see")
    if "requestBody" in operation:
        errors["413"] = _body(detail, "The request body is larger than MAX_BODY_SIZE")
    if operation.pop("x-throttled", False):
        errors["429"] = {
            **_body(detail, "Too many tries from this client (AUTH_RATE_LIMIT)"),
            "headers": {"Retry-After": RETRY_AFTER},
        }
    errors["503"] = _body(detail, "A service the API needs (database, Redis) is unavailable")
    return errors


def document_errors(
    result: dict[str, Any], generator: object, request: object, public: bool
) -> dict[str, Any]:
    """Add the error responses of every operation, and the schemas of their bodies."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorDetail"] = ERROR_DETAIL
    schemas["ValidationError"] = VALIDATION_ERROR
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            for code, response in _errors(method, path, operation).items():
                operation["responses"].setdefault(code, response)
    return result
