"""Cancelling bookings: one at its owner's (or an admin's) request, or all of an event that stops sales."""

import logging

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from booking_service import inventory
from booking_service.clients import PaymentClient
from booking_service.errors import (
    NotCancellableError,
    PaymentRejectedError,
    PendingBookingsRemainError,
    RefundsRefusedError,
    ServiceUnavailableError,
)
from booking_service.models import Booking, OutboxMessage
from booking_service.schemas import BookingStatus
from booking_service.service import facts
from booking_service.upstream import UpstreamRejectedError, UpstreamUnavailableError, UpstreamUncertainError
from shared.messages import BookingCancelled, EventCancelled, EventDeleted, EventSnapshot
from shared.outbox import stage_message

logger = logging.getLogger(__name__)

# A booking whose refund was refused stays cancellable, so that the refund can be tried again.
CANCELLABLE = (BookingStatus.CONFIRMED, BookingStatus.REFUND_REFUSED)


async def cancel(
    session: AsyncSession,
    *,
    payments: PaymentClient,
    booking: Booking,
    reason: str = "cancelled_by_user",
) -> Booking:
    """Refunds a confirmed booking, then cancels it and gives its seats back."""
    if booking.status not in CANCELLABLE:
        raise NotCancellableError(f"Only confirmed bookings can be cancelled; this one is {booking.status}")
    try:
        # Refund first: a failure leaves the booking as it was and the cancel can simply be retried.
        if booking.payment_id is not None:  # None: a free booking, nothing was paid
            await payments.refund(payment_id=booking.payment_id, idempotency_key=f"cancel-{booking.id}")
    except (UpstreamUnavailableError, UpstreamUncertainError) as exc:
        raise ServiceUnavailableError(f"The payment service is unavailable: {exc}", booking) from exc
    except UpstreamRejectedError as exc:
        raise PaymentRejectedError(f"The payment service refused the refund: {exc}", booking) from exc
    async with session.begin():
        locked = await session.get(Booking, booking.id, with_for_update=True, populate_existing=True)
        assert locked is not None  # bookings are never deleted
        if locked.status in CANCELLABLE:
            locked.status = BookingStatus.CANCELLED
            await inventory.release_sold(session, event_id=locked.event_id, tickets=locked.tickets)
            stage_message(
                session,
                OutboxMessage,
                BookingCancelled(**facts(locked), reason=reason, refunded_amount=locked.amount),
            )
    return locked


async def apply_event_change(session: AsyncSession, *, payments: PaymentClient, event: EventSnapshot) -> None:
    """Keeps the event's seats in step with its latest state; when its sales stop (cancelled or
    deleted), cancels and refunds its bookings."""
    stops_sales = isinstance(event, EventCancelled | EventDeleted) or event.status != "scheduled"
    async with session.begin():
        await inventory.apply_snapshot(session, event, on_sale=not stops_sales)
    if stops_sales:
        cancelled = await cancel_event_bookings(session, payments=payments, event_id=event.event_id)
        logger.info("Event %s stopped sales; %d bookings cancelled", event.event_id, cancelled)


async def _record_refused_refund(session: AsyncSession, *, booking: Booking, refusal: str) -> None:
    async with session.begin():
        locked = await session.get(Booking, booking.id, with_for_update=True, populate_existing=True)
        if locked is not None and locked.status in CANCELLABLE:
            locked.status = BookingStatus.REFUND_REFUSED
            locked.failure_reason = refusal[:200]


async def cancel_event_bookings(session: AsyncSession, *, payments: PaymentClient, event_id: str) -> int:
    """Cancels and refunds every confirmed booking of a cancelled event; returns how many.

    A refund the payment service refuses leaves its booking `refund_refused`, with the refusal as
    its `failure_reason`, and raises `RefundsRefusedError` once the others are done.
    """
    async with session.begin():
        cancellable = list(
            await session.scalars(
                select(Booking).where(Booking.event_id == event_id, Booking.status.in_(CANCELLABLE))
            )
        )
    cancelled, refused = 0, 0
    for booking in cancellable:
        try:
            await cancel(session, payments=payments, booking=booking, reason="event_cancelled")
            cancelled += 1
        except PaymentRejectedError as exc:
            logger.error("Booking %s of cancelled event %s: %s", booking.id, event_id, exc)
            await _record_refused_refund(session, booking=booking, refusal=str(exc))
            refused += 1
    async with session.begin():
        pending = await session.scalar(
            select(func.count())
            .select_from(Booking)
            .where(Booking.event_id == event_id, Booking.status == BookingStatus.PENDING)
        )
    if pending:
        raise PendingBookingsRemainError(f"{pending} bookings of event {event_id} are still pending")
    if refused:
        raise RefundsRefusedError(f"{refused} refunds of bookings of event {event_id} were refused")
    return cancelled
