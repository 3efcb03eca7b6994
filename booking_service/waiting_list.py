"""The waiting list: people queue for a sold-out ticket type, leave it, and see where they stand.

Joining and leaving change the seats the type's queue asks for (`ticket_types.waiting`), which decide
the seats owed to it, so both take the event row's lock first, as every change of the event's seats
does. Offers are made by `offers`; an offer's outcome is followed by the statement that settles it
(`holds.record_outcome`).
"""

import uuid
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from booking_service import availability, service
from booking_service.clients import EventClient
from booking_service.errors import (
    AlreadyWaitingError,
    EntryNotActiveError,
    EntryNotFoundError,
    InvalidItemError,
    NotOnSaleError,
    NotOrganizerError,
    TicketTypeNotOnSaleError,
    TicketTypeOnSaleError,
    TooManyEntriesError,
)
from booking_service.models import Booking, EventInventory, TicketType, WaitingListEntry
from booking_service.schemas import BookingStatus
from booking_service.waiting_list_schemas import (
    ACTIVE_STATES,
    OfferPublic,
    WaitingListEntryCreate,
    WaitingListEntryPublic,
    WaitingListState,
)
from shared.auth import Principal

# Entries one user may have waiting or offered at once, across every event.
MAX_ACTIVE_ENTRIES = 50
WITHDRAWN_REASON = "withdrawn from the waiting list"

_queue = WaitingListEntry.__table__.alias("queue")
# Where an entry stands in its ticket type's queue: 1 for the next in line; None once not waiting.
_POSITION = (
    select(func.count())
    .where(
        _queue.c.event_id == WaitingListEntry.event_id,
        _queue.c.ticket_type_id == WaitingListEntry.ticket_type_id,
        _queue.c.state == WaitingListState.WAITING.value,
        _queue.c.seq <= WaitingListEntry.seq,
    )
    .correlate(WaitingListEntry)
    .scalar_subquery()
)


def _entries() -> Select[Any]:
    """Entries with their position and their offer's hold, if any."""
    return select(
        WaitingListEntry, _POSITION.label("position"), Booking.expires_at, Booking.tickets
    ).outerjoin(Booking, Booking.id == WaitingListEntry.booking_id)


def _public(row: Any) -> WaitingListEntryPublic:
    entry, position, expires_at, tickets = row
    waiting = entry.state == WaitingListState.WAITING
    offer = None
    if entry.booking_id is not None and expires_at is not None:
        offer = OfferPublic(booking_id=entry.booking_id, expires_at=expires_at, quantity=tickets)
    return WaitingListEntryPublic(
        id=entry.id,
        event_id=entry.event_id,
        ticket_type_id=entry.ticket_type_id,
        user_id=entry.user_id,
        quantity=entry.quantity,
        accept_partial=entry.accept_partial,
        state=WaitingListState(entry.state),
        position=position if waiting else None,
        created_at=entry.created_at,
        offer=offer,
    )


async def _read(session: AsyncSession, entry_id: uuid.UUID) -> WaitingListEntryPublic:
    async with session.begin():
        row = (
            await session.execute(
                _entries().where(WaitingListEntry.id == entry_id).execution_options(populate_existing=True)
            )
        ).one()
    return _public(row)


