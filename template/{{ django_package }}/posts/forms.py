"""The form of the posts pages: what a signed-in author may write."""

from typing import TYPE_CHECKING

from django import forms

from .models import CONTENT_MAX_LENGTH, TITLE_MAX_LENGTH, Post

# ModelForm is generic for type checkers only (it cannot be subscripted at run time).
if TYPE_CHECKING:
    ModelForm = forms.ModelForm[Post]
else:
    ModelForm = forms.ModelForm


class PostForm(ModelForm):
    """Validates the input only: the views save through the services (services.py)."""

    class Meta:
        model = Post
        # The same fields the API lets an author set (services.EDITABLE_FIELDS).
        fields = ["title", "content", "category", "published"]
        labels = {"published": "Published (visible to everyone)"}
        help_texts = {
            "title": f"Up to {TITLE_MAX_LENGTH} characters.",
            "content": f"Up to {CONTENT_MAX_LENGTH:,} characters. Blank lines separate paragraphs.",
            "published": "Leave unticked to keep it a draft only you can see.",
        }
