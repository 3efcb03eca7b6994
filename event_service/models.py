"""The event document, stored with the messages its last changes still have to publish."""

from datetime import datetime
from typing import ClassVar, Literal

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


class Event(OutboxDocument):
    """An event; a deleted one stays a while as a tombstone (`deleted_at`), hidden from the API.

    The tombstone is what lets a deletion and its `event.deleted` be one single-document write.
    MongoDB removes it `TOMBSTONE_SECONDS` later.
    """

    outbox_source: ClassVar[str] = "event_service"

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

    class Settings:
        name = "events"
        indexes = [
            *LISTING.indexes(),
            IndexModel("deleted_at", name="tombstone_expiry", expireAfterSeconds=TOMBSTONE_SECONDS),
        ]
