"""This service's queue: keeps seat inventory in step with `event.*` (refunding every booking of a
cancelled event), and bookings in step with refunds made at the payment service (`payment.refunded`)."""

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from booking_service import cancellation, refunds
from booking_service.clients import PaymentClient
from booking_service.errors import PendingBookingsRemainError, ServiceUnavailableError
from shared.db import DATABASE_DOWN_ERRORS
from shared.messages import EventSnapshot, PaymentRefunded
from shared.messaging import Consumer
from shared.outbox import OutboxRelay

# Outages of PostgreSQL or the payment service, and bookings still being paid, only delay the work;
# they never send the message to the dead-letter queue. A refused refund does, once retried.
TRANSIENT_ERRORS = (*DATABASE_DOWN_ERRORS, ServiceUnavailableError, PendingBookingsRemainError)


class BookingConsumer:
    """The handlers of this service's queue; each handling is idempotent (snapshots carry versions,
    refunds their running total)."""

    def __init__(
        self,
        *,
        sessionmaker: async_sessionmaker[AsyncSession],
        payments: PaymentClient,
        relay: OutboxRelay,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.payments = payments
        self.relay = relay

    def consumer(self, queue: str) -> Consumer:
        return Consumer(
            queue=queue,
            handlers=[self.on_event_changed, self.on_payment_refunded],
            transient_errors=TRANSIENT_ERRORS,
        )

    async def on_event_changed(self, message: EventSnapshot) -> None:
        async with self.sessionmaker() as session:
            try:
                await cancellation.apply_event_change(session, payments=self.payments, event=message)
            finally:
                self.relay.wake()  # cancellations staged before an error still go out

    async def on_payment_refunded(self, message: PaymentRefunded) -> None:
        async with self.sessionmaker() as session:
            try:
                await refunds.follow_refund(session, refund=message)
            finally:
                self.relay.wake()
