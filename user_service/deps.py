from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db import get_session
from user_service.keys import SigningKey
from user_service.passwords import Passwords
from user_service.rate_limit import RateLimits
from user_service.settings import UserSettings

SessionDep = Annotated[AsyncSession, Depends(get_session)]


async def get_settings(request: Request) -> UserSettings:
    return request.app.state.settings


async def get_signing_key(request: Request) -> SigningKey:
    return request.app.state.signing_key


async def get_passwords(request: Request) -> Passwords:
    return request.app.state.passwords


async def get_rate_limits(request: Request) -> RateLimits:
    return request.app.state.rate_limits


SettingsDep = Annotated[UserSettings, Depends(get_settings)]
SigningKeyDep = Annotated[SigningKey, Depends(get_signing_key)]
PasswordsDep = Annotated[Passwords, Depends(get_passwords)]
RateLimitsDep = Annotated[RateLimits, Depends(get_rate_limits)]
