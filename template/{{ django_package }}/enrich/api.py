"""POST /api/enrich: fan a text out to the configured services and combine their answers.

An async view: while the calls are in flight the worker serves other requests instead of
holding a thread per waiting request.
"""

import httpx2
from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.request import Request
from rest_framework.response import Response

from ..core.async_api import AsyncAPIView
from .serializers import EnrichResponseSerializer, EnrichSerializer, ErrorDetailSerializer
from .services import DownstreamError, enrich


def http_client() -> httpx2.AsyncClient:
    """One client per request (tests replace it with one on a fake transport)."""
    return httpx2.AsyncClient()


class EnrichView(AsyncAPIView):
    """Anyone may ask; no credentials are read."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="enrich_create",
        request=EnrichSerializer,
        responses={
            200: EnrichResponseSerializer,
            502: OpenApiResponse(ErrorDetailSerializer, "A downstream service failed (named)"),
            503: OpenApiResponse(ErrorDetailSerializer, "ENRICH_SERVICES is not set"),
        },
    )
    async def post(self, request: Request) -> Response:
        """Ask every configured service about the text, concurrently."""
        data = EnrichSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services: dict[str, str] = settings.ENRICH_SERVICES
        if not services:
            return Response(
                {"detail": "ENRICH_SERVICES is not set"}, status.HTTP_503_SERVICE_UNAVAILABLE
            )
        try:
            async with http_client() as client:
                results = await enrich(
                    client=client,
                    services=services,
                    text=data.validated_data["text"],
                    timeout=settings.DOWNSTREAM_TIMEOUT_SECONDS,
                )
        except DownstreamError as error:
            return Response({"detail": str(error)}, status.HTTP_502_BAD_GATEWAY)
        return Response({"results": results})
