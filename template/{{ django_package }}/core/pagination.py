"""Pagination for list endpoints that let clients choose the page size."""

from typing import TYPE_CHECKING, Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, QuerySet, Window
from rest_framework import pagination

TOTAL = "page_total"  # the annotation that carries the count on each row

if TYPE_CHECKING:  # generic in django-stubs only
    BasePaginator = Paginator[Any]
else:
    BasePaginator = Paginator


class CountInPagePaginator(BasePaginator):
    """Asks the database once per page: each row of the page carries the total number of rows
    (`COUNT(*) OVER ()`, counted before LIMIT), where Django's Paginator counts first with a
    query of its own. Only a page past the end, with no row to carry it, counts apart."""

    def page(self, number: Any) -> Page[Any]:
        if not isinstance(self.object_list, QuerySet) or self.orphans:
            return super().page(number)
        number = self._page_number(number)
        bottom = (number - 1) * self.per_page
        counted = self.object_list.annotate(**{TOTAL: Window(Count("*"))})
        rows = list(counted[bottom : bottom + self.per_page])
        if not rows and (number > 1 or not self.allow_empty_first_page):
            return super().page(number)  # counts, then EmptyPage as usual
        first = rows[0] if rows else {TOTAL: 0}
        # Paginator.count is a cached property: this is its value for this request.
        self.__dict__["count"] = first[TOTAL] if isinstance(first, dict) else getattr(first, TOTAL)
        return Page(rows, number, self)

    def _page_number(self, number: Any) -> int:
        """The checks of Paginator.validate_number that need no count."""
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            whole = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if whole < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return whole


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N`, 20 items a page by default, `?page_size=` up to 100, one query a page."""

    page_size_query_param = "page_size"
    max_page_size = 100
    django_paginator_class = CountInPagePaginator
