"""What `booking.*` messages tell of a booking, and its items carried over to a copy of it."""

from booking_service.models import Booking, BookingItem
from shared.messages import BookingItemFacts

ITEM_COLUMNS = ("booking_id", "ticket_type_id", "name", "quantity", "unit_price", "voucher")


def facts(booking: Booking) -> dict[str, object]:
    """What every `booking.*` message tells of the booking; an offer's also names its waiting list
    entry (a field `booking.offered` declares, and the others carry as one added later)."""
    told: dict[str, object] = {
        "booking_id": str(booking.id),
        "user_id": booking.user_id,
        "event_id": booking.event_id,
        "event_title": booking.event_title,
        "event_owner_id": booking.event_owner_id,
        "tickets": booking.tickets,
        "amount": booking.amount,
        "currency": booking.currency,
        "items": [BookingItemFacts.model_validate(item, from_attributes=True) for item in booking.items],
        "event_starts_at": booking.event_starts_at,
        "event_timezone": booking.event_timezone,
        "attendee_names": list(booking.attendee_names or ()),
    }
    if booking.waiting_list_entry_id is not None:
        told["waiting_list_entry_id"] = str(booking.waiting_list_entry_id)
    return told


def with_items(booking: Booking, items: list[BookingItem]) -> Booking:
    """Gives a booking read back from a statement (which carries no items) the items it has."""
    booking.items = [BookingItem(**{name: getattr(item, name) for name in ITEM_COLUMNS}) for item in items]
    return booking
