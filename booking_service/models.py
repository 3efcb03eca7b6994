import uuid
from datetime import UTC, datetime

from sqlalchemy import (
    ARRAY,
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, column_property, mapped_column, relationship

from shared.outbox import OutboxLeaseMixin, OutboxMixin


def _now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class EventInventory(Base):
    """Seats of one event, kept from `event.*` messages; `sold + held` never exceeds `capacity` on sale."""

    __tablename__ = "event_inventory"
    __table_args__ = (CheckConstraint("sold >= 0 AND held >= 0", name="ck_inventory_non_negative"),)

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    owner_id: Mapped[str] = mapped_column(String(64))
    capacity: Mapped[int] = mapped_column(Integer)
    sold: Mapped[int] = mapped_column(Integer, default=0)
    held: Mapped[int] = mapped_column(Integer, default=0)
    price: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    max_tickets_per_booking: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    on_sale: Mapped[bool] = mapped_column(default=True)
    # The event's own version: older snapshots arriving late are ignored.
    version: Mapped[int] = mapped_column(Integer)
    timezone: Mapped[str] = mapped_column(String(64), server_default="UTC")
    # How long a hold (`hold: true`) keeps its seats unpaid.
    hold_minutes: Mapped[int] = mapped_column(Integer, server_default="15")
    # How long an offer to a waiting list entry holds its seats unpaid.
    offer_hours: Mapped[int] = mapped_column(Integer, server_default="24")
    # Seats neither sold nor held, computed by PostgreSQL: the one definition, which the hold
    # statement tests and the API shows.
    available: Mapped[int] = column_property(func.greatest(0, capacity - sold - held))


class TicketType(Base):
    """A kind of ticket of an event, from its latest snapshot; `sold` and `held` count its seats.

    A type the latest snapshot no longer lists (`listed` false) sells no more, but keeps its counts
    for the bookings that have it.
    """

    __tablename__ = "ticket_types"
    __table_args__ = (CheckConstraint("sold >= 0 AND held >= 0", name="ck_ticket_types_non_negative"),)

    event_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("event_inventory.event_id", ondelete="CASCADE"), primary_key=True
    )
    ticket_type_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    price: Mapped[int] = mapped_column(Integer)
    sales_start: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sales_end: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    min_per_booking: Mapped[int] = mapped_column(Integer)
    max_per_booking: Mapped[int] = mapped_column(Integer)
    hidden: Mapped[bool] = mapped_column(server_default="false")
    position: Mapped[int] = mapped_column(Integer, server_default="0")
    sold: Mapped[int] = mapped_column(Integer, server_default="0")
    held: Mapped[int] = mapped_column(Integer, server_default="0")
    # Seats asked for by its waiting list entries still waiting (changed under the event's lock).
    waiting: Mapped[int] = mapped_column(Integer, server_default="0")
    listed: Mapped[bool] = mapped_column(server_default="true")


class Quota(Base):
    """Seats some ticket types of an event share: together they sell at most `size`.

    Its sold and held seats are its member types' counts added up when read (under the event's
    lock), so they stay right when the organizer moves a type into or out of it. A quota the latest
    snapshot no longer lists (`listed` false) limits nothing any more.
    """

    __tablename__ = "quotas"

    event_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("event_inventory.event_id", ondelete="CASCADE"), primary_key=True
    )
    quota_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    listed: Mapped[bool] = mapped_column(server_default="true")


