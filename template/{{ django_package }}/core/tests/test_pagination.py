"""Clients choose the page size, within a bound."""

from unittest import mock

from rest_framework.request import Request

from ..pagination import PageNumberPagination


def page_size(query: dict[str, str]) -> int | None:
    request = mock.Mock(spec=Request, query_params=query)
    return PageNumberPagination().get_page_size(request)


def test_page_size_is_chosen_by_the_client_up_to_a_bound() -> None:
    assert page_size({}) == 20
    assert page_size({"page_size": "5"}) == 5
    assert page_size({"page_size": "5000"}) == 100
