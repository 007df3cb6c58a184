"""Server-rendered posts pages: a paginated list and a detail page."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import Post
from .selectors import post_get, post_list

PAGE_SIZE = 10


@require_GET
def post_list_page(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(post_list(user=request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "posts/post_list.html", {"page": page})


@require_GET
def post_detail_page(request: HttpRequest, post_id: int) -> HttpResponse:
    try:
        post = post_get(user=request.user, post_id=post_id)
    except Post.DoesNotExist:
        raise Http404("No such post") from None
    return render(request, "posts/post_detail.html", {"post": post})
