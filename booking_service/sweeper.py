"""Resolves bookings left `pending` (a crash, a payment call that timed out) by asking the payment service."""

import logging
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from booking_service import service
from booking_service.clients import PaymentClient
from booking_service.upstream import UpstreamUnavailableError, UpstreamUncertainError
from shared.db import DATABASE_DOWN_ERRORS
from shared.outbox import OutboxRelay
from shared.worker import Worker

logger = logging.getLogger(__name__)


class PendingSweeper(Worker):
    """Every `interval_seconds`, settles the bookings pending longer than `older_than`."""

    name = "pending-sweeper"
    waiting_on = (*DATABASE_DOWN_ERRORS, UpstreamUnavailableError, UpstreamUncertainError)

    def __init__(
        self,
        *,
        sessionmaker: async_sessionmaker[AsyncSession],
        payments: PaymentClient,
        relay: OutboxRelay,
        older_than: timedelta,
        interval_seconds: float,
    ) -> None:
        super().__init__(poll_seconds=interval_seconds)
        self.sessionmaker = sessionmaker
        self.payments = payments
        self.relay = relay
        self.older_than = older_than

    async def run_pass(self) -> bool:
        await self.sweep()
        return False

    async def sweep(self) -> int:
        """Settles every booking pending longer than `older_than`; returns how many.

        Seats are never held past `older_than`: while the payment service cannot say how a payment
        went, its booking fails now, and the payment is settled (refunded if it went through) later.
        """
        async with self.sessionmaker() as session:
            stale = await service.pending_older_than(session, age=self.older_than)
            for index, booking in enumerate(stale):
                try:
                    payment = await self.payments.find_for_booking(str(booking.id))
                except (UpstreamUnavailableError, UpstreamUncertainError) as exc:
                    logger.warning("Releasing %d stale bookings unpaid: %r", len(stale) - index, exc)
                    for unknown in stale[index:]:
                        await service.settle(
                            session,
                            booking=unknown,
                            payment=None,
                            reason=service.PAYMENT_NOT_CONFIRMED_IN_TIME,
                        )
                    break
                await service.settle(session, booking=booking, payment=payment, reason="no payment was made")
        if stale:
            logger.info("Settled %d stale pending bookings", len(stale))
            self.relay.wake()
        await self.settle_released()
        return len(stale)

    async def settle_released(self) -> None:
        """Settles the payments of bookings released before those payments answered."""
        async with self.sessionmaker() as session:
            for booking_id in await service.released_before_paid(session):
                payment = await self.payments.find_for_booking(str(booking_id))
                await service.settle_released(
                    session, payments=self.payments, booking_id=booking_id, payment=payment
                )
