"""Password hashing (argon2), JWT access tokens, the mailed tokens, and refresh-token hashes.

Every JWT carries its purpose (`typ`), so a token made for one use is refused for another:
a verification link is no access token. The mailed tokens are single-use without a table of
used tokens: each carries a fingerprint of the state it changes (the address not yet
verified; the current password hash), so once used, the state moved on and it no longer
matches.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

import jwt
from pwdlib import PasswordHash

from ..config import Settings
from ..users.models import User

ALGORITHM = "HS256"
ACCESS = "access"
EmailPurpose = Literal["verify", "reset"]
_hasher = PasswordHash.recommended()  # argon2id
# Verified against when the user does not exist, so both paths take as long.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, hashed: str | None) -> bool:
    if hashed is None:
        _hasher.verify(password, _DUMMY_HASH)
        return False
    return _hasher.verify(password, hashed)


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    version: int


def create_access_token(*, user: User, settings: Settings) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(user.id),
        "typ": ACCESS,
        "ver": user.token_version,
        "iat": now,
        "exp": now + timedelta(minutes=settings.access_token_expire_minutes),
    }
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)


def decode_access_token(token: str, *, settings: Settings) -> AccessClaims:
    """The claims of a valid, unexpired access token; raises jwt.InvalidTokenError otherwise."""
    claims = _decode(token, settings=settings, purpose=ACCESS)
    version = claims.get("ver")
    if not isinstance(version, int):
        raise jwt.InvalidTokenError("no token version")
    return AccessClaims(user_id=_subject(claims), version=version)


def fingerprint(user: User, purpose: EmailPurpose) -> str:
    """What a mailed token is good for: the state it changes, hashed (the token is readable)."""
    state = f"{user.email}:{user.is_verified}" if purpose == "verify" else user.hashed_password
    return hashlib.sha256(f"{purpose}:{state}".encode()).hexdigest()[:32]


def create_email_token(*, user: User, purpose: EmailPurpose, settings: Settings) -> str:
    lifetime = (
        timedelta(hours=settings.verify_token_expire_hours)
        if purpose == "verify"
        else timedelta(minutes=settings.reset_token_expire_minutes)
    )
    claims = {
        "sub": str(user.id),
        "typ": purpose,
        "fp": fingerprint(user, purpose),
        "exp": datetime.now(UTC) + lifetime,
    }
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)


def decode_email_token(token: str, *, purpose: EmailPurpose, settings: Settings) -> tuple[int, str]:
    """The user id and fingerprint in a mailed token; raises jwt.ExpiredSignatureError when
    it is too old and jwt.InvalidTokenError when it is not one of ours for this purpose."""
    claims = _decode(token, settings=settings, purpose=purpose)
    return _subject(claims), str(claims.get("fp", ""))


def new_refresh_token() -> tuple[str, str]:
    """A new refresh token, and the hash that is stored in its place."""
    token = secrets.token_urlsafe(32)
    return token, hash_refresh_token(token)


def hash_refresh_token(token: str) -> str:
    # A plain hash is enough: the token is 256 random bits, nothing to guess.
    return hashlib.sha256(token.encode()).hexdigest()


def _decode(token: str, *, settings: Settings, purpose: str) -> dict[str, object]:
    claims: dict[str, object] = jwt.decode(
        token,
        settings.secret_key,
        algorithms=[ALGORITHM],
        options={"require": ["exp", "sub", "typ"]},
    )
    if claims["typ"] != purpose:
        raise jwt.InvalidTokenError(f"not a {purpose} token")
    return claims


def _subject(claims: dict[str, object]) -> int:
    try:
        return int(str(claims["sub"]))
    except ValueError:
        raise jwt.InvalidTokenError("malformed subject") from None
