"""The transactional outbox for SQLAlchemy services.

A service stages a message in the same transaction as the change it reports (`stage_message`);
`OutboxRelay` publishes staged rows in order with publisher confirms and marks them sent. A broker
outage only delays messages: rows stay unsent and the relay keeps retrying.
"""

import logging
import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import BigInteger, DateTime, Identity, Index, String, Uuid, func, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from shared.db import DATABASE_DOWN_ERRORS, OUTBOX_STAGED
from shared.messages import MessageData
from shared.messaging import Broker, BrokerUnavailableError, Envelope, build_envelope
from shared.worker import Worker

logger = logging.getLogger(__name__)
RELAY_LOCK_KEY = 72150312


class OutboxMixin:
    """Columns of the `outbox` table; a service declares `class OutboxMessage(OutboxMixin, Base)`."""

    __tablename__ = "outbox"
    source: ClassVar[str]

    seq: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    message_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    type: Mapped[str] = mapped_column(String(100))
    envelope: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Index, ...]:
        # The relay only ever scans unsent rows in order; keep that scan small.
        return (Index("ix_outbox_unsent", "seq", postgresql_where=cls.sent_at.is_(None)),)


def stage_message(session: AsyncSession, model: type[OutboxMixin], data: MessageData) -> Envelope:
    """Adds `data` to the session's transaction as an outbox row; returns its envelope."""
    envelope = build_envelope(model.source, data)
    session.add(
        model(  # type: ignore[call-arg]
            message_id=uuid.UUID(envelope.id),
            type=envelope.type,
            envelope=envelope.model_dump(mode="json"),
        )
    )
    session.info[OUTBOX_STAGED] = True
    return envelope


class OutboxRelay(Worker):
    """Publishes unsent outbox rows in order; woken after a commit, polling as a fallback."""

    name = "outbox-relay"
    waiting_on = DATABASE_DOWN_ERRORS

    def __init__(
        self,
        *,
        sessionmaker: async_sessionmaker[AsyncSession],
        model: type[OutboxMixin],
        broker: Broker,
        batch_size: int = 200,
        poll_seconds: float = 1.0,
    ) -> None:
        super().__init__(poll_seconds=poll_seconds)
        self.sessionmaker = sessionmaker
        self.model = model
        self.broker = broker
        self.batch_size = batch_size

    async def run_pass(self) -> bool:
        return await self.relay_batch() == self.batch_size

    async def relay_batch(self) -> int:
        """Publishes up to one batch of unsent rows; returns how many were published."""
        if not self.broker.is_connected:
            return 0
        model = self.model
        published = 0
        async with self.sessionmaker() as session, session.begin():
            # One relay at a time across replicas, so messages leave in the order they were staged.
            if not await session.scalar(select(func.pg_try_advisory_xact_lock(RELAY_LOCK_KEY))):
                return 0
            rows = await session.scalars(
                select(model).where(model.sent_at.is_(None)).order_by(model.seq).limit(self.batch_size)
            )
            for row in rows:
                try:
                    await self.broker.publish(Envelope.model_validate(row.envelope))
                except BrokerUnavailableError as exc:
                    logger.warning("Outbox relay paused: %s", exc)
                    break
                row.sent_at = datetime.now(UTC)
                published += 1
        return published
