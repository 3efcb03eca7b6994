"""The handling of booking messages, called as the consumer calls it, on the service's own database:
whatever order and overlap the broker delivers them in, a cancelled booking keeps no valid ticket."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from checkin_service import service
from checkin_service.events import EventClient
from checkin_service.models import Ticket
from checkin_service.settings import CheckinSettings
from checkin_service.tickets import TicketSigner
from shared.db import create_engine, create_sessionmaker
from shared.keys import Ed25519Key, load_private_key
from shared.messages import BookingConfirmed
from tests.checkin_service.conftest import Stage
from tests.checkin_service.facts import VIP, booking_cancelled, booking_confirmed


@pytest.fixture
async def sessionmaker(
    checkin_settings: CheckinSettings, checkin_url: str
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(checkin_settings.database_url, pool_size=8)
    yield create_sessionmaker(engine)
    await engine.dispose()


@pytest.fixture
async def signer(checkin_settings: CheckinSettings, checkin_url: str) -> TicketSigner:
    key = load_private_key(
        pem=None, path=checkin_settings.ticket_signing_key_file, setting="TICKET_SIGNING_KEY"
    )
    return TicketSigner(key=Ed25519Key(key), valid_before=timedelta(hours=12), valid_after=timedelta(hours=6))


@pytest.fixture
async def events(checkin_settings: CheckinSettings) -> AsyncIterator[EventClient]:
    async with EventClient(checkin_settings.event_service_url, timeout=1.0) as client:
        yield client


async def _statuses(sessionmaker: async_sessionmaker[AsyncSession], booking_id: str) -> list[str]:
    async with sessionmaker() as session:
        found = await session.scalars(select(Ticket.status).where(Ticket.booking_id == booking_id))
        return list(found)


async def test_a_confirmation_after_its_cancellation_issues_nothing(
    make_stage: Callable[..., Awaitable[Stage]],
    sessionmaker: async_sessionmaker[AsyncSession],
    signer: TicketSigner,
    events: EventClient,
) -> None:
    stage = await make_stage()
    booking = booking_confirmed(stage.event, stage.organizer.id, [(VIP, 2)])
    async with sessionmaker() as session:
        await service.revoke_booking(session, booking=booking_cancelled(booking))
    async with sessionmaker() as session:
        await service.issue_tickets(session, signer=signer, events=events, booking=booking)
    assert await _statuses(sessionmaker, booking.booking_id) == []


async def test_a_confirmation_handled_twice_at_once_issues_each_seat_once(
    make_stage: Callable[..., Awaitable[Stage]],
    sessionmaker: async_sessionmaker[AsyncSession],
    signer: TicketSigner,
    events: EventClient,
) -> None:
    stage = await make_stage()
    booking = booking_confirmed(stage.event, stage.organizer.id, [(VIP, 3)])

    async def handle() -> None:
        async with sessionmaker() as session:
            await service.issue_tickets(session, signer=signer, events=events, booking=booking)

    await asyncio.gather(*(handle() for _ in range(4)))
    assert await _statuses(sessionmaker, booking.booking_id) == ["valid"] * 3


async def test_a_cancellation_overlapping_its_confirmation_leaves_no_valid_ticket(
    make_stage: Callable[..., Awaitable[Stage]],
    sessionmaker: async_sessionmaker[AsyncSession],
    signer: TicketSigner,
    events: EventClient,
) -> None:
    stage = await make_stage()

    async def confirm(booking: BookingConfirmed) -> None:
        async with sessionmaker() as session:
            await service.issue_tickets(session, signer=signer, events=events, booking=booking)

    async def cancel(booking: BookingConfirmed) -> None:
        async with sessionmaker() as session:
            await service.revoke_booking(session, booking=booking_cancelled(booking))

    for _ in range(10):
        booking = booking_confirmed(stage.event, stage.organizer.id, [(VIP, 2)])
        await asyncio.gather(confirm(booking), cancel(booking))
        assert "valid" not in await _statuses(sessionmaker, booking.booking_id)
