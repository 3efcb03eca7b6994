"""Who may do what at an event: its owner and admins manage it; door staff they grant scan at it."""

from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from checkin_service.errors import (
    DoorStaffNotFoundError,
    EventNotFoundError,
    ForbiddenError,
    LimitReachedError,
)
from checkin_service.models import DoorStaff, Event
from shared.auth import Principal

# Door staff one event may have.
MAX_DOOR_STAFF = 200


async def _event(session: AsyncSession, event_id: str) -> Event:
    event = await session.get(Event, event_id)
    if event is None:
        raise EventNotFoundError
    return event


def manages(event: Event, principal: Principal) -> bool:
    return principal.is_admin or event.owner_id == principal.id


async def event_for_manager(session: AsyncSession, *, event_id: str, principal: Principal) -> Event:
    """Returns the event to its owner or an admin; 403 to anyone else."""
    event = await _event(session, event_id)
    if not manages(event, principal):
        raise ForbiddenError("Only the event's organizer or an admin may do this")
    return event


async def is_door_staff(session: AsyncSession, *, event_id: str, user_id: str) -> bool:
    return await session.get(DoorStaff, (event_id, user_id)) is not None


async def event_for_staff(session: AsyncSession, *, event_id: str, principal: Principal) -> Event:
    """Returns the event to its owner, an admin, or its door staff; 403 to anyone else."""
    event = await _event(session, event_id)
    if manages(event, principal):
        return event
    if not await is_door_staff(session, event_id=event_id, user_id=principal.id):
        raise ForbiddenError("Only the event's organizer, an admin or its door staff may do this")
    return event


async def grant(session: AsyncSession, *, event_id: str, principal: Principal, user_id: str) -> DoorStaff:
    """Makes `user_id` door staff of the event (again: no change); returns the grant."""
    async with session.begin():
        await event_for_manager(session, event_id=event_id, principal=principal)
        count = await session.scalar(select(func.count()).where(DoorStaff.event_id == event_id))
        existing = await session.get(DoorStaff, (event_id, user_id))
        if existing is not None:
            return existing
        if (count or 0) >= MAX_DOOR_STAFF:
            raise LimitReachedError(f"An event has at most {MAX_DOOR_STAFF} door staff")
        await session.execute(
            insert(DoorStaff)
            .values(event_id=event_id, user_id=user_id, granted_by=principal.id)
            .on_conflict_do_nothing()
        )
        granted = await session.get(DoorStaff, (event_id, user_id))
        assert granted is not None
        return granted


async def get_all(
    session: AsyncSession, *, event_id: str, principal: Principal, limit: int, offset: int
) -> tuple[Sequence[DoorStaff], int]:
    """Returns a page of the event's door staff, first granted first, and how many there are."""
    await event_for_manager(session, event_id=event_id, principal=principal)
    total = await session.scalar(select(func.count()).where(DoorStaff.event_id == event_id))
    staff = await session.scalars(
        select(DoorStaff)
        .where(DoorStaff.event_id == event_id)
        .order_by(DoorStaff.granted_at, DoorStaff.user_id)
        .limit(limit)
        .offset(offset)
    )
    return staff.all(), total or 0


async def withdraw(session: AsyncSession, *, event_id: str, principal: Principal, user_id: str) -> None:
    """Ends a user's door staff role at the event."""
    async with session.begin():
        await event_for_manager(session, event_id=event_id, principal=principal)
        removed = await session.execute(
            delete(DoorStaff).where(DoorStaff.event_id == event_id, DoorStaff.user_id == user_id)
        )
        if not removed.rowcount:  # type: ignore[attr-defined]
            raise DoorStaffNotFoundError
