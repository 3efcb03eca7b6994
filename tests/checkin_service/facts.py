"""The messages the check-in service hears, as the event and booking services publish them."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from shared.messages import (
    BookingCancelled,
    BookingConfirmed,
    BookingItemFacts,
    EventCreated,
    TicketTypeFacts,
)

STANDARD = "standard"
VIP = "vip"


def hex_id() -> str:
    """An id as the event service makes them (24 hex digits)."""
    return uuid.uuid4().hex[:24]


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def event_created(
    owner_id: str, *, starts_in: timedelta = timedelta(hours=1), **overrides: Any
) -> EventCreated:
    """A scheduled event of `owner_id` starting `starts_in` from now, for two hours, with two ticket types:
    the default one (the event's id, 24 hex digits) and `vip`."""
    event_id = overrides.pop("event_id", hex_id())
    starts_at = now() + starts_in
    fields: dict[str, Any] = {
        "event_id": event_id,
        "owner_id": owner_id,
        "title": "Night at the Museum",
        "venue": "Hall 1",
        "category": "music",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "capacity": 100,
        "price": 2500,
        "currency": "EUR",
        "max_tickets_per_booking": 10,
        "status": "scheduled",
        "version": 1,
        "ticket_types": [
            TicketTypeFacts(ticket_type_id=event_id, name="Standard", price=2500, max_per_booking=10),
            TicketTypeFacts(ticket_type_id=VIP, name="VIP", price=9000, max_per_booking=10),
        ],
        **overrides,
    }
    return EventCreated(**fields)


def booking_confirmed(
    event: EventCreated,
    user_id: str,
    items: list[tuple[str, int]],
    *,
    attendee_names: list[str] | None = None,
) -> BookingConfirmed:
    """A paid booking of `user_id` at `event`: `items` are (ticket type id, quantity)."""
    return BookingConfirmed(
        booking_id=str(uuid.uuid4()),
        user_id=user_id,
        event_id=event.event_id,
        event_title=event.title,
        event_owner_id=event.owner_id,
        tickets=sum(quantity for _, quantity in items),
        amount=0,
        currency="EUR",
        items=[
            BookingItemFacts(ticket_type_id=type_id, name=type_id, quantity=quantity, unit_price=0)
            for type_id, quantity in items
        ],
        event_starts_at=event.starts_at,
        attendee_names=attendee_names or [],
        payment_id=None,
    )


def booking_cancelled(booking: BookingConfirmed) -> BookingCancelled:
    return BookingCancelled(
        **booking.model_dump(exclude={"payment_id"}), reason="cancelled_by_user", refunded_amount=0
    )
