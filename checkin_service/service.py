"""What this service does with the facts it hears: names of users, events' changes, bookings
confirmed (tickets issued) and cancelled (tickets revoked). Each is idempotent on redelivery."""

import logging
import uuid

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from checkin_service import tickets
from checkin_service.events import EventClient, ensure_event, keep_snapshot
from checkin_service.models import CancelledBooking, Event, OutboxMessage, Ticket, UserName
from checkin_service.tickets import TicketSigner
from shared.messages import BookingCancelled, BookingConfirmed, EventSnapshot, UserRegistered
from shared.outbox import stage_message

logger = logging.getLogger(__name__)
# Tickets one booking may bring; far above what the booking service sells in one.
MAX_TICKETS_PER_BOOKING = 1000
MAX_NAME_CHARS = 200


async def keep_user_name(session: AsyncSession, *, user: UserRegistered) -> None:
    """Remembers a user's full name, the default attendee name of their tickets."""
    async with session.begin():
        name = user.full_name[:MAX_NAME_CHARS]
        await session.execute(
            insert(UserName)
            .values(user_id=user.user_id, full_name=name)
            .on_conflict_do_update(index_elements=[UserName.user_id], set_={"full_name": name})
        )


async def apply_event_change(session: AsyncSession, *, signer: TicketSigner, snapshot: EventSnapshot) -> None:
    """Keeps a newer snapshot: a cancelled or deleted event revokes every ticket; new times re-sign them."""
    async with session.begin():
        before, after = await keep_snapshot(session, snapshot=snapshot)
        if after is None:
            return
        if after.status != "scheduled":
            await tickets.revoke(session, event=after, reason="event_cancelled")
        elif before is not None and before != (after.starts_at, after.ends_at):
            await _resign(session, signer=signer, event=after)


async def _resign(session: AsyncSession, *, signer: TicketSigner, event: Event) -> None:
    """Signs the event's valid tickets anew, for its new times (their ids stay)."""
    valid = await session.execute(
        select(Ticket.id, Ticket.ticket_type_id).where(
            Ticket.event_id == event.event_id, Ticket.status == tickets.VALID
        )
    )
    secrets = [
        {"id": ticket_id, "secret": signer.secret(ticket_id=ticket_id, ticket_type_id=type_id, event=event)}
        for ticket_id, type_id in valid
    ]
    if secrets:
        await session.execute(update(Ticket), secrets)


async def _lock_booking(session: AsyncSession, booking_id: str) -> None:
    """Takes turns with any other handling of the booking: messages are handled concurrently, and a
    cancellation must not miss the tickets its confirmation is issuing."""
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(booking_id, 0))))


def _attendee_names(booking: BookingConfirmed, seats: int, booker: str) -> list[str]:
    """Each seat's attendee: the names the booker gave, in order; the booker's own for the rest."""
    given = [name.strip()[:MAX_NAME_CHARS] for name in booking.attendee_names[:seats]]
    return [name or booker for name in given] + [booker] * (seats - len(given))


def _seats(booking: BookingConfirmed) -> list[str]:
    """The ticket type of each seat of the booking, in order: its items', or the default type's."""
    if booking.items:
        return [item.ticket_type_id for item in booking.items for _ in range(item.quantity)]
    return [booking.event_id] * booking.tickets


async def issue_tickets(
    session: AsyncSession, *, signer: TicketSigner, events: EventClient, booking: BookingConfirmed
) -> None:
    """Issues one ticket per seat, named from `attendee_names` in order, the rest in the booker's name.

    The booker's name is their full name from `user.registered`, or empty (the owner may set it)
    when that never came. A redelivery issues nothing more: seats are unique by booking and position.
    """
    await ensure_event(session, events=events, event_id=booking.event_id)
    await session.commit()
    seats = _seats(booking)[:MAX_TICKETS_PER_BOOKING]
    async with session.begin():
        await _lock_booking(session, booking.booking_id)
        if await session.get(CancelledBooking, booking.booking_id) is not None:
            return
        # Shared with other bookings, exclusive with a cancellation of the event: that one then sees
        # (and revokes) these tickets, or this sees it cancelled.
        event = await session.scalar(
            select(Event)
            .where(Event.event_id == booking.event_id)
            .with_for_update(read=True)
            .execution_options(populate_existing=True)
        )
        if event is None or event.status != "scheduled":
            logger.warning("No tickets for booking %s: its event is unknown or cancelled", booking.booking_id)
            return
        booker = await session.get(UserName, booking.user_id)
        names = _attendee_names(booking, len(seats), booker.full_name if booker is not None else "")
        rows = []
        for position, (ticket_type_id, name) in enumerate(zip(seats, names, strict=True)):
            ticket_id = uuid.uuid4()
            secret = signer.secret(ticket_id=ticket_id, ticket_type_id=ticket_type_id, event=event)
            rows.append(
                {
                    "id": ticket_id,
                    "booking_id": booking.booking_id,
                    "position": position,
                    "user_id": booking.user_id,
                    "event_id": booking.event_id,
                    "ticket_type_id": ticket_type_id,
                    "attendee_name": name,
                    "secret": secret,
                    "status": tickets.VALID,
                }
            )
        if not rows:
            return
        inserted = await session.scalars(
            insert(Ticket)
            .values(rows)
            .on_conflict_do_nothing(index_elements=[Ticket.booking_id, Ticket.position])
            .returning(Ticket)
        )
        for ticket in inserted.all():
            stage_message(session, OutboxMessage, tickets.issued(ticket, event))


async def revoke_booking(session: AsyncSession, *, booking: BookingCancelled) -> None:
    """Revokes a cancelled booking's tickets, and remembers it so a late `booking.confirmed` issues none."""
    async with session.begin():
        await _lock_booking(session, booking.booking_id)
        await session.execute(
            insert(CancelledBooking).values(booking_id=booking.booking_id).on_conflict_do_nothing()
        )
        event = await session.scalar(
            select(Event).where(Event.event_id == booking.event_id).with_for_update()
        )
        if event is not None:
            await tickets.revoke(
                session, event=event, reason="booking_cancelled", booking_id=booking.booking_id
            )
