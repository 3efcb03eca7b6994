"""This service's queue: user names, events' changes, and bookings confirmed or cancelled."""

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from checkin_service import service
from checkin_service.errors import EventServiceUnavailableError
from checkin_service.events import EventClient
from checkin_service.tickets import TicketSigner
from shared.db import DATABASE_DOWN_ERRORS
from shared.messages import BookingCancelled, BookingConfirmed, EventSnapshot, UserRegistered
from shared.messaging import Consumer
from shared.outbox import OutboxRelay

# Outages of PostgreSQL or the event service only delay the work; they never dead-letter the message.
TRANSIENT_ERRORS = (*DATABASE_DOWN_ERRORS, EventServiceUnavailableError)


class CheckinConsumer:
    """The handlers of this service's queue; each only calls the service."""

    def __init__(
        self,
        *,
        sessionmaker: async_sessionmaker[AsyncSession],
        signer: TicketSigner,
        events: EventClient,
        relay: OutboxRelay,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.signer = signer
        self.events = events
        self.relay = relay

    def consumer(self, queue: str) -> Consumer:
        return Consumer(
            queue=queue,
            handlers=[
                self.on_user_registered,
                self.on_event_changed,
                self.on_booking_confirmed,
                self.on_booking_cancelled,
            ],
            transient_errors=TRANSIENT_ERRORS,
        )

    async def on_user_registered(self, message: UserRegistered) -> None:
        async with self.sessionmaker() as session:
            await service.keep_user_name(session, user=message)

    async def on_event_changed(self, message: EventSnapshot) -> None:
        async with self.sessionmaker() as session:
            await service.apply_event_change(session, signer=self.signer, snapshot=message)
        self.relay.wake()

    async def on_booking_confirmed(self, message: BookingConfirmed) -> None:
        async with self.sessionmaker() as session:
            await service.issue_tickets(session, signer=self.signer, events=self.events, booking=message)
        self.relay.wake()

    async def on_booking_cancelled(self, message: BookingCancelled) -> None:
        async with self.sessionmaker() as session:
            await service.revoke_booking(session, booking=message)
        self.relay.wake()
