"""The waiting list's requests and answers."""

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from booking_service.schemas import EVENT_ID_PATTERN, MAX_TICKETS_PER_BOOKING


class WaitingListState(StrEnum):
    WAITING = "waiting"
    # Freed seats are held for it (`offer`) until the offer's `expires_at`.
    OFFERED = "offered"
    # The offer was paid.
    BOOKED = "booked"
    # The offer was not paid in time (or its payment failed), or the event stopped selling.
    EXPIRED = "expired"
    # Its user left the queue (and gave up an open offer).
    WITHDRAWN = "withdrawn"


# States of an entry still in the queue: a user has at most one such entry per ticket type.
ACTIVE_STATES = (WaitingListState.WAITING, WaitingListState.OFFERED)

_ENTRY_EXAMPLE = {
    "id": "0b6f7a4e-2f7d-4a39-9c1e-6f1d2a3b4c5d",
    "event_id": "665f1c2e9b1d4a0012345678",
    "ticket_type_id": "665f1c2e9b1d4a0012345678",
    "user_id": "7",
    "quantity": 4,
    "accept_partial": True,
    "state": "offered",
    "position": None,
    "created_at": "2030-05-01T10:00:00Z",
    "offer": {
        "booking_id": "a3c1e0f2-1b2c-4d5e-8f90-123456789abc",
        "expires_at": "2030-05-02T10:00:00Z",
        "quantity": 2,
    },
}


class WaitingListEntryCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"ticket_type_id": "665f1c2e9b1d4a0012345678", "quantity": 4, "accept_partial": True}
            ]
        },
    )

    ticket_type_id: str = Field(min_length=1, max_length=64, pattern=EVENT_ID_PATTERN)
    quantity: int = Field(
        strict=True, ge=1, le=MAX_TICKETS_PER_BOOKING, description="Within the type's min and max per booking"
    )
    accept_partial: bool = Field(
        default=False,
        strict=True,
        description="Take an offer of fewer seats (at least the type's min per booking) when fewer free up",
    )


class OfferPublic(BaseModel):
    booking_id: uuid.UUID = Field(description="The hold to pay with `POST /bookings/{id}/pay`")
    expires_at: datetime
    quantity: int = Field(description="Seats offered: the entry's quantity, or fewer for a partial offer")


class WaitingListEntryPublic(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_ENTRY_EXAMPLE]})

    id: uuid.UUID
    event_id: str
    ticket_type_id: str
    user_id: str
    quantity: int
    accept_partial: bool
    state: WaitingListState
    position: int | None = Field(
        description="1 for the next in line of its ticket type, while `waiting`; null otherwise"
    )
    created_at: datetime
    offer: OfferPublic | None = Field(description="The seats held for it, once offered")


class WaitingListPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [_ENTRY_EXAMPLE], "total": 1, "limit": 20, "offset": 0}]}
    )

    items: list[WaitingListEntryPublic]
    total: int
    limit: int
    offset: int
