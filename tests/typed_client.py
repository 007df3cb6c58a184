"""A client generated from an app's own OpenAPI schema does the whole flow, typed.

`generate()` runs openapi-python-client on the schema a running server publishes; `main()`
(run in a subprocess, so each variant's generated package is imported fresh) signs in, creates
a post, lists it anonymously, updates it, reads it, deletes it and reads the 404, all through
the generated functions and models, never a hand-written request. Each step checks that the
response parsed into the documented model: a status the schema does not document, or a body
that does not match it, leaves `parsed` empty.

    python -m tests.typed_client CLIENT_DIR FLAVOR BASE_URL USERNAME PASSWORD [TOKEN] [MAIL_DIR]

The FastAPI flow signs up, then verifies the address with the token mailed to it: MAIL_DIR is
the folder tests.mail_sink's SMTP server keeps the production server's mail in.
"""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
import typing
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlsplit

# The operations each side's flow uses, by operationId (the generated module names).
OPERATIONS: dict[str, dict[str, str]] = {
    "django": {
        "sign_in": "auth_token_create",
        "list": "posts_list",
        "create": "posts_create",
        "read": "posts_retrieve",
        "update": "posts_partial_update",
        "delete": "posts_destroy",
    },
    "fastapi": {
        "sign_up": "signup",
        "verify": "verify_email_token",
        "sign_in": "login",
        "list": "list_posts",
        "create": "create_post",
        "read": "read_post",
        "update": "update_post",
        "delete": "delete_post",
    },
}
TLS = {"X-Forwarded-Proto": "https"}  # Django's production settings expect the TLS proxy's header


def generate(schema: Path, output: Path) -> Path:
    """Generate a client package from a saved schema; return the package's folder."""
    command = [str(Path(sys.executable).parent / "openapi-python-client"), "generate",
               "--path", str(schema), "--meta", "none", "--output-path", str(output),
               "--overwrite"]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0 or "Warning" in result.stdout or "Error" in result.stdout:
        raise AssertionError(f"openapi-python-client:\n{result.stdout}\n{result.stderr}")
    return output


def operation(package: ModuleType, operation_id: str) -> ModuleType:
    """The generated module of one operation (`<package>.api.<tag>.<operation_id>`)."""
    api = importlib.import_module(f"{package.__name__}.api")
    for found in pkgutil.walk_packages(api.__path__, f"{api.__name__}."):
        if found.name.rsplit(".", 1)[-1] == operation_id:
            return importlib.import_module(found.name)
    raise AssertionError(f"the schema has no operation {operation_id!r}")


def body(module: ModuleType, data: dict[str, Any]) -> Any:
    """The operation's typed request body, built from plain data by its generated model."""
    model = typing.get_type_hints(module.sync_detailed)["body"]
    # An optional body (a PATCH's) is typed `Model | Unset`: the member with a `from_dict`.
    members = typing.get_args(model) or (model,)
    model = next(member for member in members if hasattr(member, "from_dict"))
    return model.from_dict(data)


def call(module: ModuleType, expected: int, **kwargs: Any) -> Any:
    response = module.sync_detailed(**kwargs)
    assert response.status_code == expected, (
        module.__name__,
        response.status_code,
        response.content,
    )
    return response.parsed


def main(
    client_dir: str,
    flavor: str,
    base: str,
    username: str,
    password: str,
    token: str = "",
    mail_dir: str = "",
) -> None:
    folder = Path(client_dir)
    sys.path.insert(0, str(folder.parent))
    package = importlib.import_module(folder.name)
    names = OPERATIONS["django" if flavor == "django" else "fastapi"]
    # The Hybrid's service signs nobody in: it reads the Django side's tokens.
    skipped = {"sign_up", "verify", "sign_in"} if flavor == "hybrid-api" else set()
    if flavor == "django":
        skipped |= {"sign_up", "verify"}
    ops = {step: operation(package, name) for step, name in names.items() if step not in skipped}
    headers = TLS if flavor == "django" else {}
    anonymous = package.Client(base_url=base, headers=headers, raise_on_unexpected_status=True)

    credentials = {"username": username, "password": password}
    if flavor == "fastapi":
        account = {"email": username, "password": password}
        call(ops["sign_up"], 201, client=anonymous, body=body(ops["sign_up"], account))
        mailed = {"token": mailed_token(Path(mail_dir), username)}
        verified = call(ops["verify"], 200, client=anonymous, body=body(ops["verify"], mailed))
        assert "verified" in verified.detail, verified
    if flavor in {"fastapi", "django"}:
        parsed = call(ops["sign_in"], 200, client=anonymous, body=body(ops["sign_in"], credentials))
        token = parsed.access_token if flavor == "fastapi" else parsed.token
        prefix = "Bearer" if flavor == "fastapi" else "Token"
    else:  # the Hybrid's service: a Django token, signed in on the Django side
        prefix = "Token"
    signed_in = package.AuthenticatedClient(
        base_url=base, token=token, prefix=prefix, headers=headers, raise_on_unexpected_status=True
    )

    post = {
        "title": "typed",
        "content": "through a generated client",
        "category": "tech",
        "published": True,
    }
    created = call(ops["create"], 201, client=signed_in, body=body(ops["create"], post))
    post_id = created.id
    page = call(ops["list"], 200, client=anonymous).to_dict()
    items = page.get("results", page.get("data"))
    assert any(item["id"] == post_id for item in items), page
    updated = call(
        ops["update"],
        200,
        client=signed_in,
        **id_arg(ops["update"], post_id),
        body=body(ops["update"], {"title": "typed, changed"}),
    )
    assert updated.title == "typed, changed"
    assert (
        call(ops["read"], 200, client=anonymous, **id_arg(ops["read"], post_id)).title
        == "typed, changed"
    )
    call(ops["delete"], 204, client=signed_in, **id_arg(ops["delete"], post_id))
    missing = call(ops["read"], 404, client=anonymous, **id_arg(ops["read"], post_id))
    assert missing is not None, "the 404 and its body are not documented"
    print(f"typed client flow ok ({flavor})")


def mailed_token(folder: Path, address: str) -> str:
    """The token in the link of the first mail to `address` (tests.mail_sink's folder)."""
    from tests.mail_sink import links_in, wait_for_mail

    [link] = links_in(wait_for_mail(folder, address))
    return parse_qs(urlsplit(link).query)["token"][0]


def id_arg(module: ModuleType, post_id: int) -> dict[str, int]:
    """The path parameter's name as the schema spells it (`id` on Django, `post_id` on FastAPI)."""
    hints = typing.get_type_hints(module.sync_detailed)
    name = next(name for name in ("id", "post_id") if name in hints)
    return {name: post_id}


if __name__ == "__main__":
    main(*sys.argv[1:])
