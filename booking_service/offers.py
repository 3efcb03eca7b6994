"""Freed seats offered to the waiting list, before the public, in order of joining.

Seats free up in many ways (a cancellation, a hold or offer expiring, a failed payment, a larger
quota or capacity). Until they are offered, they are owed to the queue (`owed_seats`): `take_seats`
does not sell them to the public. A worker finds the events where some waiting entry fits the seats
free for its type and offers them, each event in one transaction that first takes the event row's
lock, as every change of its seats does, and reads the counts under it: whatever runs at the same
time, in this process or another replica, each freed seat is offered once, to one entry.

An offer is a hold (`held`, `booking.offered`) in the entry's user's name, for its quantity, or
for fewer seats if the entry accepts a partial offer; it is paid, or expires, as any hold is.
"""

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from booking_service.facts import facts
from booking_service.models import (
    Booking,
    BookingItem,
    EventInventory,
    OutboxMessage,
    TicketType,
    WaitingListEntry,
)
from booking_service.schemas import BookingStatus
from booking_service.waiting_list_schemas import WaitingListState
from shared.db import DATABASE_DOWN_ERRORS
from shared.messages import BookingOffered
from shared.outbox import OutboxRelay, stage_message
from shared.worker import Worker

logger = logging.getLogger(__name__)

# Events offered to per pass; a pass that finds this many runs again at once.
EVENTS_PER_PASS = 100
# Entries of one event looked at per offering: all that can fit the seats free, in any real queue.
ENTRIES_PER_OFFERING = 1000
# Offers are paid as any hold is: the method can be changed when paying.
OFFER_PAYMENT_METHOD = "pm_card_visa"

# Events where an entry waits that fits the seats owed to its type: its quantity, or for an entry
# that accepts a partial offer, at least the type's minimum per booking.
_EVENTS_TO_OFFER = text(
    """
    SELECT e.event_id
      FROM event_inventory e
     WHERE e.event_id IN (SELECT t.event_id FROM ticket_types t WHERE t.waiting > 0)
       AND e.on_sale AND e.starts_at > now()
       AND EXISTS (
           SELECT 1
             FROM owed_seats(e.event_id) o
             JOIN ticket_types k ON k.event_id = e.event_id AND k.ticket_type_id = o.o_ticket_type_id
             JOIN waiting_list_entries w
               ON w.event_id = k.event_id AND w.ticket_type_id = k.ticket_type_id AND w.state = 'waiting'
            WHERE w.quantity <= o.o_owed OR (w.accept_partial AND o.o_owed >= greatest(1, k.min_per_booking))
       )
     LIMIT :limit
    """
)
# Each listed quota's seats left, and its member types.
_QUOTAS = text(
    """
    SELECT q.quota_id, q.size - coalesce(sum(t.sold + t.held), 0) AS left_over,
           array_remove(array_agg(m.ticket_type_id), NULL) AS members
      FROM quotas q
      LEFT JOIN quota_members m ON m.event_id = q.event_id AND m.quota_id = q.quota_id
      LEFT JOIN ticket_types t ON t.event_id = m.event_id AND t.ticket_type_id = m.ticket_type_id
     WHERE q.event_id = :event AND q.listed
     GROUP BY q.quota_id, q.size
    """
)
_OWED = text("SELECT o_ticket_type_id, o_owed FROM owed_seats(:event) WHERE o_owed > 0")


class _Seats:
    """The seats left for each type of an event (its capacity and its quotas), as offers take them."""

    def __init__(self, event_left: int, quotas: list[Any]) -> None:
        self.event_left = event_left
        self.quota_left = {quota.quota_id: quota.left_over for quota in quotas}
        self.quotas_of: dict[str, list[str]] = {}
        for quota in quotas:
            for member in quota.members:
                self.quotas_of.setdefault(member, []).append(quota.quota_id)

    def left_for(self, ticket_type_id: str) -> int:
        quotas = self.quotas_of.get(ticket_type_id, [])
        return max(0, min([self.event_left, *(self.quota_left[quota] for quota in quotas)]))

    def take(self, ticket_type_id: str, seats: int) -> None:
        self.event_left -= seats
        for quota in self.quotas_of.get(ticket_type_id, []):
            self.quota_left[quota] -= seats


def _offered_seats(entry: WaitingListEntry, kind: TicketType, left: int) -> int:
    """Seats to offer the entry: its quantity if they are free, fewer if it accepts that; else 0."""
    if entry.quantity <= left:
        return entry.quantity
    if entry.accept_partial and left >= max(1, kind.min_per_booking):
        return left
    return 0


