"""Finding the post a request names, and checking who may change it."""

from typing import Annotated

from fastapi import Depends, HTTPException, status

from ..auth.dependencies import CurrentUser, OptionalUser
from ..database import SessionDep
from ..fields import Id
from .models import Post
from .service import post_get


async def get_visible_post(post_id: Id, session: SessionDep, viewer: OptionalUser) -> Post:
    post = await post_get(session=session, viewer=viewer, post_id=post_id)
    if post is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Post not found")
    return post


async def get_own_post(user: CurrentUser, post: Annotated[Post, Depends(get_visible_post)]) -> Post:
    if post.author_id != user.id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Only the author of a post may change it")
    return post


VisiblePost = Annotated[Post, Depends(get_visible_post)]
OwnPost = Annotated[Post, Depends(get_own_post)]
