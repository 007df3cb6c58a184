"""Accounts: sign-up with e-mail verification, sign-in (OAuth2 password flow, so Swagger's
Authorize button works), refresh, sign-out (here or everywhere), password change and reset.

Mail goes out in a background task, after the response: an SMTP server that is slow or down
neither delays the answer nor reveals, by its timing, whether an address has an account.
"""

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException, Query, status
from fastapi.security import OAuth2PasswordRequestForm

from ..database import SessionDep
from ..dependencies import SettingsDep
from ..errors import errors
from ..users.schemas import UserCreate, UserPublic
from ..users.service import EmailTakenError, user_authenticate, user_create, user_get_by_email
from .dependencies import CurrentUser
from .schemas import (
    TOKEN_MAX,
    EmailRequest,
    EmailTokenRequest,
    Message,
    PasswordChange,
    PasswordReset,
    RefreshRequest,
    Token,
)
from .security import verify_password
from .service import (
    EmailTokenError,
    InvalidRefreshTokenError,
    issue_tokens,
    reset_password,
    rotate,
    send_password_reset,
    send_verification,
    set_password,
    sign_out,
    sign_out_everywhere,
    user_for_email_token,
    verify_email,
)
from .throttle import throttled

router = APIRouter(prefix="/api/auth", tags=["auth"])

UNVERIFIED = (
    "Verify your e-mail address first: open the link we sent to it, "
    "or ask for a new one (POST /api/auth/verify/resend)."
)
MAIL_ON_ITS_WAY = "If an account needs it, an e-mail is on its way."
NO_CONTENT = status.HTTP_204_NO_CONTENT
# The token in a mailed link, as its query parameter.
LinkToken = Annotated[str, Query(min_length=1, max_length=TOKEN_MAX)]


@router.post(
    "/signup",
    status_code=status.HTTP_201_CREATED,
    dependencies=[throttled("sign_up")],
    responses=errors(409, 413, 429, 503, _409="The email is already registered"),
)
async def signup(
    data: UserCreate, session: SessionDep, settings: SettingsDep, background: BackgroundTasks
) -> UserPublic:
    """Create an account, and mail the link that verifies its address (needed to sign in)."""
    try:
        user = await user_create(session=session, data=data)
    except EmailTakenError:
        raise HTTPException(status.HTTP_409_CONFLICT, "This email is already registered") from None
    background.add_task(send_verification, settings=settings, user=user)
    return UserPublic.model_validate(user)


@router.post(
    "/login",
    dependencies=[throttled("sign_in")],
    responses=errors(
        401, 403, 413, 429, 503, _401="Incorrect email or password", _403="Not verified yet"
    ),
)
async def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
) -> Token:
    """Exchange an email (as `username`) and password for an access and a refresh token."""
    user = await user_authenticate(session=session, email=form.username, password=form.password)
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Incorrect email or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    # Said only to whoever knows the password: it reveals nothing to anyone else.
    if not user.is_verified:
        raise HTTPException(status.HTTP_403_FORBIDDEN, UNVERIFIED)
    return await issue_tokens(session=session, user=user, settings=settings)


@router.post("/refresh", responses=errors(401, 413, 503, _401="Invalid, expired or used"))
async def refresh(data: RefreshRequest, session: SessionDep, settings: SettingsDep) -> Token:
    """Exchange a refresh token for new tokens. Each refresh token works once: using one
    twice signs that sign-in out (someone else may hold a copy)."""
    try:
        return await rotate(session=session, refresh_token=data.refresh_token, settings=settings)
    except InvalidRefreshTokenError:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Invalid or expired refresh token",
            headers={"WWW-Authenticate": "Bearer"},
        ) from None


@router.post("/logout", status_code=NO_CONTENT, responses=errors(413, 503))
async def logout(data: RefreshRequest, session: SessionDep) -> None:
    """Sign out: the refresh token (and the others of the same sign-in) stop working.
    The access token lasts until it expires (minutes); forget it."""
    await sign_out(session=session, refresh_token=data.refresh_token)


