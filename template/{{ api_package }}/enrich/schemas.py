"""What /api/enrich accepts and returns."""

from pydantic import JsonValue
from sqlmodel import Field, SQLModel


class EnrichRequest(SQLModel):
    text: str = Field(min_length=1, max_length=10_000)


class EnrichResponse(SQLModel):
    results: dict[str, JsonValue]