class QuotaMember(Base):
    """A ticket type in a quota, as the latest snapshot lists it."""

    __tablename__ = "quota_members"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    quota_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ticket_type_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class Voucher(Base):
    """A promo code of an event, as its latest snapshot defines it, and how often it was used.

    `code_key` is the code lower-cased: codes are matched case-insensitively.
    """

    __tablename__ = "vouchers"
    __table_args__ = (CheckConstraint("used >= 0", name="ck_vouchers_used_non_negative"),)

    event_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("event_inventory.event_id", ondelete="CASCADE"), primary_key=True
    )
    code_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    code: Mapped[str] = mapped_column(String(64))
    max_usages: Mapped[int] = mapped_column(Integer)
    valid_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ticket_type_ids: Mapped[list[str]] = mapped_column(ARRAY(String(64)))
    price_mode: Mapped[str] = mapped_column(String(16))
    value: Mapped[int] = mapped_column(Integer)
    unlocks_hidden: Mapped[bool] = mapped_column()
    disabled: Mapped[bool] = mapped_column()
    used: Mapped[int] = mapped_column(Integer, server_default="0")
    listed: Mapped[bool] = mapped_column(server_default="true")


class Booking(Base):
    __tablename__ = "bookings"
    __table_args__ = (
        UniqueConstraint("user_id", "idempotency_key", name="uq_bookings_idempotency"),
        # Status is indexed only where a sweep looks: no index offers a walk of every booking of a
        # status to a statement naming one booking by id (migration 0006).
        Index(
            "ix_bookings_unsettled",
            "status",
            "updated_at",
            postgresql_where=text("status IN ('pending', 'released')"),
        ),
        Index("ix_bookings_hold_expiry", "expires_at", postgresql_where=text("status = 'held'")),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[str] = mapped_column(String(64), index=True)
    event_id: Mapped[str] = mapped_column(String(64), index=True)
    event_title: Mapped[str] = mapped_column(String(200))
    event_owner_id: Mapped[str] = mapped_column(String(64))
    tickets: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    payment_method: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    payment_id: Mapped[str | None] = mapped_column(String(64))
    # Of its payment, given back so far: by its cancellation, or at the payment service (an admin's).
    refunded_amount: Mapped[int] = mapped_column(Integer, server_default="0")
    failure_reason: Mapped[str | None] = mapped_column(String(200))
    # Held while the booking answers a retry: released by a failure that charged nothing, so that a
    # retry with the same key books afresh.
    idempotency_key: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=_now, server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=_now, server_default=func.now(), onupdate=_now
    )
    # A hold (`held`) not paid by then expires; None for a booking paid at once.
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The voucher code it was booked with, as the event spells it.
    voucher: Mapped[str | None] = mapped_column(String(64))
    event_starts_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    event_timezone: Mapped[str] = mapped_column(String(64), server_default="UTC")
    # Names the booker gave, in ticket order; tickets past them are in the booker's name.
    attendee_names: Mapped[list[str]] = mapped_column(ARRAY(String(100)), server_default="{}", default=list)
    # The waiting list entry this booking was offered to, if it is an offer.
    waiting_list_entry_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    items: Mapped[list["BookingItem"]] = relationship(
        lazy="selectin", order_by="BookingItem.id", cascade="all, delete-orphan"
    )


class BookingItem(Base):
    """Tickets of one type in a booking, at the unit price charged (after its voucher, if any)."""

    __tablename__ = "booking_items"
    __table_args__ = (UniqueConstraint("booking_id", "ticket_type_id", name="uq_booking_items_type"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    booking_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("bookings.id"), index=True)
    ticket_type_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Integer)
    voucher: Mapped[str | None] = mapped_column(String(64))


class WaitingListEntry(Base):
    """A user queueing for seats of a sold-out ticket type; offered freed seats in order of joining.

    `seq` is that order. An offer is a hold (`booking_id`) in the user's name; the entry follows it:
    paid, `booked`; not paid in time, `expired`.
    """

    __tablename__ = "waiting_list_entries"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    seq: Mapped[int] = mapped_column(BigInteger, Identity(), unique=True)
    event_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("event_inventory.event_id", ondelete="CASCADE")
    )
    ticket_type_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    accept_partial: Mapped[bool] = mapped_column()
    state: Mapped[str] = mapped_column(String(16))
    booking_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=_now, server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=_now, server_default=func.now(), onupdate=_now
    )


class OutboxMessage(OutboxMixin, Base):
    source = "booking_service"


class OutboxLease(OutboxLeaseMixin, Base):
    pass
