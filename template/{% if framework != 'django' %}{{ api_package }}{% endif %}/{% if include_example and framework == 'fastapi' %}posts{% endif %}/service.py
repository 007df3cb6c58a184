"""Reading and changing posts. Routers call these; they never build queries themselves."""

from sqlalchemy import ColumnElement, func, or_
from sqlalchemy.orm import joinedload
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from ..timestamps import utcnow
from ..users.models import User
from .models import Category, Post
from .schemas import PostCreate, PostUpdate


def _visible_to(viewer: User | None) -> ColumnElement[bool]:
    """Published posts, plus the viewer's own drafts."""
    if viewer is None:
        return col(Post.published).is_(True)
    return or_(col(Post.published).is_(True), col(Post.author_id) == viewer.id)


async def post_list(
    *,
    session: AsyncSession,
    viewer: User | None,
    category: Category | None = None,
    published: bool | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[Post], int]:
    """One page of visible posts with their authors (one query), and the total count."""
    conditions = [_visible_to(viewer)]
    if category is not None:
        conditions.append(col(Post.category) == category)
    if published is not None:
        conditions.append(col(Post.published).is_(published))
    count = (await session.exec(select(func.count()).select_from(Post).where(*conditions))).one()
    page = await session.exec(
        select(Post)
        .where(*conditions)
        .options(joinedload(Post.author))  # type: ignore[arg-type]
        .order_by(col(Post.created_at).desc(), col(Post.id).desc())
        .offset(offset)
        .limit(limit)
    )
    return list(page.all()), count


async def post_get(*, session: AsyncSession, viewer: User | None, post_id: int) -> Post | None:
    statement = (
        select(Post)
        .where(col(Post.id) == post_id, _visible_to(viewer))
        .options(joinedload(Post.author))  # type: ignore[arg-type]
    )
    return (await session.exec(statement)).first()


async def post_create(*, session: AsyncSession, author: User, data: PostCreate) -> Post:
    assert author.id is not None
    post = Post.model_validate(data, update={"author_id": author.id})
    session.add(post)
    await session.commit()
    return await _reload(session, post)


async def post_update(*, session: AsyncSession, post: Post, data: PostUpdate) -> Post:
    post.sqlmodel_update(data.model_dump(exclude_unset=True))
    post.updated_at = utcnow()
    session.add(post)
    await session.commit()
    return await _reload(session, post)


async def post_delete(*, session: AsyncSession, post: Post) -> None:
    await session.delete(post)
    await session.commit()


async def _reload(session: AsyncSession, post: Post) -> Post:
    """The post as stored, with its author, for the response."""
    await session.refresh(post, attribute_names=["author"])
    return post
