"""Timezone-aware timestamps for table models."""

from datetime import UTC, datetime

from sqlalchemy import DateTime


def utcnow() -> datetime:
    return datetime.now(UTC)


# Stored with their time zone on PostgreSQL (timestamptz).
TIMESTAMP = DateTime(timezone=True)
