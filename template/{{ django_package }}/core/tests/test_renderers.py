"""The API's JSON renderer writes what DRF's own would, with orjson."""

from collections import OrderedDict
from datetime import UTC, date, datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy
from rest_framework import renderers

from ..renderers import JSONRenderer

DOCUMENT = {
    "id": 7,
    "title": "Grüße, 東京 & <b>",
    "published": True,
    "missing": None,
    "tags": ["a", "b"],
    "author": OrderedDict(id=1, username="ada"),  # a dict subclass, as serializers give
    "created_at": datetime(2026, 11, 23, 7, 43, 35, 940530, tzinfo=UTC),
    "updated_at": datetime(2026, 11, 23, 7, 43, 35, tzinfo=UTC),
    "day": date(2026, 11, 23),
    "detail": gettext_lazy("Not found."),
    "price": Decimal("2.50"),
    "by_id": {1: "one"},
}


def test_the_same_bytes_as_drfs_renderer() -> None:
    assert JSONRenderer().render(DOCUMENT) == renderers.JSONRenderer().render(DOCUMENT)


def test_indented_json_on_request_and_nothing_for_no_data() -> None:
    indented = JSONRenderer().render(DOCUMENT, "application/json; indent=2")
    assert indented == renderers.JSONRenderer().render(DOCUMENT, "application/json; indent=2")
    assert b"\n  " in indented
    assert JSONRenderer().render(None) == b""
