"""Server-rendered posts pages: the list, a post, and the forms authors write with.

Thin views, as in the API: the selectors decide who sees what, PostForm checks the input, and
the services make every change (so whatever a write sets off, cache invalidation included,
happens as it does for the API and the admin).
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from ..users.models import User
from .forms import PostForm
from .models import Post
from .selectors import post_get, post_list
from .services import post_create, post_update

PAGE_SIZE = 10


@require_GET
def post_list_page(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(post_list(user=request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    # 1 2 … 7 8 [9] 10 11 … 20 21: every page reachable in a few steps, however many there are.
    page_links = paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=2)
    context = {"page": page, "page_links": page_links, "ellipsis": Paginator.ELLIPSIS}
    return render(request, "posts/post_list.html", context)


@require_GET
def post_detail_page(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _visible_post(request, post_id)
    return render(request, "posts/post_detail.html", {"post": post})


@require_http_methods(["GET", "POST"])
def post_create_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User):  # anonymous: sign in first, then come back here
        return redirect_to_login(request.get_full_path())
    form = PostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        post = post_create(author=user, **form.cleaned_data)
        messages.success(request, f"“{post.title}” was created.")
        return redirect("posts:detail", post_id=post.pk)
    return render(request, "posts/post_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def post_edit_page(request: HttpRequest, post_id: int) -> HttpResponse:
    user = request.user
    if not isinstance(user, User):
        return redirect_to_login(request.get_full_path())
    post = _visible_post(request, post_id)
    if post.author_id != user.pk:  # the API's rule (IsAuthorOrReadOnly): staff use the admin
        raise PermissionDenied("Only the author of a post may change it.")
    title = post.title  # the form writes its valid fields onto `post` as it checks them
    form = PostForm(request.POST or None, instance=post)
    if request.method == "POST" and form.is_valid():
        post = post_update(post=post, data=form.cleaned_data)
        messages.success(request, f"“{post.title}” was saved.")
        return redirect("posts:detail", post_id=post.pk)
    context = {"form": form, "post_id": post_id, "title": title}
    return render(request, "posts/post_form.html", context)


def _visible_post(request: HttpRequest, post_id: int) -> Post:
    """The post if this user may see it; 404 for a missing post and for someone else's draft."""
    try:
        return post_get(user=request.user, post_id=post_id)
    except Post.DoesNotExist:
        raise Http404("No such post") from None
