"""The transactional outbox for MongoDB services, without transactions.

A document that reports its changes carries its pending messages in an `outbox` array, written by
the same single-document operation as the change: appended before `insert` (`stage_messages`), or
`$push`ed by the update itself (`with_messages`). `MongoOutboxRelay` claims one document at a time
with a short lease, publishes its messages in staged order with publisher confirms, and pulls the
confirmed ones. A document a request inserts is written with that lease already held by its own
replica, whose relay publishes it as the request ends without finding or leasing it first. A broker
outage only delays messages; a relay that dies mid-way loses its lease and another one republishes
(consumers dedupe by message id).

A document holds at most `outbox_limit` pending messages, so a long outage cannot grow it toward
MongoDB's 16 MB: a change that would stage more is refused (`OutboxFullError`), and nothing is lost.
"""

import logging
from collections import deque
from collections.abc import AsyncIterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, Self

from beanie import Document
from fastapi import Depends, Request
from pydantic import Field
from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.collection import AsyncCollection

from shared.messages import MessageData
from shared.messaging import (
    PUBLISH_TIMEOUT_SECONDS,
    Broker,
    BrokerUnavailableError,
    Envelope,
    build_envelope,
)
from shared.mongo import MONGO_DOWN_ERRORS
from shared.worker import Worker

logger = logging.getLogger(__name__)

OUTBOX_INDEX = "outbox_pending"
LEASE_SECONDS = 30.0
# Only documents with pending messages have string keys here, so the relay finds them by an index scan.
_OUTBOX_INDEX_MODEL = IndexModel([("outbox.id", ASCENDING)], name=OUTBOX_INDEX)


class OutboxFullError(Exception):
    """A document holds as many unsent messages as it may: the broker has been unreachable a long while."""

    # Once the broker is back, the relay empties an outbox within a poll or two.
    retry_after_seconds = 30

    def __init__(self, document: "OutboxDocument") -> None:
        super().__init__(
            f"This {type(document).__name__.lower()} has {len(document.outbox)} changes waiting to be "
            f"published and may hold at most {type(document).outbox_limit}: the message broker has been "
            "unreachable for a while. Nothing was changed; retry once they are sent"
        )


class OutboxDocument(Document):
    """Base of a Beanie document whose changes publish messages; subclasses set `outbox_source`.

    Write existing documents with update operators (`with_messages`), not `save()`/`replace()`:
    a whole-document write would put back messages the relay has already pulled. Condition every
    such write on `room_for`, so the outbox stays within `outbox_limit`.
    """

    outbox_source: ClassVar[str]
    # Far below MongoDB's 16 MB per document even at the largest messages the services stage (~3 KB).
    outbox_limit: ClassVar[int] = 1000

    outbox: list[dict[str, Any]] = Field(default_factory=list)
    outbox_lease: datetime | None = None

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Adds the outbox index to the subclass's declared ones, so Beanie keeps it at every start.

        An index made outside the declaration would be dropped by `init_beanie(allow_index_dropping=True)`
        and built again at each start.
        """
        super().__pydantic_init_subclass__(**kwargs)
        declared = getattr(cls, "Settings", object)
        indexes = [index for index in getattr(declared, "indexes", []) if not _is_outbox_index(index)]
        cls.Settings = type("Settings", (declared,), {"indexes": [*indexes, _OUTBOX_INDEX_MODEL]})

    async def insert(self, **options: Any) -> Self:
        """Inserts the document. Inside a request that wakes the relay (`WakesOutboxRelay`), its outbox
        is written leased to this replica, and the relay publishes it as the request ends.

        The relay would otherwise find the document and lease it first: two more commands to the
        server for each payment, the largest part of its work for the relay.
        """
        inserting = _inserting.get()
        if inserting is None or not self.outbox:
            return await super().insert(**options)
        self.outbox_lease = _to_milliseconds(datetime.now(UTC) + timedelta(seconds=inserting.lease_seconds))
        inserted = await super().insert(**options)
        inserting.held.append(_Held(type(self), self.id, self.outbox_lease, list(self.outbox)))
        return inserted


@dataclass(frozen=True)
class _Held:
    """A document whose outbox this replica leases, until `lease`: inserted so, or found and leased."""

    model: type[OutboxDocument]
    id: Any
    lease: datetime
    outbox: list[dict[str, Any]]


@dataclass
class _Inserting:
    """What a request inserted with leased outboxes, for its replica's relay to publish."""

    lease_seconds: float
    held: list[_Held] = field(default_factory=list)


_inserting: ContextVar[_Inserting | None] = ContextVar("outbox_inserting", default=None)


