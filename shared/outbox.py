"""The transactional outbox for SQLAlchemy services.

A service stages a message in the same transaction as the change it reports (`stage_message`);
`OutboxRelay` publishes staged rows in order with publisher confirms and marks them sent. A broker
outage only delays messages: rows stay unsent and the relay keeps retrying.

One relay publishes at a time across replicas, under a lease kept in a row (`outbox_lease`) rather
than a lock of the connection or of a transaction: behind a transaction-mode PgBouncer each statement
may run on another server connection (a session lock taken on one is neither seen nor released on
the next), and a transaction kept open while the broker confirms holds back PostgreSQL's cleanup of
every table for that long.
"""

import logging
import time
import uuid
from datetime import datetime, timedelta
from typing import Any, ClassVar

from sqlalchemy import (
    CTE,
    BigInteger,
    DateTime,
    Identity,
    Index,
    SmallInteger,
    String,
    Uuid,
    any_,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.dialects.postgresql import insert as upsert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, declared_attr, mapped_column
from sqlalchemy.sql.dml import Insert

from shared.db import DATABASE_DOWN_ERRORS, OUTBOX_STAGED, execute_alone
from shared.messages import MessageData
from shared.messaging import Broker, BrokerUnavailableError, Envelope, build_envelope
from shared.worker import Worker

logger = logging.getLogger(__name__)
# A relay stops publishing a batch at half its lease, so the lease does not run out mid-batch unless
# one publish waits on the broker that long (then another relay may publish beside it: a message may
# go twice or out of order, which consumers take, never lost). A replica that dies holding it delays
# every message of its service by at most this much.
LEASE_SECONDS = 5.0


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


class OutboxLeaseMixin:
    """The `outbox_lease` table's one row: which relay publishes, until when; a service declares
    `class OutboxLease(OutboxLeaseMixin, Base)` beside its outbox."""

    __tablename__ = "outbox_lease"

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    holder: Mapped[uuid.UUID] = mapped_column(Uuid)
    until: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def _columns(envelope: Envelope) -> dict[str, Any]:
    return {
        "message_id": uuid.UUID(envelope.id),
        "type": envelope.type,
        "envelope": envelope.model_dump(mode="json"),
    }


def stage_message(session: AsyncSession, model: type[OutboxMixin], data: MessageData) -> Envelope:
    """Adds `data` to the session's transaction as an outbox row; returns its envelope."""
    envelope = build_envelope(model.source, data)
    session.add(model(**_columns(envelope)))  # type: ignore[call-arg]
    mark_staged(session)
    return envelope


# The same row, for a statement that makes a change and stages its message by itself (one round
# trip, no transaction around it): its parameters are named apart from any column of the change.
_STAGED_PARAMETERS = {"message_id": "outbox_message_id", "type": "outbox_type", "envelope": "outbox_envelope"}


def staging_insert(model: type[OutboxMixin], change: CTE) -> Insert:
    """Returns an INSERT of one outbox row per row `change` returns (none when it returns none),
    carrying the message `staging_parameters` binds; the statement runs it as a CTE beside `change`."""
    outbox = model.__table__  # type: ignore[attr-defined]
    values = select(
        *(
            bindparam(name, type_=outbox.c[column].type).label(column)
            for column, name in _STAGED_PARAMETERS.items()
        )
    ).select_from(change)
    return insert(outbox).from_select(list(_STAGED_PARAMETERS), values)


def staging_parameters(model: type[OutboxMixin], data: MessageData) -> dict[str, Any]:
    """Returns the parameters of `staging_insert` carrying `data`; call `mark_staged` once it ran."""
    columns = _columns(build_envelope(model.source, data))
    return {name: columns[column] for column, name in _STAGED_PARAMETERS.items()}


def mark_staged(session: AsyncSession) -> None:
    """Notes that the session wrote an outbox row, so the relay is woken when the request ends."""
    session.info[OUTBOX_STAGED] = True


class OutboxRelay(Worker):
    """Publishes unsent outbox rows in order; woken after a commit, polling as a fallback."""

    name = "outbox-relay"
    waiting_on = DATABASE_DOWN_ERRORS

    def __init__(
        self,
        *,
        sessionmaker: async_sessionmaker[AsyncSession],
        model: type[OutboxMixin],
        lease: type[OutboxLeaseMixin],
        broker: Broker,
        batch_size: int = 200,
        poll_seconds: float = 1.0,
    ) -> None:
        super().__init__(poll_seconds=poll_seconds)
        self.sessionmaker = sessionmaker
        self.broker = broker
        self.batch_size = batch_size
        self._outbox = model.__table__
        self._unsent = (
            select(self._outbox.c.seq, self._outbox.c.envelope)
            .where(self._outbox.c.sent_at.is_(None))
            .order_by(self._outbox.c.seq)
            .limit(batch_size)
        )
        # One statement shape for any number of rows (an IN list would be prepared anew per length).
        sent = any_(bindparam("sent", type_=ARRAY(BigInteger)))
        self._mark_sent = update(self._outbox).where(self._outbox.c.seq == sent).values(sent_at=func.now())
        self._holder = uuid.uuid4()
        leases = lease.__table__  # type: ignore[attr-defined]
        taken = upsert(leases).values(
            id=1, holder=self._holder, until=func.now() + timedelta(seconds=LEASE_SECONDS)
        )
        self._take_lease = taken.on_conflict_do_update(
            index_elements=[leases.c.id],
            set_={"holder": taken.excluded.holder, "until": taken.excluded.until},
            where=(leases.c.holder == self._holder) | (leases.c.until <= func.now()),
        ).returning(leases.c.id)
        self._end_lease = update(leases).where(leases.c.holder == self._holder).values(until=func.now())

    async def run_pass(self) -> bool:
        return await self.relay_batch() == self.batch_size

    async def relay_batch(self) -> int:
        """Publishes up to one batch of unsent rows; returns how many were published."""
        if not self.broker.is_connected:
            return 0
        sent: list[int] = []
        # Each statement commits by itself: nothing stays open while the broker confirms.
        async with self.sessionmaker() as session:
            leased_at = time.monotonic()
            if not await execute_alone(session, self._take_lease, {}):
                return 0  # another replica's relay holds the lease
            try:
                # Read once the lease is held, so none another replica just sent is read unsent.
                for row in await execute_alone(session, self._unsent, {}):
                    if time.monotonic() - leased_at > LEASE_SECONDS / 2:
                        break  # the rest next pass, under a lease taken anew
                    try:
                        await self.broker.publish(Envelope.model_validate(row["envelope"]))
                    except BrokerUnavailableError as exc:
                        logger.warning("Outbox relay paused: %s", exc)
                        break
                    sent.append(row["seq"])
                if sent:
                    await execute_alone(session, self._mark_sent, {"sent": sent})
            finally:
                await execute_alone(session, self._end_lease, {})
        return len(sent)
