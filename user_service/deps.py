from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db import get_session
from user_service.keys import SigningKey
from user_service.settings import UserSettings

SessionDep = Annotated[AsyncSession, Depends(get_session)]


async def get_settings(request: Request) -> UserSettings:
    return request.app.state.settings


async def get_signing_key(request: Request) -> SigningKey:
    return request.app.state.signing_key


SettingsDep = Annotated[UserSettings, Depends(get_settings)]
SigningKeyDep = Annotated[SigningKey, Depends(get_signing_key)]
