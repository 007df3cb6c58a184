"""POST /api/enrich: fan a text out to the configured services and combine their answers."""

from fastapi import APIRouter, HTTPException, status

from ..dependencies import HttpClientDep, SettingsDep
from ..errors import errors
from .schemas import EnrichRequest, EnrichResponse
from .service import DownstreamError, enrich

router = APIRouter(prefix="/api/enrich", tags=["enrich"])


@router.post(
    "",
    responses=errors(413, 502, 503, _503="No services are configured"),
)
async def enrich_text(
    data: EnrichRequest, client: HttpClientDep, settings: SettingsDep
) -> EnrichResponse:
    """Ask every configured service about the text, concurrently."""
    if not settings.enrich_services:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "ENRICH_SERVICES is not set")
    try:
        results = await enrich(
            client=client,
            services=settings.enrich_services,
            text=data.text,
            timeout=settings.downstream_timeout_seconds,
        )
    except DownstreamError as error:
        raise HTTPException(status.HTTP_502_BAD_GATEWAY, str(error)) from None
    return EnrichResponse(results=results)