async def _lock_event(session: AsyncSession, event_id: str) -> EventInventory:
    event = await session.scalar(
        select(EventInventory)
        .where(EventInventory.event_id == event_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert event is not None  # events are never deleted here
    return event


def _check_type(kind: TicketType | None, entry_in: WaitingListEntryCreate) -> TicketType:
    """Refuses a type the public cannot see, or a quantity it does not allow in one booking."""
    if kind is None or not kind.listed or kind.hidden:
        raise InvalidItemError(
            f"ticket_type_id: no ticket type {entry_in.ticket_type_id!r} in this event",
            field="ticket_type_id",
        )
    if not kind.min_per_booking <= entry_in.quantity <= kind.max_per_booking:
        raise InvalidItemError(
            f"quantity: {kind.name!r} is sold {kind.min_per_booking} to {kind.max_per_booking} per booking",
            field="quantity",
        )
    return kind


async def _check_sold_out(session: AsyncSession, event: EventInventory, kind: TicketType) -> None:
    """Refuses a type not on sale, or one the public can still book."""
    now = await session.scalar(select(func.now()))
    assert now is not None
    if not event.on_sale:
        raise NotOnSaleError("The event is cancelled; tickets are no longer sold")
    if event.starts_at <= now:
        raise NotOnSaleError("The event has already started")
    # The type's sales window and seats, as availability tells them to everyone.
    seats = await availability.counted(session, event_id=event.event_id)
    [counted] = [t for t in seats.ticket_types if t.ticket_type_id == kind.ticket_type_id]
    if counted.status == "not_yet":
        raise TicketTypeNotOnSaleError(
            f"{kind.name!r} is not on sale yet, so it has no waiting list",
            ticket_type_id=kind.ticket_type_id,
            reason="not_yet",
        )
    if counted.status == "ended":
        raise TicketTypeNotOnSaleError(
            f"{kind.name!r} is no longer on sale, so it has no waiting list",
            ticket_type_id=kind.ticket_type_id,
            reason="ended",
        )
    if counted.status == "on_sale":
        raise TicketTypeOnSaleError(
            f"{kind.name!r} is on sale ({counted.available} left); book it instead",
            ticket_type_id=kind.ticket_type_id,
        )


async def join(
    session: AsyncSession,
    events: EventClient,
    *,
    user_id: str,
    event_id: str,
    entry_in: WaitingListEntryCreate,
) -> WaitingListEntryPublic:
    """Puts the user in the queue of a sold-out ticket type; raises why not."""
    await service.ensure_inventory(session, events, event_id=event_id)
    async with session.begin():
        event = await _lock_event(session, event_id)
        kind = _check_type(
            await session.get(TicketType, (event_id, entry_in.ticket_type_id), populate_existing=True),
            entry_in,
        )
        await _check_sold_out(session, event, kind)
        active = await session.scalar(
            select(func.count()).where(
                WaitingListEntry.user_id == user_id, WaitingListEntry.state.in_(ACTIVE_STATES)
            )
        )
        mine = await session.scalar(
            select(func.count()).where(
                WaitingListEntry.user_id == user_id,
                WaitingListEntry.event_id == event_id,
                WaitingListEntry.ticket_type_id == kind.ticket_type_id,
                WaitingListEntry.state.in_(ACTIVE_STATES),
            )
        )
        if mine:
            raise AlreadyWaitingError(f"You are already on the waiting list of {kind.name!r}")
        if (active or 0) >= MAX_ACTIVE_ENTRIES:
            raise TooManyEntriesError(
                f"At most {MAX_ACTIVE_ENTRIES} waiting list entries at once; withdraw one first"
            )
        entry = WaitingListEntry(
            id=uuid.uuid4(),
            event_id=event_id,
            ticket_type_id=kind.ticket_type_id,
            user_id=user_id,
            quantity=entry_in.quantity,
            accept_partial=entry_in.accept_partial,
            state=WaitingListState.WAITING.value,
        )
        session.add(entry)
        await session.execute(
            update(TicketType)
            .where(TicketType.event_id == event_id, TicketType.ticket_type_id == kind.ticket_type_id)
            .values(waiting=TicketType.waiting + entry_in.quantity)
        )
    return await _read(session, entry.id)


async def get_all(
    session: AsyncSession,
    *,
    user_id: str | None,
    event_id: str | None,
    state: WaitingListState | None,
    limit: int,
    offset: int,
) -> tuple[list[WaitingListEntryPublic], int]:
    """Returns a page of entries and the total: a user's newest first, or an event's in queue order."""
    conditions = [
        condition
        for condition in (
            WaitingListEntry.user_id == user_id if user_id is not None else None,
            WaitingListEntry.event_id == event_id if event_id is not None else None,
            WaitingListEntry.state == state.value if state is not None else None,
        )
        if condition is not None
    ]
    order = WaitingListEntry.seq if event_id is not None else WaitingListEntry.seq.desc()
    async with session.begin():
        total = await session.scalar(select(func.count()).select_from(WaitingListEntry).where(*conditions))
        rows = await session.execute(
            _entries().where(*conditions).order_by(order).limit(limit).offset(offset)
        )
        return [_public(row) for row in rows], total or 0


async def check_organizer(
    session: AsyncSession, events: EventClient, *, event_id: str, principal: Principal
) -> None:
    """Refuses anyone but the event's owner or an admin (NotFound for an unknown event)."""
    event = await service.ensure_inventory(session, events, event_id=event_id)
    if not (principal.is_admin or event.owner_id == principal.id):
        raise NotOrganizerError("Only the event's organizer or an admin sees its waiting list")


async def withdraw(
    session: AsyncSession, *, entry_id: uuid.UUID, principal: Principal
) -> WaitingListEntryPublic:
    """Takes the caller's entry off the queue (`withdrawn`), giving up its open offer, if any."""
    async with session.begin():
        entry = await session.get(WaitingListEntry, entry_id)
    if entry is None or not (principal.is_admin or entry.user_id == principal.id):
        raise EntryNotFoundError("Waiting list entry not found")
    if entry.state not in ACTIVE_STATES:
        raise EntryNotActiveError(_not_active(entry.state))
    if entry.state == WaitingListState.WAITING:
        async with session.begin():
            await _lock_event(session, entry.event_id)
            left = await session.scalar(
                update(WaitingListEntry)
                .where(
                    WaitingListEntry.id == entry_id, WaitingListEntry.state == WaitingListState.WAITING.value
                )
                .values(state=WaitingListState.WITHDRAWN.value, updated_at=func.now())
                .returning(WaitingListEntry.quantity)
            )
            if left is not None:
                await session.execute(
                    update(TicketType)
                    .where(
                        TicketType.event_id == entry.event_id,
                        TicketType.ticket_type_id == entry.ticket_type_id,
                    )
                    .values(waiting=TicketType.waiting - left)
                )
        if left is not None:
            return await _read(session, entry_id)
        async with session.begin():  # offered meanwhile
            entry = await session.get(WaitingListEntry, entry_id, populate_existing=True)
            assert entry is not None
    if entry.state == WaitingListState.OFFERED and entry.booking_id is not None:
        async with session.begin():
            offer = await session.get(Booking, entry.booking_id)
        assert offer is not None  # bookings are never deleted
        released = await service.release_hold(
            session, booking=offer, reason=WITHDRAWN_REASON, entry_state=WaitingListState.WITHDRAWN
        )
        if released.status == BookingStatus.PENDING:
            raise EntryNotActiveError("The offer is being paid; it can no longer be withdrawn")
    current = await _read(session, entry_id)
    if current.state != WaitingListState.WITHDRAWN:  # booked, or expired, meanwhile
        raise EntryNotActiveError(_not_active(current.state))
    return current


def _not_active(state: str) -> str:
    return f"The entry is {state}; only one waiting, or with its offer unpaid, can be withdrawn"


async def close(session: AsyncSession, *, event_id: str) -> None:
    """Ends the entries still waiting of an event that stopped selling (`expired`), in the session's
    transaction, which has locked the event's row."""
    await session.execute(
        update(WaitingListEntry)
        .where(
            WaitingListEntry.event_id == event_id, WaitingListEntry.state == WaitingListState.WAITING.value
        )
        .values(state=WaitingListState.EXPIRED.value, updated_at=func.now())
    )
    await session.execute(update(TicketType).where(TicketType.event_id == event_id).values(waiting=0))
