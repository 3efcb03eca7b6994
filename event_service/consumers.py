"""What the event service hears from the booking service: which ticket types and vouchers have sold."""

from event_service import sales
from shared.messages import BookingConfirmed, BookingFacts, BookingHeld
from shared.messaging import Consumer
from shared.mongo import MONGO_DOWN_ERRORS


async def on_booking_held(message: BookingHeld) -> None:
    """A hold counts as a sale: its booking may yet be paid for the type and voucher it names."""
    await _record(message)


async def on_booking_confirmed(message: BookingConfirmed) -> None:
    await _record(message)


async def _record(message: BookingFacts) -> None:
    # A booking from before ticket types names no items: it bought the default type, the event's id.
    ticket_type_ids = [item.ticket_type_id for item in message.items] or [message.event_id]
    codes = [item.voucher for item in message.items if item.voucher]
    await sales.record_sales(event_id=message.event_id, ticket_type_ids=ticket_type_ids, voucher_codes=codes)


def sales_consumer(queue_prefix: str) -> Consumer:
    """The durable queue `<queue_prefix>.sales` of the bookings that keep types and vouchers from deletion."""
    # A database that is down makes a message wait, not count towards the dead-letter queue.
    return Consumer(
        queue=f"{queue_prefix}.sales",
        handlers=[on_booking_held, on_booking_confirmed],
        transient_errors=(OSError, *MONGO_DOWN_ERRORS),
    )