def _is_outbox_index(index: object) -> bool:
    return isinstance(index, IndexModel) and index.document["name"] == OUTBOX_INDEX


def _envelopes(model: type[OutboxDocument], data: Sequence[MessageData]) -> list[Envelope]:
    return [build_envelope(model.outbox_source, item) for item in data]


def stage_messages(document: OutboxDocument, *data: MessageData) -> list[Envelope]:
    """Appends messages to a document that is about to be inserted; returns their envelopes."""
    room_for(document, len(data))
    envelopes = _envelopes(type(document), data)
    document.outbox.extend(envelope.model_dump(mode="json") for envelope in envelopes)
    return envelopes


def room_for(document: OutboxDocument, count: int = 1) -> dict[str, Any]:
    """Returns a filter matching the document only while its outbox has room for `count` more messages.

    Raises `OutboxFullError` if it had none as read. Adding the filter to the write's own keeps the
    bound even against a concurrent writer that `document` does not know of.
    """
    limit = type(document).outbox_limit
    if len(document.outbox) + count > limit:
        raise OutboxFullError(document)
    return {f"outbox.{limit - count}": {"$exists": False}}


def with_messages(
    model: type[OutboxDocument], update: Mapping[str, Any], *data: MessageData
) -> dict[str, Any]:
    """Returns `update` with `data` pushed onto the document's outbox, to write both in one operation."""
    staged = [envelope.model_dump(mode="json") for envelope in _envelopes(model, data)]
    merged = {operator: dict(fields) for operator, fields in update.items()}
    merged.setdefault("$push", {})["outbox"] = {"$each": staged}
    return merged


def _free(now: datetime) -> dict[str, Any]:
    """Matches documents with pending messages whose lease, if any, has run out."""
    return {"outbox.id": {"$gt": ""}, "outbox_lease": {"$not": {"$gt": now}}}


def _publishable_under(lease: datetime) -> bool:
    """Whether a publish started now ends while `lease` surely holds, so no other relay starts on the
    document meanwhile."""
    return datetime.now(UTC) + timedelta(seconds=PUBLISH_TIMEOUT_SECONDS + 1.0) < lease


