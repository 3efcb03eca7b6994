import uuid
from datetime import UTC, datetime

from sqlalchemy import ARRAY, DateTime, Index, String, Uuid, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.outbox import OutboxLeaseMixin, OutboxMixin


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    username: Mapped[str] = mapped_column(String(32))
    email: Mapped[str] = mapped_column(String(254))
    full_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    roles: Mapped[list[str]] = mapped_column(ARRAY(String(20)))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=lambda: datetime.now(UTC), server_default=func.now()
    )


# Usernames and emails are unique regardless of case.
Index("uq_users_username_lower", func.lower(User.username), unique=True)
Index("uq_users_email_lower", func.lower(User.email), unique=True)


class OutboxMessage(OutboxMixin, Base):
    source = "user_service"


class OutboxLease(OutboxLeaseMixin, Base):
    pass
