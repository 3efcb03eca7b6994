"""Tickets: their secrets, reading them, renaming their attendee, and revoking them."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from checkin_service import access, signing
from checkin_service.errors import BookingNotFoundError, TicketLockedError, TicketNotFoundError
from checkin_service.events import validity
from checkin_service.models import REVOCATION_SEQ, Event, OutboxMessage, Ticket
from checkin_service.signing import KEY_PREFIX_BYTES, TicketClaims
from shared.auth import Principal
from shared.keys import Ed25519Key
from shared.messages import RevocationReason, TicketIssued, TicketRevoked
from shared.outbox import stage_message

VALID = "valid"
REVOKED = "revoked"


@dataclass(frozen=True)
class TicketSigner:
    """Signs tickets with this service's key, valid for their event's times and the margins around them."""

    key: Ed25519Key
    valid_before: timedelta
    valid_after: timedelta

    def secret(self, *, ticket_id: uuid.UUID, ticket_type_id: str, event: Event) -> str:
        valid_from, valid_until = validity(event, before=self.valid_before, after=self.valid_after)
        claims = TicketClaims(
            ticket_id=ticket_id,
            event_id=event.event_id,
            ticket_type_id=ticket_type_id,
            valid_from=valid_from,
            valid_until=valid_until,
        )
        return signing.sign(self.key, claims)

    @cached_property
    def verifying_keys(self) -> dict[bytes, Ed25519PublicKey]:
        """The public keys secrets are checked with, by the thumbprint prefix a secret names."""
        return {self.key.thumbprint[:KEY_PREFIX_BYTES]: self.key.public_key}


def issued(ticket: Ticket, event: Event, *, reissued: bool = False) -> TicketIssued:
    return TicketIssued(**_facts(ticket, event), reissued=reissued)


def _facts(ticket: Ticket, event: Event) -> dict[str, str]:
    return {
        "ticket_id": str(ticket.id),
        "booking_id": ticket.booking_id,
        "user_id": ticket.user_id,
        "event_id": ticket.event_id,
        "event_owner_id": event.owner_id,
        "ticket_type_id": ticket.ticket_type_id,
        "attendee_name": ticket.attendee_name,
    }


async def revoke(
    session: AsyncSession, *, event: Event, reason: RevocationReason, booking_id: str | None = None
) -> Sequence[Ticket]:
    """Revokes the event's valid tickets (of `booking_id` only, when given), staging `ticket.revoked`.

    The caller holds the event's row lock: revocations of one event are numbered in commit order, so a
    scanner reading them by `since` never skips one committed late.
    """
    condition = (Ticket.event_id == event.event_id) & (Ticket.status == VALID)
    if booking_id is not None:
        condition &= Ticket.booking_id == booking_id
    revoked = (
        await session.scalars(
            update(Ticket)
            .where(condition)
            .values(
                status=REVOKED,
                revoked_at=func.now(),
                revoked_reason=reason,
                revocation_seq=REVOCATION_SEQ.next_value(),
            )
            .returning(Ticket)
            .execution_options(synchronize_session=False)
        )
    ).all()
    for ticket in revoked:
        stage_message(session, OutboxMessage, TicketRevoked(**_facts(ticket, event), reason=reason))
    return revoked


async def get_for_booking(
    session: AsyncSession, *, booking_id: str, principal: Principal
) -> Sequence[Ticket]:
    """Returns a booking's tickets in seat order, to its owner or an admin."""
    tickets = (
        await session.scalars(select(Ticket).where(Ticket.booking_id == booking_id).order_by(Ticket.position))
    ).all()
    if not tickets or not (principal.is_admin or tickets[0].user_id == principal.id):
        raise BookingNotFoundError
    return tickets


async def get(session: AsyncSession, *, ticket_id: uuid.UUID, principal: Principal) -> Ticket:
    """Returns a ticket to its owner or an admin."""
    ticket = await session.get(Ticket, ticket_id)
    if ticket is None or not (principal.is_admin or ticket.user_id == principal.id):
        raise TicketNotFoundError
    return ticket


async def rename(
    session: AsyncSession, *, ticket_id: uuid.UUID, principal: Principal, attendee_name: str
) -> Ticket:
    """Puts the ticket in another attendee's name, until its event starts; stages `ticket.issued`."""
    async with session.begin():
        ticket = await session.scalar(select(Ticket).where(Ticket.id == ticket_id).with_for_update())
        if ticket is None or not (principal.is_admin or ticket.user_id == principal.id):
            raise TicketNotFoundError
        event = await session.get(Event, ticket.event_id)
        assert event is not None  # a ticket is only issued for a kept event
        if ticket.status != VALID:
            raise TicketLockedError("The ticket was revoked; its name cannot change")
        if datetime.now(UTC) >= event.starts_at:
            raise TicketLockedError("The event has started; the attendee's name cannot change any more")
        if ticket.attendee_name != attendee_name:
            ticket.attendee_name = attendee_name
            stage_message(session, OutboxMessage, issued(ticket, event, reissued=True))
    return ticket


def _revocations_of(event_id: str, since: int) -> Select[tuple[Ticket]]:
    return (
        select(Ticket)
        .where(Ticket.event_id == event_id, Ticket.revocation_seq > since)
        .order_by(Ticket.revocation_seq)
    )


async def get_revocations(
    session: AsyncSession, *, event_id: str, principal: Principal, since: int, limit: int
) -> Sequence[Ticket]:
    """Returns the event's tickets revoked after the cursor `since`, oldest first, to its staff."""
    await access.event_for_staff(session, event_id=event_id, principal=principal)
    return (await session.scalars(_revocations_of(event_id, since).limit(limit))).all()