@router.post("/logout/all", status_code=NO_CONTENT, responses=errors(401, 413, 503))
async def logout_everywhere(user: CurrentUser, session: SessionDep) -> None:
    """Sign out everywhere: every refresh and access token of the account stops working."""
    await sign_out_everywhere(session=session, user=user)


@router.post("/verify", responses=errors(400, 413, 503, _400="Invalid, expired or used"))
async def verify_email_token(
    data: EmailTokenRequest, session: SessionDep, settings: SettingsDep
) -> Message:
    """Verify an address with the token from the link mailed at sign-up."""
    return await _verify(data.token, session=session, settings=settings)


@router.get("/verify", responses=errors(400, 503, _400="Invalid, expired or used"))
async def verify_email_link(
    token: LinkToken, session: SessionDep, settings: SettingsDep
) -> Message:
    """The link mailed at sign-up, opened as it is: verifies the address."""
    return await _verify(token, session=session, settings=settings)


async def _verify(token: str, *, session: SessionDep, settings: SettingsDep) -> Message:
    try:
        await verify_email(session=session, token=token, settings=settings)
    except EmailTokenError as error:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(error)) from None
    return Message(detail="Your e-mail address is verified: you can sign in now.")


@router.post(
    "/verify/resend",
    status_code=status.HTTP_202_ACCEPTED,
    dependencies=[throttled("resend")],
    responses=errors(413, 429, 503),
)
async def resend_verification(
    data: EmailRequest, session: SessionDep, settings: SettingsDep, background: BackgroundTasks
) -> Message:
    """Mail a new verification link, if the address has an account not verified yet (the
    answer is the same either way, so it tells nobody which addresses have accounts)."""
    user = await user_get_by_email(session=session, email=data.email)
    if user is not None and user.is_active and not user.is_verified:
        background.add_task(send_verification, settings=settings, user=user)
    return Message(detail=MAIL_ON_ITS_WAY)


@router.post(
    "/password/forgot",
    status_code=status.HTTP_202_ACCEPTED,
    dependencies=[throttled("password_reset")],
    responses=errors(413, 429, 503),
)
async def forgot_password(
    data: EmailRequest, session: SessionDep, settings: SettingsDep, background: BackgroundTasks
) -> Message:
    """Mail a link to choose a new password, if the address has an account (the answer is
    the same either way)."""
    user = await user_get_by_email(session=session, email=data.email)
    if user is not None and user.is_active:
        background.add_task(send_password_reset, settings=settings, user=user)
    return Message(detail=MAIL_ON_ITS_WAY)


@router.get("/password/reset", responses=errors(400, 503, _400="Invalid, expired or used"))
async def check_reset_link(token: LinkToken, session: SessionDep, settings: SettingsDep) -> Message:
    """The password-reset link, opened as it is: says whether it still works (a front end
    asks before showing its form)."""
    try:
        await user_for_email_token(session=session, token=token, purpose="reset", settings=settings)
    except EmailTokenError as error:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(error)) from None
    return Message(
        detail="This link works: send it with the new password, as "
        'POST /api/auth/password/reset {"token": ..., "password": ...}.'
    )


@router.post(
    "/password/reset",
    status_code=NO_CONTENT,
    dependencies=[throttled("password_reset")],
    responses=errors(400, 413, 429, 503, _400="Invalid, expired or used"),
)
async def reset_password_with_token(
    data: PasswordReset, session: SessionDep, settings: SettingsDep
) -> None:
    """Choose a new password with the token from the mailed link. Every session signed in
    with the old password ends; sign in with the new one."""
    try:
        await reset_password(
            session=session, token=data.token, password=data.password, settings=settings
        )
    except EmailTokenError as error:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(error)) from None


@router.post(
    "/password/change",
    responses=errors(400, 401, 413, 503, _400="The current password is wrong"),
)
async def change_password(
    data: PasswordChange, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> Token:
    """Change the password. Every other session ends; this one gets new tokens."""
    if not verify_password(data.current_password, user.hashed_password):
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "The current password is wrong")
    await set_password(session=session, user=user, password=data.new_password)
    return await issue_tokens(session=session, user=user, settings=settings)
