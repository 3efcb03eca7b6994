"""Brings events stored by the release before ticket types up to date, once, as the service starts."""

import asyncio
import logging
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from event_service.models import (
    DEFAULT_HOLD_MINUTES,
    DEFAULT_OFFER_HOURS,
    DEFAULT_TICKET_TYPE_NAME,
    DEFAULT_TIMEZONE,
    Event,
)
from shared.mongo import MONGO_DOWN_ERRORS

logger = logging.getLogger(__name__)

# An event of that release sold one kind of ticket: it becomes the default type, of the event's own
# id, price and booking limit. Each field is filled only where it is missing, so running it again
# changes nothing, and version and outbox stay as they are: nothing about the event changed.
_MISSING = {
    "$or": [
        {field: {"$exists": False}}
        for field in (
            "ticket_types",
            "timezone",
            "hold_minutes",
            "offer_hours",
            "quotas",
            "vouchers",
            "sold_ticket_type_ids",
            "redeemed_voucher_codes",
        )
    ]
}
_DEFAULT_TYPE = {
    "id": {"$toString": "$_id"},
    "name": DEFAULT_TICKET_TYPE_NAME,
    "description": "",
    "price": "$price",
    "sales_start": None,
    "sales_end": None,
    "min_per_booking": 1,
    "max_per_booking": {"$max": [1, "$max_tickets_per_booking"]},
    "hidden": False,
    "position": 0,
}
_FILLED: list[dict[str, Any]] = [
    {
        "$set": {
            "ticket_types": {"$ifNull": ["$ticket_types", [_DEFAULT_TYPE]]},
            "timezone": {"$ifNull": ["$timezone", DEFAULT_TIMEZONE]},
            "hold_minutes": {"$ifNull": ["$hold_minutes", DEFAULT_HOLD_MINUTES]},
            "offer_hours": {"$ifNull": ["$offer_hours", DEFAULT_OFFER_HOURS]},
            "quotas": {"$ifNull": ["$quotas", []]},
            "vouchers": {"$ifNull": ["$vouchers", []]},
            "sold_ticket_type_ids": {"$ifNull": ["$sold_ticket_type_ids", []]},
            "redeemed_voucher_codes": {"$ifNull": ["$redeemed_voucher_codes", []]},
        }
    }
]


async def add_ticket_types(database: AsyncDatabase[dict[str, Any]]) -> int:
    """Fills in what older events lack in one `update_many`; returns how many it changed."""
    collection = database[Event.Settings.name]
    result = await collection.update_many(_MISSING, _FILLED)
    return result.modified_count


class Migration:
    """Runs `add_ticket_types` until it succeeds; the service is not ready before it has."""

    def __init__(self, database: AsyncDatabase[dict[str, Any]], *, retry_seconds: float) -> None:
        self.database = database
        self.retry_seconds = retry_seconds
        self.done = asyncio.Event()

    async def run(self) -> None:
        while True:
            try:
                changed = await add_ticket_types(self.database)
            except MONGO_DOWN_ERRORS:
                logger.warning("Cannot reach MongoDB to migrate events; retrying", exc_info=True)
                await asyncio.sleep(self.retry_seconds)
                continue
            if changed:
                logger.info("Gave %d events of the previous release their default ticket type", changed)
            self.done.set()
            return

    async def check(self) -> None:
        """Raises until the migration has run (for `/ready`)."""
        if not self.done.is_set():
            raise RuntimeError("Events of the previous release are still being migrated")
