"""Signing in and out, refresh-token rotation, and the mailed verification and reset tokens."""

import logging
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import jwt
from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from ..config import Settings
from ..mail import send_mail
from ..timestamps import utcnow
from ..users.models import User
from .models import RefreshToken
from .schemas import Token
from .security import (
    EmailPurpose,
    create_access_token,
    create_email_token,
    decode_email_token,
    fingerprint,
    hash_password,
    hash_refresh_token,
    new_refresh_token,
)

logger = logging.getLogger(__name__)


class InvalidRefreshTokenError(Exception):
    """Unknown, expired, revoked or already used."""


class EmailTokenError(Exception):
    """A mailed token that cannot be used; the message says why, for the user."""


EXPIRED = "This link has expired; ask for a new one."
USED = "This link was already used, or a newer one replaced it."
INVALID = "This link is not valid; check that it was copied whole."


# -- Tokens at sign-in, refresh, sign-out ---------------------------------------------------


async def issue_tokens(
    *, session: AsyncSession, user: User, settings: Settings, family: str | None = None
) -> Token:
    """An access token, and a refresh token stored (hashed) in `family` (a new one: sign-in)."""
    assert user.id is not None
    refresh, token_hash = new_refresh_token()
    session.add(
        RefreshToken(
            user_id=user.id,
            family=family or uuid.uuid4().hex,
            token_hash=token_hash,
            expires_at=utcnow() + timedelta(days=settings.refresh_token_expire_days),
        )
    )
    await session.commit()
    return Token(
        access_token=create_access_token(user=user, settings=settings),
        expires_in=settings.access_token_expire_minutes * 60,
        refresh_token=refresh,
    )


async def rotate(*, session: AsyncSession, refresh_token: str, settings: Settings) -> Token:
    """Exchange a refresh token for new tokens; the old one stops working.

    Presenting a token that was already exchanged means someone else holds a copy: its
    whole family is revoked, so the thief's copy dies too (the owner signs in again).
    """
    stored = await _find(session, refresh_token)
    if stored is None or stored.revoked_at is not None:
        raise InvalidRefreshTokenError
    now = utcnow()
    # Marked used only if nobody else did it first: of two concurrent uses, one wins.
    claimed = await session.exec(
        update(RefreshToken)
        .where(col(RefreshToken.id) == stored.id, col(RefreshToken.used_at).is_(None))
        .values(used_at=now)
    )
    if claimed.rowcount != 1:
        logger.warning("A used refresh token came back: family %s revoked", stored.family)
        await _revoke(session, col(RefreshToken.family) == stored.family)
        raise InvalidRefreshTokenError
    user = await session.get(User, stored.user_id)
    if _aware(stored.expires_at) <= now or user is None or not user.is_active:
        await session.commit()
        raise InvalidRefreshTokenError
    return await issue_tokens(session=session, user=user, settings=settings, family=stored.family)


async def sign_out(*, session: AsyncSession, refresh_token: str) -> None:
    """Revoke the refresh token's family (this sign-in); unknown tokens are ignored."""
    stored = await _find(session, refresh_token)
    if stored is not None:
        await _revoke(session, col(RefreshToken.family) == stored.family)


async def sign_out_everywhere(*, session: AsyncSession, user: User) -> None:
    """Revoke every refresh token of the user, and every access token issued so far."""
    user.token_version += 1
    session.add(user)
    await _revoke(session, col(RefreshToken.user_id) == user.id)


async def _find(session: AsyncSession, refresh_token: str) -> RefreshToken | None:
    statement = select(RefreshToken).where(
        RefreshToken.token_hash == hash_refresh_token(refresh_token)
    )
    return (await session.exec(statement)).first()


async def _revoke(session: AsyncSession, condition: object) -> None:
    await session.exec(
        update(RefreshToken)
        .where(condition, col(RefreshToken.revoked_at).is_(None))  # type: ignore[arg-type]
        .values(revoked_at=utcnow())
    )
    await session.commit()


def _aware(moment: datetime) -> datetime:
    """SQLite hands timestamps back without their zone (they are stored in UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# -- The mailed tokens ---------------------------------------------------------------------


def link(settings: Settings, path: str, token: str) -> str:
    return f"{settings.site_url.rstrip('/')}{path}?{urlencode({'token': token})}"


async def send_verification(*, settings: Settings, user: User) -> None:
    token = create_email_token(user=user, purpose="verify", settings=settings)
    await send_mail(
        settings=settings,
        to=user.email,
        subject="Confirm your e-mail address",
        body=(
            "Welcome! To confirm this address and finish signing up, open this link:\n\n"
            f"{link(settings, settings.verify_email_path, token)}\n\n"
            f"It works once, within {settings.verify_token_expire_hours} hours. "
            "If you did not sign up, ignore this message.\n"
        ),
    )


async def send_password_reset(*, settings: Settings, user: User) -> None:
    token = create_email_token(user=user, purpose="reset", settings=settings)
    await send_mail(
        settings=settings,
        to=user.email,
        subject="Reset your password",
        body=(
            "To choose a new password, open this link:\n\n"
            f"{link(settings, settings.reset_password_path, token)}\n\n"
            f"It works once, within {settings.reset_token_expire_minutes} minutes. "
            "If you did not ask for it, ignore this message: your password stays as it is.\n"
        ),
    )


async def user_for_email_token(
    *, session: AsyncSession, token: str, purpose: EmailPurpose, settings: Settings
) -> User:
    """The user a mailed token is for, while it is still good; EmailTokenError otherwise."""
    try:
        user_id, stamp = decode_email_token(token, purpose=purpose, settings=settings)
    except jwt.ExpiredSignatureError:
        raise EmailTokenError(EXPIRED) from None
    except jwt.InvalidTokenError:
        raise EmailTokenError(INVALID) from None
    user = await session.get(User, user_id)
    if user is None or not user.is_active:
        raise EmailTokenError(INVALID)
    if stamp != fingerprint(user, purpose):
        raise EmailTokenError(USED)
    return user


async def verify_email(*, session: AsyncSession, token: str, settings: Settings) -> User:
    user = await user_for_email_token(
        session=session, token=token, purpose="verify", settings=settings
    )
    user.is_verified = True
    session.add(user)
    await session.commit()
    return user


async def set_password(*, session: AsyncSession, user: User, password: str) -> None:
    """A new password; every session signed in with the old one ends."""
    user.hashed_password = hash_password(password)
    await sign_out_everywhere(session=session, user=user)


async def reset_password(
    *, session: AsyncSession, token: str, password: str, settings: Settings
) -> None:
    user = await user_for_email_token(
        session=session, token=token, purpose="reset", settings=settings
    )
    # The reset link reached the inbox: the address is proven too.
    user.is_verified = True
    await set_password(session=session, user=user, password=password)
