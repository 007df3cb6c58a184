"""APIView for coroutine handlers: DRF's dispatch, awaited (DRF itself is sync only).

Django runs a view whose handlers are `async def` on the event loop (under ASGI directly; under
WSGI in a loop of its own per request); DRF's dispatch would call the handler and get a
coroutine back. This one awaits it, and runs DRF's authentication, permission and throttle
checks (which may query the database) in a thread, as Django requires.
"""

import inspect
from typing import Any

from asgiref.sync import sync_to_async
from django.http import HttpRequest
from rest_framework.response import Response
from rest_framework.views import APIView


class AsyncAPIView(APIView):
    """Declare handlers with `async def`; everything else is DRF's, unchanged."""

    # A coroutine of DRF's result, where DRF's dispatch returns the result itself.
    async def dispatch(  # type: ignore[override]
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> Response:
        self.args = args
        self.kwargs = kwargs
        drf_request = self.initialize_request(request, *args, **kwargs)
        self.request = drf_request
        self.headers = self.default_response_headers
        try:
            await sync_to_async(self.initial)(drf_request, *args, **kwargs)
            method = (drf_request.method or "").lower()
            handler = getattr(self, method, None) if method in self.http_method_names else None
            response = (handler or self.http_method_not_allowed)(drf_request, *args, **kwargs)
            if inspect.isawaitable(response):  # DRF's own OPTIONS handler is sync
                response = await response
        except Exception as exc:
            response = self.handle_exception(exc)
        self.response = self.finalize_response(drf_request, response, *args, **kwargs)
        return self.response
