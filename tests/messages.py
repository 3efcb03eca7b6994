"""Message payloads the tests publish themselves."""

import uuid
from datetime import UTC, datetime

from shared.messages import BookingConfirmed, UserRegistered


def user_registered(username: str) -> UserRegistered:
    """A `user.registered` of a new attendee named `username`."""
    return UserRegistered(
        user_id=username,
        username=username,
        email=f"{username}@example.com",
        full_name=username,
        roles=["attendee"],
        registered_at=datetime.now(UTC),
    )


def paid_booking(user_id: str, event_id: str, *, booking_id: str | None = None) -> BookingConfirmed:
    """A paid booking of one ticket by `user_id` at `event_id` (by default its id names the two)."""
    return BookingConfirmed(
        booking_id=booking_id or f"{event_id}-{user_id}",
        user_id=user_id,
        event_id=event_id,
        event_title="Jazz Night",
        event_owner_id="organizer",
        tickets=1,
        amount=2550,
        currency="EUR",
        payment_id=uuid.uuid4().hex,
    )
