"""An event's catalogue (ticket types, quotas, vouchers) told to the booking service as the event
service tells it: an `event.updated` snapshot on the real broker."""

from datetime import datetime
from typing import Any

import httpx

from shared.messages import EventUpdated, QuotaFacts, TicketTypeFacts, VoucherFacts
from shared.messaging import Broker, build_envelope
from tests.booking_service.conftest import Platform, availability
from tests.conftest import RABBITMQ_URL, wait_for


def ticket_type(ticket_type_id: str, name: str, price: int, **fields: Any) -> TicketTypeFacts:
    return TicketTypeFacts(
        ticket_type_id=ticket_type_id, name=name, price=price, **{"max_per_booking": 10, **fields}
    )


async def publish_catalogue(
    platform: Platform,
    bookings: httpx.AsyncClient,
    event: dict[str, Any],
    *,
    version: int,
    ticket_types: list[TicketTypeFacts],
    quotas: list[QuotaFacts] | None = None,
    vouchers: list[VoucherFacts] | None = None,
    starts_at: datetime | None = None,
    **fields: Any,
) -> None:
    """Publishes the event at `version` with this catalogue, and waits until the booking service
    applied it (its public types are those on offer)."""
    snapshot = EventUpdated(
        event_id=event["id"],
        owner_id=event["owner_id"],
        title=event["title"],
        venue=event["venue"],
        category=event["category"],
        starts_at=starts_at or datetime.fromisoformat(event["starts_at"]),
        ends_at=datetime.fromisoformat(event["ends_at"]),
        capacity=fields.pop("capacity", event["capacity"]),
        price=event["price"],
        currency=event["currency"],
        max_tickets_per_booking=fields.pop("max_tickets_per_booking", event["max_tickets_per_booking"]),
        status="scheduled",
        version=version,
        changed=["ticket_types"],
        ticket_types=ticket_types,
        quotas=quotas or [],
        vouchers=vouchers or [],
        **fields,
    )
    await availability(bookings, event["id"])  # stored from event.created (or fetched) first
    broker = Broker(url=RABBITMQ_URL, exchange_name=platform.booking_settings.event_exchange)
    await broker.start()
    await broker.connected.wait()
    await broker.publish(build_envelope("event_service", snapshot))
    await broker.close()
    public = sorted((kind.ticket_type_id, kind.name, kind.price) for kind in ticket_types if not kind.hidden)
    sizes = sorted((quota.quota_id, quota.size) for quota in quotas or [])

    async def applied() -> bool:
        seats = await availability(bookings, event["id"])
        shown = sorted(
            (kind["ticket_type_id"], kind["name"], kind["price"]) for kind in seats["ticket_types"]
        )
        return shown == public and sorted((q["quota_id"], q["size"]) for q in seats["quotas"]) == sizes

    await wait_for(applied)
