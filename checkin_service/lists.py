"""Check-in lists of an event, and their reports: counts per ticket type, double entries, attendees."""

import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Select, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from checkin_service import access, tickets
from checkin_service.errors import CheckinListNotFoundError, InvalidFieldError, LimitReachedError
from checkin_service.models import Admission, CheckinList, Event, Scan, Ticket
from shared.auth import Principal

# Lists one event may have.
MAX_LISTS_PER_EVENT = 50
# Double entries a report shows (all are counted).
MAX_REPORTED_DOUBLE_ENTRIES = 100


@dataclass(frozen=True)
class TypeCount:
    ticket_type_id: str
    name: str
    checked_in: int
    inside_now: int
    total_valid: int


@dataclass(frozen=True)
class Report:
    counts: list[TypeCount]
    double_entries: Sequence[Scan]
    double_entry_count: int


async def create(
    session: AsyncSession,
    *,
    event_id: str,
    principal: Principal,
    name: str,
    ticket_type_ids: list[str],
    allow_multiple_entries: bool,
    allow_reentry: bool,
) -> CheckinList:
    """Adds a list to the event; its ticket types must be the event's (none: every type)."""
    async with session.begin():
        event = await access.event_for_manager(session, event_id=event_id, principal=principal)
        known = set(event.ticket_types) | {event.event_id}  # the default type has the event's id
        if event.ticket_types and (unknown := sorted(set(ticket_type_ids) - known)):
            raise InvalidFieldError(
                f"Not a ticket type of this event: {', '.join(unknown[:5])}", field="ticket_type_ids"
            )
        count = await session.scalar(select(func.count()).where(CheckinList.event_id == event_id))
        if (count or 0) >= MAX_LISTS_PER_EVENT:
            raise LimitReachedError(f"An event has at most {MAX_LISTS_PER_EVENT} check-in lists")
        checkin_list = CheckinList(
            id=uuid.uuid4(),
            event_id=event_id,
            name=name,
            ticket_type_ids=list(dict.fromkeys(ticket_type_ids)),
            allow_multiple_entries=allow_multiple_entries,
            allow_reentry=allow_reentry,
        )
        session.add(checkin_list)
    return checkin_list


async def get_all(
    session: AsyncSession, *, event_id: str, principal: Principal, limit: int, offset: int
) -> tuple[Sequence[CheckinList], int]:
    """Returns a page of the event's lists, oldest first, and how many it has."""
    await access.event_for_staff(session, event_id=event_id, principal=principal)
    total = await session.scalar(select(func.count()).where(CheckinList.event_id == event_id))
    found = await session.scalars(
        select(CheckinList)
        .where(CheckinList.event_id == event_id)
        .order_by(CheckinList.created_at, CheckinList.id)
        .limit(limit)
        .offset(offset)
    )
    return found.all(), total or 0


async def get(
    session: AsyncSession, *, checkin_list_id: uuid.UUID, principal: Principal
) -> tuple[CheckinList, Event]:
    """Returns a list and its event, to the event's organizer, an admin or its door staff."""
    checkin_list = await session.get(CheckinList, checkin_list_id)
    if checkin_list is None:
        raise CheckinListNotFoundError
    event = await access.event_for_staff(session, event_id=checkin_list.event_id, principal=principal)
    return checkin_list, event


def _counted(checkin_list: CheckinList) -> Select[tuple[Ticket]]:
    """The list's tickets: of its event, and of its types (every type when it names none)."""
    query = select(Ticket).where(Ticket.event_id == checkin_list.event_id)
    if checkin_list.ticket_type_ids:
        query = query.where(Ticket.ticket_type_id.in_(checkin_list.ticket_type_ids))
    return query


async def report(session: AsyncSession, *, checkin_list: CheckinList, event: Event) -> Report:
    """Counts per ticket type, read in one snapshot so that they agree with one another."""
    valid = (
        _counted(checkin_list)
        .where(Ticket.status == tickets.VALID)
        .with_only_columns(Ticket.ticket_type_id, func.count())
        .group_by(Ticket.ticket_type_id)
    )
    admitted = (
        select(Admission.ticket_type_id, func.count(), func.count().filter(Admission.inside))
        .where(Admission.checkin_list_id == checkin_list.id)
        .group_by(Admission.ticket_type_id)
    )
    totals: dict[str, int] = dict((await session.execute(valid)).all())  # type: ignore[arg-type]
    entered = {
        type_id: (checked_in, inside) for type_id, checked_in, inside in await session.execute(admitted)
    }
    type_ids = list(checkin_list.ticket_type_ids) or sorted({*event.ticket_types, *totals, *entered})
    counts = [
        TypeCount(
            ticket_type_id=type_id,
            name=event.ticket_types.get(type_id, ""),
            checked_in=entered.get(type_id, (0, 0))[0],
            inside_now=entered.get(type_id, (0, 0))[1],
            total_valid=totals.get(type_id, 0),
        )
        for type_id in type_ids
    ]
    flagged = (Scan.checkin_list_id == checkin_list.id) & Scan.double_entry
    double_entries = await session.scalars(
        select(Scan).where(flagged).order_by(Scan.scanned_at).limit(MAX_REPORTED_DOUBLE_ENTRIES)
    )
    count = await session.scalar(select(func.count()).where(flagged))
    return Report(counts=counts, double_entries=double_entries.all(), double_entry_count=count or 0)


@dataclass(frozen=True)
class Attendee:
    ticket: Ticket
    admission: Admission | None


def _attendees(checkin_list: CheckinList) -> Select[tuple[Ticket, Admission]]:
    joined = and_(Admission.checkin_list_id == checkin_list.id, Admission.ticket_id == Ticket.id)
    return (
        _counted(checkin_list)
        .add_columns(Admission)
        .outerjoin(Admission, joined)
        .order_by(Ticket.issued_at, Ticket.booking_id, Ticket.position)
    )


async def attendees(
    session: AsyncSession, *, checkin_list: CheckinList, limit: int, offset: int
) -> tuple[list[Attendee], int]:
    """Returns a page of the list's tickets, with where each stands at the list, and how many there are."""
    total = await session.scalar(_counted(checkin_list).with_only_columns(func.count()))
    rows = await session.execute(_attendees(checkin_list).limit(limit).offset(offset))
    return [Attendee(ticket, admission) for ticket, admission in rows], total or 0


async def stream_attendees(
    session: AsyncSession, *, checkin_list: CheckinList, limit: int
) -> AsyncIterator[Attendee]:
    """Yields up to `limit` of the list's tickets, read with a server-side cursor."""
    rows = await session.stream(_attendees(checkin_list).limit(limit).execution_options(yield_per=500))
    async for ticket, admission in rows:
        yield Attendee(ticket, admission)
