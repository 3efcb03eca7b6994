"""Refunds made at the payment service, followed by their booking: money given back there is never left
on a booking that still holds its seats."""

import logging
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from booking_service.cancellation import CANCELLABLE, mark_cancelled
from booking_service.errors import PendingBookingsRemainError
from booking_service.models import Booking
from booking_service.schemas import BookingStatus
from shared.messages import PaymentRefunded

logger = logging.getLogger(__name__)


def _booking_id(refund: PaymentRefunded) -> uuid.UUID | None:
    try:
        return uuid.UUID(refund.booking_id)
    except ValueError:  # a payment made for something else than a booking of this service
        return None


async def follow_refund(session: AsyncSession, *, refund: PaymentRefunded) -> None:
    """Records a refund of a confirmed booking's payment on the booking; one in full cancels it and
    gives its seats back.

    A booking cancelled already (its own cancellation made the refund, say), or never confirmed, is
    left as it is, and so is a refund of another payment than the one that paid for the booking.
    Raises `PendingBookingsRemainError` while the booking is being paid, to be tried again.
    """
    booking_id = _booking_id(refund)
    if booking_id is None:
        return
    async with session.begin():
        booking = await session.get(Booking, booking_id, with_for_update=True, populate_existing=True)
        if booking is None:
            return
        if booking.status == BookingStatus.PENDING:
            raise PendingBookingsRemainError(f"Booking {booking.id} is still being paid")
        if booking.status not in CANCELLABLE or booking.payment_id != refund.payment_id:
            return
        # Messages may come again or out of order; the total refunded only grows.
        booking.refunded_amount = max(booking.refunded_amount, refund.total_refunded)
        if refund.status != "refunded":
            return
        logger.info(
            "Booking %s cancelled: its payment %s was refunded in full", booking.id, refund.payment_id
        )
        await mark_cancelled(
            session, booking=booking, reason="refunded", refunded_amount=booking.refunded_amount
        )
