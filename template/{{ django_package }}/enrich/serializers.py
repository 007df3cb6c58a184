"""What /api/enrich accepts and returns (the FastAPI variant's contract)."""

from rest_framework import serializers


class EnrichSerializer(serializers.Serializer[dict[str, str]]):
    """The request body (the schema's EnrichRequest, as the FastAPI variant names it)."""

    text = serializers.CharField(min_length=1, max_length=10_000, trim_whitespace=False)


class EnrichResponseSerializer(serializers.Serializer[dict[str, object]]):
    results = serializers.DictField(
        child=serializers.JSONField(), help_text="Each service's JSON answer, by service name"
    )


class ErrorDetailSerializer(serializers.Serializer[dict[str, str]]):
    """Named so the schema shares the ErrorDetail component core/schema.py documents."""

    detail = serializers.CharField()
