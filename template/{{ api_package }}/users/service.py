"""Creating and finding users."""

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from ..auth.security import hash_password, verify_password
from .models import User
from .schemas import UserCreate


class EmailTakenError(Exception):
    """An account with this email address exists already."""


async def user_get_by_email(*, session: AsyncSession, email: str) -> User | None:
    if "\x00" in email:  # no stored email holds NUL (and PostgreSQL refuses to compare it)
        return None
    return (await session.exec(select(User).where(User.email == email.lower()))).first()


async def user_create(*, session: AsyncSession, data: UserCreate) -> User:
    email = data.email.lower()
    if await user_get_by_email(session=session, email=email):
        raise EmailTakenError(email)
    user = User(email=email, full_name=data.full_name, hashed_password=hash_password(data.password))
    session.add(user)
    await session.commit()
    await session.refresh(user)
    return user


async def user_authenticate(*, session: AsyncSession, email: str, password: str) -> User | None:
    """The active user with this email and password, or None."""
    user = await user_get_by_email(session=session, email=email)
    # Hash even for an unknown email, so the response time does not reveal which emails exist.
    hashed = user.hashed_password if user else None
    if not verify_password(password, hashed) or user is None or not user.is_active:
        return None
    return user
