"""Tables: what this service keeps of events and users, tickets, door staff, check-in lists and scans."""

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    DateTime,
    Index,
    Integer,
    Sequence,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.outbox import OutboxLeaseMixin, OutboxMixin

# Numbers the revocations in the order they were made, the cursor of `GET /events/{id}/revocations`.
REVOCATION_SEQ = Sequence("revocation_seq")


def _now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Event(Base):
    """An event as its latest `event.*` snapshot tells it (or the event service, if a booking came first)."""

    __tablename__ = "events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    # scheduled, cancelled or deleted: the last two admit nobody.
    status: Mapped[str] = mapped_column(String(16))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The event's own version: older snapshots arriving late are ignored.
    version: Mapped[int] = mapped_column(Integer)
    # Ticket type id -> name, for the lists' reports.
    ticket_types: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)


class UserName(Base):
    """A user's full name from `user.registered`: the default attendee name of their tickets."""

    __tablename__ = "user_names"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))


class CancelledBooking(Base):
    """A booking whose `booking.cancelled` came: a `booking.confirmed` arriving after it issues nothing."""

    __tablename__ = "cancelled_bookings"

    booking_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    cancelled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class Ticket(Base):
    """One seat of a confirmed booking, in its attendee's name; `position` orders a booking's tickets."""

    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("booking_id", "position", name="uq_tickets_booking_position"),
        Index("ix_tickets_event_revocation", "event_id", "revocation_seq"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    booking_id: Mapped[str] = mapped_column(String(64), index=True)
    position: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[str] = mapped_column(String(64))
    event_id: Mapped[str] = mapped_column(String(64))
    ticket_type_id: Mapped[str] = mapped_column(String(64))
    attendee_name: Mapped[str] = mapped_column(String(200))
    secret: Mapped[str] = mapped_column(String(400))
    # valid or revoked
    status: Mapped[str] = mapped_column(String(16), default="valid")
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_reason: Mapped[str | None] = mapped_column(String(32))
    revocation_seq: Mapped[int | None] = mapped_column(BigInteger)


class DoorStaff(Base):
    """A user the event's organizer lets scan tickets at that event's check-in lists."""

    __tablename__ = "door_staff"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    granted_by: Mapped[str] = mapped_column(String(64))
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class CheckinList(Base):
    """Where tickets are scanned: which types count (all when empty) and whether one may enter again."""

    __tablename__ = "checkin_lists"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    event_id: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(100))
    ticket_type_ids: Mapped[list[str]] = mapped_column(ARRAY(String(64)))
    allow_multiple_entries: Mapped[bool] = mapped_column()
    allow_reentry: Mapped[bool] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class Admission(Base):
    """Where one ticket stands at one list: when it first entered, whether it is inside now.

    Written only under the ticket's row lock, so its counts match the scans exactly.
    """

    __tablename__ = "admissions"

    checkin_list_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    ticket_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    ticket_type_id: Mapped[str] = mapped_column(String(64))
    first_entry_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    entries: Mapped[int] = mapped_column(Integer, default=1)
    inside: Mapped[bool] = mapped_column(default=True)
    # An offline scanner let it in while it was already in: flagged, never counted twice.
    double_entry: Mapped[bool] = mapped_column(default=False)


class Scan(Base):
    """One scan at a list, whatever its verdict; a nonce is recorded once per list."""

    __tablename__ = "scans"
    __table_args__ = (UniqueConstraint("checkin_list_id", "nonce", name="uq_scans_list_nonce"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    checkin_list_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    nonce: Mapped[str] = mapped_column(String(64))
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    direction: Mapped[str] = mapped_column(String(8))
    result: Mapped[str] = mapped_column(String(32))
    scanned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    offline: Mapped[bool] = mapped_column(default=False)
    double_entry: Mapped[bool] = mapped_column(default=False)
    # For `already_checked_in`: when the ticket first entered.
    first_entry_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OutboxMessage(OutboxMixin, Base):
    source = "checkin_service"


class OutboxLease(OutboxLeaseMixin, Base):
    pass
