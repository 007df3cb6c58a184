"""The endpoints a project adds get their errors documented too, not only the shipped ones."""

from typing import Any

from django.urls import path
from drf_spectacular.generators import SchemaGenerator
from rest_framework import generics, permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response


class NoteSerializer(serializers.Serializer[dict[str, str]]):
    text = serializers.CharField(max_length=100)


class NoteView(generics.GenericAPIView[Any]):
    """A signed-in user's note: read it, replace it."""

    serializer_class = NoteSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get(self, request: Request, pk: int) -> Response:
        return Response({"text": ""})

    def put(self, request: Request, pk: int) -> Response:
        return Response(request.data)


def schema_of(view: type[generics.GenericAPIView[Any]]) -> dict[str, Any]:
    generator = SchemaGenerator(patterns=[path("api/notes/<int:pk>/", view.as_view())])
    schema: dict[str, Any] = generator.get_schema(request=None, public=True)
    return schema


def test_an_endpoint_that_needs_a_token_documents_401_and_on_writes_403() -> None:
    operations = schema_of(NoteView)["paths"]["/api/notes/{id}/"]
    detail = {"$ref": "#/components/schemas/ErrorDetail"}
    read, write = operations["get"]["responses"], operations["put"]["responses"]
    assert {"401", "404", "503"} <= read.keys()
    assert "403" not in read  # reading never needs more than being signed in
    assert {"400", "401", "403", "404", "413", "503"} <= write.keys()
    for code in ("401", "403", "404", "413", "503"):
        assert write[code]["content"]["application/json"]["schema"] == detail, code


def test_a_public_read_documents_no_credential_errors() -> None:
    class PublicNoteView(NoteView):
        permission_classes = [permissions.AllowAny]
        authentication_classes = []

    responses = schema_of(PublicNoteView)["paths"]["/api/notes/{id}/"]["get"]["responses"]
    assert not {"401", "403"} & responses.keys()
    assert {"404", "503"} <= responses.keys()
