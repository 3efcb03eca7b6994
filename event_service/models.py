"""The event document, stored with the messages its last changes still have to publish."""

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, Field
from pymongo import ASCENDING, DESCENDING, IndexModel

from shared.mongo_listing import Listing
from shared.mongo_outbox import OutboxDocument

EventStatus = Literal["scheduled", "cancelled"]


# Listings are sorted by start time, then by id, newest first. The id descends because Beanie takes any
# index holding `("_id", 1)` for the `_id` index and would never rebuild it when its options change.
LISTING = Listing(
    order=[("starts_at", ASCENDING), ("_id", DESCENDING)],
    index="by_start_and_id",
    filtered={"owner_id": "by_owner", "category": "by_category", "status": "by_status"},
)

# Tombstones outlive the relaying of their `event.deleted` by far, even through a long broker outage.
TOMBSTONE_SECONDS = 30 * 24 * 3600


DEFAULT_TICKET_TYPE_NAME = "Admission"
DEFAULT_TIMEZONE = "UTC"
DEFAULT_HOLD_MINUTES = 15
DEFAULT_OFFER_HOURS = 24
PriceMode = Literal["none", "percent", "fixed", "set"]


class TicketType(BaseModel):
    """A kind of ticket the event sells; the default one has the event's id and the event's price."""

    id: str
    name: str
    description: str = ""
    price: int
    sales_start: datetime | None = None
    sales_end: datetime | None = None
    min_per_booking: int = 1
    max_per_booking: int
    hidden: bool = False
    position: int = 0


class Quota(BaseModel):
    """Seats shared by some ticket types: together they sell at most `size`."""

    id: str
    name: str
    size: int
    ticket_type_ids: list[str]


class Voucher(BaseModel):
    """A promo code of the event, stored upper-case; the booking service counts its uses."""

    code: str
    max_usages: int = 1
    valid_until: datetime | None = None
    ticket_type_ids: list[str] = Field(default_factory=list)
    price_mode: PriceMode = "none"
    value: int = 0
    unlocks_hidden: bool = False
    disabled: bool = False


class Event(OutboxDocument):
    """An event; a deleted one stays a while as a tombstone (`deleted_at`), hidden from the API.

    The tombstone is what lets a deletion and its `event.deleted` be one single-document write.
    MongoDB removes it `TOMBSTONE_SECONDS` later.
    """

    outbox_source: ClassVar[str] = "event_service"
    # Each message carries the whole catalogue (up to about 0.7 MB with 1000 vouchers): this many
    # still fit in one document beside the event (tests/event_service/test_storage.py).
    outbox_limit: ClassVar[int] = 16

    title: str
    description: str
    venue: str
    category: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    price: int
    currency: str
    max_tickets_per_booking: int
    status: EventStatus = "scheduled"
    owner_id: str
    created_at: datetime
    updated_at: datetime
    version: int = 1
    deleted_at: datetime | None = None
    timezone: str = DEFAULT_TIMEZONE
    hold_minutes: int = DEFAULT_HOLD_MINUTES
    offer_hours: int = DEFAULT_OFFER_HOURS
    ticket_types: list[TicketType] = Field(default_factory=list)
    quotas: list[Quota] = Field(default_factory=list)
    vouchers: list[Voucher] = Field(default_factory=list)
    # What the booking service reported sold: such types and codes stay, so its bookings keep their meaning.
    sold_ticket_type_ids: list[str] = Field(default_factory=list)
    redeemed_voucher_codes: list[str] = Field(default_factory=list)

    class Settings:
        name = "events"
        indexes = [
            *LISTING.indexes(),
            IndexModel("deleted_at", name="tombstone_expiry", expireAfterSeconds=TOMBSTONE_SECONDS),
        ]
