"""Password hashing (argon2) and JWT access tokens."""

from datetime import UTC, datetime, timedelta

import jwt
from pwdlib import PasswordHash

from ..config import Settings

ALGORITHM = "HS256"
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


def create_access_token(*, user_id: int, settings: Settings) -> str:
    expires = datetime.now(UTC) + timedelta(minutes=settings.access_token_expire_minutes)
    claims = {"sub": str(user_id), "exp": expires}
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)


def decode_access_token(token: str, *, settings: Settings) -> int:
    """The user id in a valid, unexpired token; raises jwt.InvalidTokenError otherwise."""
    claims = jwt.decode(
        token, settings.secret_key, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]}
    )
    try:
        return int(claims["sub"])
    except ValueError:
        raise jwt.InvalidTokenError("malformed subject") from None
