"""The API's JSON, encoded by orjson: the same documents as DRF's JSONRenderer, faster."""

from collections.abc import Mapping
from typing import Any

import orjson
from rest_framework import renderers
from rest_framework.utils.encoders import JSONEncoder

# What orjson does not encode itself (lazy translations, Decimal, ...) DRF's encoder does.
_fallback = JSONEncoder().default


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSONRenderer with orjson: compact, UTF-8, datetimes in UTC with `Z`, as DRF writes
    them. A client that asks for indented JSON (`Accept: application/json; indent=4`) gets
    DRF's own rendering."""

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if data is None:
            return b""
        if self.get_indent(accepted_media_type or "", renderer_context or {}):
            indented: bytes = super().render(data, accepted_media_type, renderer_context)
            return indented
        options = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS
        return orjson.dumps(data, default=_fallback, option=options)
