from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from booking_service.clients import EventClient, PaymentClient
from shared.db import get_session

SessionDep = Annotated[AsyncSession, Depends(get_session)]


async def get_events(request: Request) -> EventClient:
    return request.app.state.events


async def get_payments(request: Request) -> PaymentClient:
    return request.app.state.payments


EventsDep = Annotated[EventClient, Depends(get_events)]
PaymentsDep = Annotated[PaymentClient, Depends(get_payments)]