def _offer(
    event: EventInventory, entry: WaitingListEntry, kind: TicketType, seats: int, expires_at: datetime
) -> Booking:
    booking = Booking(
        id=uuid.uuid4(),
        user_id=entry.user_id,
        event_id=event.event_id,
        event_title=event.title,
        event_owner_id=event.owner_id,
        tickets=seats,
        amount=kind.price * seats,
        currency=event.currency,
        payment_method=OFFER_PAYMENT_METHOD,
        status=BookingStatus.HELD.value,
        payment_id=None,
        refunded_amount=0,
        failure_reason=None,
        idempotency_key=None,
        expires_at=expires_at,
        voucher=None,
        event_starts_at=event.starts_at,
        event_timezone=event.timezone,
        attendee_names=[],
        waiting_list_entry_id=entry.id,
    )
    booking.items = [
        BookingItem(
            booking_id=booking.id,
            ticket_type_id=kind.ticket_type_id,
            name=kind.name,
            quantity=seats,
            unit_price=kind.price,
            voucher=None,
        )
    ]
    return booking


async def offer_freed_seats(session: AsyncSession, *, event_id: str, offer_for: timedelta | None) -> int:
    """Offers the seats free for the event's waiting entries, first come first offered, each entry
    that fits; returns how many offers were made. `offer_for` replaces the event's `offer_hours`."""
    async with session.begin():
        event = await session.scalar(
            select(EventInventory)
            .where(EventInventory.event_id == event_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        now = await session.scalar(select(func.now()))
        assert now is not None
        if event is None or not event.on_sale or event.starts_at <= now:
            return 0
        owed = {row[0]: row[1] for row in await session.execute(_OWED, {"event": event_id})}
        if not owed:
            return 0
        kinds = {
            kind.ticket_type_id: kind
            for kind in await session.scalars(
                select(TicketType)
                .where(TicketType.event_id == event_id, TicketType.ticket_type_id.in_(owed))
                .execution_options(populate_existing=True)
            )
        }
        seats = _Seats(
            event.capacity - event.sold - event.held,
            list(await session.execute(_QUOTAS, {"event": event_id})),
        )
        entries = await session.scalars(
            select(WaitingListEntry)
            .where(
                WaitingListEntry.event_id == event_id,
                WaitingListEntry.state == WaitingListState.WAITING.value,
                WaitingListEntry.ticket_type_id.in_(owed),
            )
            .order_by(WaitingListEntry.seq)
            .limit(ENTRIES_PER_OFFERING)
            .execution_options(populate_existing=True)
        )
        # Never past the event's start, after which no hold can be paid.
        held_for = offer_for if offer_for is not None else timedelta(hours=event.offer_hours)
        expires_at = min(now + held_for, event.starts_at)
        offers = 0
        for entry in list(entries):
            if seats.event_left <= 0:
                break
            kind = kinds[entry.ticket_type_id]
            offered = _offered_seats(entry, kind, seats.left_for(kind.ticket_type_id))
            if not offered:
                continue
            seats.take(kind.ticket_type_id, offered)
            booking = _offer(event, entry, kind, offered, expires_at)
            session.add(booking)
            entry.state = WaitingListState.OFFERED.value
            entry.booking_id = booking.id
            await session.execute(
                update(TicketType)
                .where(TicketType.event_id == event_id, TicketType.ticket_type_id == kind.ticket_type_id)
                .values(held=TicketType.held + offered, waiting=TicketType.waiting - entry.quantity)
            )
            await session.execute(
                update(EventInventory)
                .where(EventInventory.event_id == event_id)
                .values(held=EventInventory.held + offered)
            )
            stage_message(session, OutboxMessage, BookingOffered(**facts(booking), expires_at=expires_at))
            offers += 1
    if offers:
        logger.info("Offered freed seats of event %s to %d waiting list entries", event_id, offers)
    return offers


class OfferWorker(Worker):
    """Every `interval_seconds`, offers the seats owed to waiting list entries that fit them."""

    name = "waiting-list-offers"
    waiting_on = DATABASE_DOWN_ERRORS

    def __init__(
        self,
        *,
        sessionmaker: async_sessionmaker[AsyncSession],
        relay: OutboxRelay,
        interval_seconds: float,
        offer_for: timedelta | None,
    ) -> None:
        super().__init__(poll_seconds=interval_seconds)
        self.sessionmaker = sessionmaker
        self.relay = relay
        self.offer_for = offer_for

    async def run_pass(self) -> bool:
        return await self.sweep() >= EVENTS_PER_PASS

    async def sweep(self) -> int:
        """Offers seats in up to `EVENTS_PER_PASS` events; returns how many events had offers."""
        async with self.sessionmaker() as session:
            async with session.begin():
                event_ids = list(await session.scalars(_EVENTS_TO_OFFER, {"limit": EVENTS_PER_PASS}))
            offered = 0
            for event_id in event_ids:
                if await offer_freed_seats(session, event_id=event_id, offer_for=self.offer_for):
                    offered += 1
        if offered:
            self.relay.wake()
        return offered
