"""What the API and the WebSocket answer with: notifications, pages of them, read-all results."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

_SOLD_EXAMPLE = {
    "id": "0190f3c2a1b07c3e9d2f4a1b",
    "type": "tickets.sold",
    "title": "Tickets sold",
    "body": "3 tickets sold for Jazz on the Roof (2 × Regular, 1 × VIP; 75.00 EUR).",
    "data": {
        "booking_id": "b7c1",
        "event_id": "e42",
        "tickets": 3,
        "amount": 7500,
        "currency": "EUR",
        "items": [
            {"ticket_type_id": "t1", "name": "Regular", "quantity": 2, "unit_price": 2000, "voucher": None},
            {"ticket_type_id": "t2", "name": "VIP", "quantity": 1, "unit_price": 3500, "voucher": None},
        ],
        "event_starts_at": "2030-06-21T17:30:00+00:00",
        "event_timezone": "Europe/Berlin",
    },
    "created_at": "2030-06-01T09:15:00Z",
}


class NotificationFrame(BaseModel):
    """One notification as a WebSocket frame carries it."""

    model_config = ConfigDict(json_schema_extra={"examples": [_SOLD_EXAMPLE]})

    id: str = Field(description="Sorts by the time it was stored; reconnect with `?since=<id>`")
    type: str = Field(
        description="What happened: `booking.held`, `booking.expired`, `booking.confirmed`, "
        "`booking.failed`, `booking.cancelled`, `tickets.sold` (to the organizer), `payment.refunded`, "
        "`event.created`, `event.updated` or `event.cancelled`"
    )
    title: str
    body: str = Field(description="One or two sentences; times in the event's own time zone, named")
    data: dict[str, Any] = Field(
        description="Ids and figures for the client to link or show: a booking's `items` (empty from "
        "older releases), `event_starts_at` and `event_timezone`, a hold's `expires_at`, an event's "
        "`starts_at` and `timezone`"
    )
    created_at: datetime


class NotificationPublic(NotificationFrame):
    read: bool


class NotificationPage(BaseModel):
    items: list[NotificationPublic]
    total: int = Field(description="How many match the query")
    unread: int = Field(description="How many of the caller's notifications are unread")
    limit: int
    offset: int


class NotificationQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=20, ge=1, le=100)
    offset: int = Field(default=0, ge=0, le=10_000)
    unread: bool = Field(default=False, description="Only the unread ones")


class ReadAllResult(BaseModel):
    marked_read: int = Field(description="How many notifications were unread before")
