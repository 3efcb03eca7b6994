"""Idempotent consuming for SQLAlchemy services: each message id is processed once.

A handler calls `first_delivery` inside the transaction that stores its work; a redelivered
message finds its id already recorded and the handler skips it.
"""

import uuid
from datetime import datetime

from sqlalchemy import DateTime, String, Uuid, func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from shared.messaging import Envelope


class ProcessedMessageMixin:
    """Columns of `processed_messages`; a service subclasses it with its own declarative base."""

    __tablename__ = "processed_messages"

    message_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    type: Mapped[str] = mapped_column(String(100))
    processed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


async def first_delivery(
    session: AsyncSession, model: type[ProcessedMessageMixin], envelope: Envelope
) -> bool:
    """Records `envelope.id` in the session's transaction; returns False if it was already processed."""
    recorded = await session.scalar(
        insert(model)
        .values(message_id=uuid.UUID(envelope.id), type=envelope.type)
        .on_conflict_do_nothing()
        .returning(model.message_id)
    )
    return recorded is not None
