import uuid
from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, DateTime, Integer, String, UniqueConstraint, Uuid, func
from sqlalchemy.orm import DeclarativeBase, Mapped, column_property, mapped_column

from shared.outbox import OutboxMixin


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
    # Seats neither sold nor held, computed by PostgreSQL: the one definition, which the hold
    # statement tests and the API shows.
    available: Mapped[int] = column_property(func.greatest(0, capacity - sold - held))


class Booking(Base):
    __tablename__ = "bookings"
    __table_args__ = (UniqueConstraint("user_id", "idempotency_key", name="uq_bookings_idempotency"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[str] = mapped_column(String(64), index=True)
    event_id: Mapped[str] = mapped_column(String(64), index=True)
    event_title: Mapped[str] = mapped_column(String(200))
    event_owner_id: Mapped[str] = mapped_column(String(64))
    tickets: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    payment_method: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), index=True)
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


class OutboxMessage(OutboxMixin, Base):
    source = "booking_service"
