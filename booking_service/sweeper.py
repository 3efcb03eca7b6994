"""Resolves bookings left `pending` (a crash, a payment call that timed out) by asking the payment service."""

import logging
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from booking_service import service
from booking_service.clients import PaymentClient, PaymentRecord
from booking_service.models import Booking
from booking_service.schemas import BookingStatus
from booking_service.upstream import UpstreamUnavailableError, UpstreamUncertainError
from shared.db import DATABASE_DOWN_ERRORS
from shared.outbox import OutboxRelay
from shared.worker import Worker

logger = logging.getLogger(__name__)

# Why a booking whose payment had not answered by the pending timeout was released.
PAYMENT_NOT_CONFIRMED_IN_TIME = "the payment was not confirmed in time"


async def _pending_older_than(session: AsyncSession, *, age: timedelta) -> list[Booking]:
    async with session.begin():
        rows = await session.scalars(
            select(Booking).where(
                # Since it became pending: a hold paid late was created long before its payment began.
                Booking.status == BookingStatus.PENDING,
                Booking.updated_at < datetime.now(UTC) - age,
            )
        )
        return list(rows)


async def _released(session: AsyncSession) -> list[Booking]:
    async with session.begin():
        return list(await session.scalars(select(Booking).where(Booking.status == BookingStatus.RELEASED)))


async def find_payment(payments: PaymentClient, booking: Booking) -> PaymentRecord | None:
    """Returns the payment this service made for the booking, if it charged what the booking costs.

    Any other (a charge of another amount or currency) paid nothing for the booking: it is logged
    and the booking is settled as unpaid.
    """
    payment = await payments.find_for_booking(str(booking.id))
    if payment is not None and (payment.amount, payment.currency) != (booking.amount, booking.currency):
        logger.error(
            "Booking %s costs %d %s but its payment %s charged %d %s: settled as unpaid",
            booking.id,
            booking.amount,
            booking.currency,
            payment.id,
            payment.amount,
            payment.currency,
        )
        return None
    return payment


async def settle_released_payment(
    session: AsyncSession, *, payments: PaymentClient, booking_id: uuid.UUID, payment: PaymentRecord | None
) -> None:
    """Refunds the payment of a booking released before it answered, if it went through, and fails
    the booking with what happened; unless its payment was declined, the booking releases its
    Idempotency-Key, so that a retry books afresh."""
    if payment is not None and payment.status == "succeeded":
        await payments.refund(payment_id=payment.id, idempotency_key=f"released-{booking_id}")
    async with session.begin():
        booking = await session.get(Booking, booking_id, with_for_update=True, populate_existing=True)
        if booking is None or booking.status != BookingStatus.RELEASED:
            return
        booking.status = BookingStatus.FAILED
        booking.payment_id = payment.id if payment else None
        if payment is None or payment.status != "declined":
            booking.idempotency_key = None
        if payment is None:
            booking.failure_reason = "no payment was made"
        elif payment.status == "declined":
            booking.failure_reason = payment.decline_reason or "payment declined"
        else:
            booking.failure_reason = (
                "the payment went through after the seats were released, and was refunded"
            )


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
        went, its booking is released now, and the payment is settled (refunded if it went through)
        later.
        """
        async with self.sessionmaker() as session:
            stale = await _pending_older_than(session, age=self.older_than)
            for index, booking in enumerate(stale):
                try:
                    payment = await find_payment(self.payments, booking)
                except (UpstreamUnavailableError, UpstreamUncertainError) as exc:
                    logger.warning("Releasing %d stale bookings unpaid: %r", len(stale) - index, exc)
                    for unknown in stale[index:]:
                        await service.settle_booking(
                            session,
                            booking=unknown,
                            payment=None,
                            reason=PAYMENT_NOT_CONFIRMED_IN_TIME,
                            released=True,
                        )
                    break
                await service.settle_booking(
                    session, booking=booking, payment=payment, reason="no payment was made"
                )
        if stale:
            logger.info("Settled %d stale pending bookings", len(stale))
            self.relay.wake()
        await self.resolve_released()
        return len(stale)

    async def resolve_released(self) -> None:
        """Settles the payments of bookings released before those payments answered."""
        async with self.sessionmaker() as session:
            for booking in await _released(session):
                payment = await find_payment(self.payments, booking)
                await settle_released_payment(
                    session, payments=self.payments, booking_id=booking.id, payment=payment
                )
