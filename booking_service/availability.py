"""What an event has left to sell: its seats, each public ticket type's, and each quota's.

Seats owed to the waiting list (`owed_seats`, migration 0005) are not on sale to the public: they
are taken out of the event's seats left and of each quota's that the waiting types are in, as
`take_seats` takes them out.
"""

from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from booking_service.models import EventInventory, TicketType
from booking_service.schemas import Availability, QuotaAvailability, TicketTypeAvailability, TicketTypeStatus

# Each listed quota, its seats sold and held (its member types' counts added up) and its members.
_QUOTAS = text(
    """
    SELECT q.quota_id, q.name, q.size,
           coalesce(sum(t.sold), 0) AS sold, coalesce(sum(t.held), 0) AS held,
           coalesce(sum(t.waiting), 0) AS waiting,
           array_remove(array_agg(m.ticket_type_id), NULL) AS members
      FROM quotas q
      LEFT JOIN quota_members m ON m.event_id = q.event_id AND m.quota_id = q.quota_id
      LEFT JOIN ticket_types t ON t.event_id = m.event_id AND t.ticket_type_id = m.ticket_type_id
     WHERE q.event_id = :event AND q.listed
     GROUP BY q.quota_id, q.name, q.size
     ORDER BY q.name, q.quota_id
    """
)
_OWED = text("SELECT o_ticket_type_id, o_owed FROM owed_seats(:event)")


def _status(kind: TicketType, seats: EventInventory, available: int, now: datetime) -> TicketTypeStatus:
    if not seats.on_sale or seats.starts_at <= now:
        return "ended"
    if kind.sales_start is not None and now < kind.sales_start:
        return "not_yet"
    if kind.sales_end is not None and now >= kind.sales_end:
        return "ended"
    return "sold_out" if available == 0 else "on_sale"


async def read(session: AsyncSession, *, seats: EventInventory) -> Availability:
    """The event's availability, read in one transaction (counts of one moment)."""
    async with session.begin():
        return await counted(session, event_id=seats.event_id)


async def counted(session: AsyncSession, *, event_id: str) -> Availability:
    """The event's availability as the session's transaction sees it."""
    now = await session.scalar(select(func.now()))
    assert now is not None
    event = await session.get(EventInventory, event_id, populate_existing=True)
    assert event is not None  # events are never deleted here
    kinds = list(
        await session.scalars(
            select(TicketType)
            .where(TicketType.event_id == event.event_id, TicketType.listed, ~TicketType.hidden)
            .order_by(TicketType.position, TicketType.name)
            .execution_options(populate_existing=True)
        )
    )
    quotas = list(await session.execute(_QUOTAS, {"event": event.event_id}))
    owed = {row[0]: row[1] for row in await session.execute(_OWED, {"event": event.event_id})}
    member_of: dict[str, list[str]] = {}
    for quota in quotas:
        for member in quota.members:
            member_of.setdefault(member, []).append(quota.quota_id)
    quota_left = {
        quota.quota_id: max(
            0, quota.size - quota.sold - quota.held - sum(owed.get(m, 0) for m in quota.members)
        )
        for quota in quotas
    }
    event_left = max(0, event.available - sum(owed.values()))
    ticket_types = []
    for kind in kinds:
        available = min(
            [event_left, *(quota_left[quota_id] for quota_id in member_of.get(kind.ticket_type_id, []))]
        )
        ticket_types.append(
            TicketTypeAvailability(
                ticket_type_id=kind.ticket_type_id,
                name=kind.name,
                price=kind.price,
                available=available,
                status=_status(kind, event, available, now),
                waiting=kind.waiting,
            )
        )
    return Availability(
        event_id=event.event_id,
        capacity=event.capacity,
        sold=event.sold,
        held=event.held,
        available=event_left,
        on_sale=event.on_sale,
        waiting=await _waiting(session, event_id=event.event_id),
        ticket_types=ticket_types,
        quotas=[
            QuotaAvailability(
                quota_id=quota.quota_id,
                name=quota.name,
                size=quota.size,
                sold=quota.sold,
                held=quota.held,
                available=quota_left[quota.quota_id],
                waiting=quota.waiting,
            )
            for quota in quotas
        ],
    )


async def _waiting(session: AsyncSession, *, event_id: str) -> int:
    """Seats the event's waiting entries ask for, hidden and unlisted types' too."""
    total = await session.scalar(
        select(func.coalesce(func.sum(TicketType.waiting), 0)).where(TicketType.event_id == event_id)
    )
    return int(total or 0)
