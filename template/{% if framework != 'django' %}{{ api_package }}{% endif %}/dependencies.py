"""Dependencies shared by every router."""

from typing import Annotated

from fastapi import Depends, Request

from .config import Settings


def get_app_settings(request: Request) -> Settings:
    """The settings the app was created with (tests create apps with their own)."""
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