def _to_milliseconds(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


async def wake_outbox_relay(request: Request) -> AsyncIterator[None]:
    """Hands the documents the request inserted to the app's outbox relay and wakes it, so the
    messages the request staged leave at once."""
    relay: MongoOutboxRelay = request.app.state.outbox_relay
    inserting = _Inserting(lease_seconds=relay.lease_seconds)
    _inserting.set(inserting)
    try:
        yield
    finally:
        _inserting.set(None)
        relay.publish_held(inserting.held)


# A route that writes declares `dependencies=[WakesOutboxRelay]`.
WakesOutboxRelay = Depends(wake_outbox_relay)


class MongoOutboxRelay(Worker):
    """Publishes the outboxes of `models`' documents; woken after a write, polling as a fallback.

    Replicas may run it side by side: a document is published by whoever holds its lease, so its
    messages leave in order. Lease times come from each replica's clock, so clock skew between
    replicas must stay well below `lease_seconds`.
    """

    name = "mongo-outbox-relay"
    waiting_on = MONGO_DOWN_ERRORS

    def __init__(
        self,
        *,
        models: Sequence[type[OutboxDocument]],
        broker: Broker,
        batch_size: int = 100,
        poll_seconds: float = 1.0,
        lease_seconds: float = LEASE_SECONDS,
    ) -> None:
        if lease_seconds <= PUBLISH_TIMEOUT_SECONDS + 1:
            raise ValueError("The lease must outlast one publish")
        super().__init__(poll_seconds=poll_seconds)
        self.models = list(models)
        self.broker = broker
        self.batch_size = batch_size
        self.lease_seconds = lease_seconds
        self._held: deque[_Held] = deque()

    def publish_held(self, held: Sequence[_Held]) -> None:
        """Publishes documents inserted leased to this replica (see `OutboxDocument.insert`) at once."""
        self._held.extend(held)
        self.wake()

    async def run_pass(self) -> bool:
        return await self.relay_batch() > 0

    async def relay_batch(self) -> int:
        """Publishes the outboxes of up to `batch_size` documents per model; returns how many messages."""
        if not self.broker.is_connected:
            return 0
        published, broker_down = await self._relay_held()
        if broker_down:
            return published
        for model in self.models:
            collection = model.get_pymongo_collection()
            for candidate in await self._pending(collection):
                claimed = await self._lease(model, collection, candidate)
                if claimed is None:
                    continue  # another relay has it
                sent: list[str] = []
                try:
                    broker_down = await self._publish(claimed.outbox, sent, claimed.lease)
                finally:
                    # Also after an unexpected error: retry the document without waiting out the lease.
                    await self._release([(claimed, sent)])
                published += len(sent)
                if broker_down:
                    return published
        return published

    async def _relay_held(self) -> tuple[int, bool]:
        """Publishes the held documents; returns how many messages, and whether the broker failed.

        One whose lease is too near its end publishes nothing (`_publish`) and is released for any relay.
        """
        published = 0
        while self._held:
            batch = [self._held.popleft() for _ in range(min(len(self._held), self.batch_size))]
            done: list[tuple[_Held, list[str]]] = []
            try:
                for held in batch:
                    sent: list[str] = []
                    done.append((held, sent))
                    broker_down = await self._publish(held.outbox, sent, held.lease)
                    published += len(sent)
                    if broker_down:
                        return published, True
            finally:
                self._held.extendleft(reversed(batch[len(done) :]))  # those not tried, for a later pass
                await self._release(done)
        return published, False

    @staticmethod
    async def _release(done: list[tuple[_Held, list[str]]]) -> None:
        """Pulls each document's sent messages and ends its lease, with one update per model: once a few
        are held, that costs the embedded server less than half as much per document as one update
        each (0.4 ms against 0.9 ms).

        Matched by their ids and by any of their leases, not pair by pair: an `$or` of pairs makes the
        embedded server scan the collection. A document another relay took over meanwhile (its lease
        ran out while this one published) stays leased to it, unless its new lease is to the
        millisecond another one of these: then a relay may publish its messages again, as after any
        lost lease, and consumers drop them by id.
        """
        for model in {held.model for held, _ in done}:
            mine = [(held, sent) for held, sent in done if held.model is model]
            result = await model.get_pymongo_collection().update_many(
                {
                    "_id": {"$in": [held.id for held, _ in mine]},
                    "outbox_lease": {"$in": list({held.lease for held, _ in mine})},
                },
                {
                    "$pull": {"outbox": {"id": {"$in": [id_ for _, sent in mine for id_ in sent]}}},
                    "$set": {"outbox_lease": None},
                },
            )
            if result.matched_count < len(mine):
                logger.warning(
                    "Outbox leases on %d of %d documents expired before their messages were released",
                    len(mine) - result.matched_count,
                    len(mine),
                )

    async def _pending(self, collection: AsyncCollection[dict[str, Any]]) -> list[dict[str, Any]]:
        """Returns up to `batch_size` documents with pending messages that no relay holds.

        Found with one query and leased one by one (`_lease`) rather than each by a findAndModify:
        the embedded server's findAndModify takes time in proportion to the collection (60 ms at
        3,000 documents against 2 ms for a find and an update: `python -m bench.find_and_modify`),
        and the relay runs after every write.
        """
        return await collection.find(_free(datetime.now(UTC)), projection={"outbox": True}).to_list(
            self.batch_size
        )

    async def _lease(
        self,
        model: type[OutboxDocument],
        collection: AsyncCollection[dict[str, Any]],
        candidate: dict[str, Any],
    ) -> _Held | None:
        """Leases `candidate` if it is still free and unpublished; returns it held until its lease."""
        now = datetime.now(UTC)
        # BSON keeps milliseconds: the lease is stored as rounded, and released by that value.
        lease = _to_milliseconds(now + timedelta(seconds=self.lease_seconds))
        # Still starting with the message found: no other relay published it meanwhile. Matched by `_id`
        # and nothing the pending index covers: the embedded server would scan every pending document
        # (25 ms at 1,500 of them, 79 ms at 5,000, against 1.2 ms: `python -m bench.find_and_modify`).
        unchanged = {
            "_id": candidate["_id"],
            "outbox.0.id": candidate["outbox"][0]["id"],
            "outbox_lease": {"$not": {"$gt": now}},
        }
        taken = await collection.update_one(unchanged, {"$set": {"outbox_lease": lease}})
        if taken.modified_count != 1:
            return None
        return _Held(model, candidate["_id"], lease, candidate["outbox"])

    async def _publish(self, outbox: list[dict[str, Any]], sent: list[str], lease: datetime) -> bool:
        """Publishes in staged order under `lease`, adding confirmed ids to `sent`; returns whether the
        broker failed."""
        for entry in outbox:
            if not _publishable_under(lease):
                break
            try:
                await self.broker.publish(Envelope.model_validate(entry))
            except BrokerUnavailableError as exc:
                logger.warning("Mongo outbox relay paused: %s", exc)
                return True
            sent.append(entry["id"])
        return False
