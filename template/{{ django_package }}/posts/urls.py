"""Routes of the posts pages."""

from django.urls import path

from . import views

app_name = "posts"

urlpatterns = [
    path("", views.post_list_page, name="list"),
    path("new/", views.post_create_page, name="create"),
    path("<int:post_id>/", views.post_detail_page, name="detail"),
    path("<int:post_id>/edit/", views.post_edit_page, name="edit"),
]
