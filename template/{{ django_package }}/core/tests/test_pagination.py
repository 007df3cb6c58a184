"""Clients choose the page size, within a bound; a page and its total come in one query."""

from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.paginator import EmptyPage, PageNotAnInteger
from rest_framework.request import Request

from ..pagination import CountInPagePaginator, PageNumberPagination


def page_size(query: dict[str, str]) -> int | None:
    request = mock.Mock(spec=Request, query_params=query)
    return PageNumberPagination().get_page_size(request)


def test_page_size_is_chosen_by_the_client_up_to_a_bound() -> None:
    assert page_size({}) == 20
    assert page_size({"page_size": "5"}) == 5
    assert page_size({"page_size": "5000"}) == 100


@pytest.mark.django_db
def test_a_page_and_its_total_come_in_one_query(django_assert_num_queries) -> None:
    users = get_user_model().objects
    for number in range(5):
        users.create_user(username=f"reader{number}", password="x-pass-12345")
    paginator = CountInPagePaginator(users.order_by("pk").values("username"), per_page=2)
    with django_assert_num_queries(1):
        page = paginator.page(2)
        assert (paginator.count, paginator.num_pages, page.has_next()) == (5, 3, True)
    assert [row["username"] for row in page] == ["reader2", "reader3"]
    # Past the end no row carries the total: counted apart, then EmptyPage as Django does.
    with pytest.raises(EmptyPage), django_assert_num_queries(2):
        CountInPagePaginator(users.order_by("pk"), per_page=2).page(4)
    with pytest.raises(PageNotAnInteger):
        paginator.page("two")
    with pytest.raises(EmptyPage):
        paginator.page(0)


@pytest.mark.django_db
def test_an_empty_first_page_counts_nothing(django_assert_num_queries) -> None:
    paginator = CountInPagePaginator(get_user_model().objects.order_by("pk"), per_page=2)
    with django_assert_num_queries(1):
        assert list(paginator.page(1)) == []
        assert paginator.count == 0


def test_what_is_not_a_queryset_is_paginated_as_django_does() -> None:
    paginator = CountInPagePaginator(["a", "b", "c"], per_page=2)
    assert list(paginator.page(2)) == ["c"]
    assert paginator.count == 3
