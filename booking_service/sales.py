"""An event's sales for its organizer: seats sold and held per ticket type, and the money taken."""

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from booking_service import service
from booking_service.clients import EventClient
from booking_service.errors import NotOrganizerError
from booking_service.models import EventInventory
from booking_service.sales_schemas import SalesPublic, TicketTypeSales
from shared.auth import Principal

# Each listed type's counters (kept under the event's lock) and what its confirmed items brought in.
_TYPES = text(
    """
    SELECT t.ticket_type_id, t.name, t.sold, t.held,
           coalesce((SELECT sum(i.quantity * i.unit_price)
                       FROM booking_items i JOIN bookings b ON b.id = i.booking_id
                      WHERE b.event_id = t.event_id AND b.status = 'confirmed'
                        AND i.ticket_type_id = t.ticket_type_id), 0) AS revenue
      FROM ticket_types t
     WHERE t.event_id = :event AND t.listed
     ORDER BY t.position, t.name
    """
)
_MONEY = text(
    """
    SELECT coalesce(sum(amount) FILTER (WHERE status = 'confirmed'), 0) AS revenue,
           coalesce(sum(refunded_amount), 0) AS refunded
      FROM bookings WHERE event_id = :event
    """
)


async def read(
    session: AsyncSession, events: EventClient, *, event_id: str, principal: Principal
) -> SalesPublic:
    """Returns the event's sales, read in one transaction, to its owner or an admin."""
    seats = await service.ensure_inventory(session, events, event_id=event_id)
    if not (principal.is_admin or seats.owner_id == principal.id):
        raise NotOrganizerError("Only the event's organizer or an admin sees its sales")
    async with session.begin():
        event = await session.get(EventInventory, event_id, populate_existing=True)
        assert event is not None  # events are never deleted here
        types = list(await session.execute(_TYPES, {"event": event_id}))
        money = (await session.execute(_MONEY, {"event": event_id})).one()
    return SalesPublic(
        event_id=event_id,
        currency=event.currency,
        sold=event.sold,
        held=event.held,
        revenue=money.revenue,
        refunded=money.refunded,
        ticket_types=[
            TicketTypeSales(
                ticket_type_id=row.ticket_type_id,
                name=row.name,
                sold=row.sold,
                held=row.held,
                revenue=row.revenue,
            )
            for row in types
        ],
    )
