"""Keeps seat inventory in step with `event.*`, and refunds every booking of a cancelled event."""

import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from booking_service import inventory, service
from booking_service.clients import PaymentClient
from shared.db import DATABASE_DOWN_ERRORS
from shared.messages import EventSnapshot, parse_data
from shared.messaging import Consumer, Envelope
from shared.outbox import OutboxRelay

logger = logging.getLogger(__name__)

STOPS_SALES = {"event.cancelled", "event.deleted"}


def event_consumer(
    *,
    queue: str,
    sessionmaker: async_sessionmaker[AsyncSession],
    payments: PaymentClient,
    relay: OutboxRelay,
) -> Consumer:
    """Returns the consumer of `event.*`; each handling is idempotent (snapshots carry versions)."""

    async def on_event(envelope: Envelope) -> None:
        event = parse_data(envelope.type, envelope.data)
        assert isinstance(event, EventSnapshot)
        stops_sales = envelope.type in STOPS_SALES or event.status != "scheduled"
        async with sessionmaker() as session:
            async with session.begin():
                await inventory.apply_snapshot(session, event, on_sale=not stops_sales)
            if stops_sales:
                try:
                    cancelled = await service.cancel_event_bookings(
                        session, payments=payments, event_id=event.event_id
                    )
                finally:
                    relay.wake()
                logger.info("Event %s stopped sales; %d bookings cancelled", event.event_id, cancelled)

    return Consumer(
        queue=queue,
        routing_keys=["event.*"],
        handler=on_event,
        # Outages of PostgreSQL or the payment service, and bookings still being paid, only delay
        # the work; they never send the message to the dead-letter queue.
        transient_errors=(
            *DATABASE_DOWN_ERRORS,
            service.ServiceUnavailableError,
            service.PendingBookingsRemainError,
        ),
    )
