from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from checkin_service.settings import CheckinSettings
from checkin_service.tickets import TicketSigner
from shared.db import get_session

SessionDep = Annotated[AsyncSession, Depends(get_session)]


async def get_signer(request: Request) -> TicketSigner:
    return request.app.state.signer


async def get_settings(request: Request) -> CheckinSettings:
    return request.app.state.settings


SignerDep = Annotated[TicketSigner, Depends(get_signer)]
SettingsDep = Annotated[CheckinSettings, Depends(get_settings)]
