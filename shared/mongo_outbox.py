"""The transactional outbox for MongoDB services, without transactions.

A document that reports its changes carries its pending messages in an `outbox` array, written by
the same single-document operation as the change: appended before `insert` (`stage_messages`), or
`$push`ed by the update itself (`with_messages`). `MongoOutboxRelay` claims one document at a time
with a short lease, publishes its messages in staged order with publisher confirms, and pulls the
confirmed ones. A broker outage only delays messages; a relay that dies mid-way loses its lease and
another one republishes (consumers dedupe by message id).
"""

import logging
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from beanie import Document
from pydantic import Field
from pymongo import ReturnDocument
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


class OutboxDocument(Document):
    """Base of a Beanie document whose changes publish messages; subclasses set `outbox_source`.

    Write existing documents with update operators (`with_messages`), not `save()`/`replace()`:
    a whole-document write would put back messages the relay has already pulled.
    """

    outbox_source: ClassVar[str]

    outbox: list[dict[str, Any]] = Field(default_factory=list)
    outbox_lease: datetime | None = None


def _envelopes(model: type[OutboxDocument], data: Sequence[MessageData]) -> list[Envelope]:
    return [build_envelope(model.outbox_source, item) for item in data]


def stage_messages(document: OutboxDocument, *data: MessageData) -> list[Envelope]:
    """Appends messages to a document that is about to be inserted; returns their envelopes."""
    envelopes = _envelopes(type(document), data)
    document.outbox.extend(envelope.model_dump(mode="json") for envelope in envelopes)
    return envelopes


def with_messages(
    model: type[OutboxDocument], update: Mapping[str, Any], *data: MessageData
) -> dict[str, Any]:
    """Returns `update` with `data` pushed onto the document's outbox, to write both in one operation."""
    staged = [envelope.model_dump(mode="json") for envelope in _envelopes(model, data)]
    merged = {operator: dict(fields) for operator, fields in update.items()}
    merged.setdefault("$push", {})["outbox"] = {"$each": staged}
    return merged


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
        lease_seconds: float = 30.0,
    ) -> None:
        if lease_seconds <= PUBLISH_TIMEOUT_SECONDS + 1:
            raise ValueError("The lease must outlast one publish")
        super().__init__(poll_seconds=poll_seconds)
        self.models = list(models)
        self.broker = broker
        self.batch_size = batch_size
        self.lease_seconds = lease_seconds
        self._indexed: set[type[OutboxDocument]] = set()

    async def run_pass(self) -> bool:
        return await self.relay_batch() > 0

    async def relay_batch(self) -> int:
        """Publishes the outboxes of up to `batch_size` documents per model; returns how many messages."""
        if not self.broker.is_connected:
            return 0
        published = 0
        for model in self.models:
            collection = model.get_pymongo_collection()
            await self._ensure_index(model, collection)
            for _ in range(self.batch_size):
                claimed = await self._claim(collection)
                if claimed is None:
                    break
                sent: list[str] = []
                try:
                    broker_down = await self._publish(claimed["outbox"], sent)
                finally:
                    # Also after an unexpected error: retry the document without waiting out the lease.
                    await self._release(collection, claimed, sent)
                published += len(sent)
                if broker_down:
                    return published
        return published

    async def _ensure_index(
        self, model: type[OutboxDocument], collection: AsyncCollection[dict[str, Any]]
    ) -> None:
        # Only documents with pending messages have string keys here, so finding them is an index scan.
        if model not in self._indexed:
            await collection.create_index("outbox.id", name=OUTBOX_INDEX)
            self._indexed.add(model)

    async def _claim(self, collection: AsyncCollection[dict[str, Any]]) -> dict[str, Any] | None:
        now = datetime.now(UTC)
        return await collection.find_one_and_update(
            {"outbox.id": {"$gt": ""}, "outbox_lease": {"$not": {"$gt": now}}},
            {"$set": {"outbox_lease": now + timedelta(seconds=self.lease_seconds)}},
            projection={"outbox": True, "outbox_lease": True},
            return_document=ReturnDocument.AFTER,
        )

    async def _publish(self, outbox: list[dict[str, Any]], sent: list[str]) -> bool:
        """Publishes in staged order, adding confirmed ids to `sent`; returns whether the broker failed."""
        # Stop while the lease surely holds, so no other relay starts on this document meanwhile.
        deadline = time.monotonic() + self.lease_seconds - PUBLISH_TIMEOUT_SECONDS - 1.0
        for entry in outbox:
            if time.monotonic() > deadline:
                break
            try:
                await self.broker.publish(Envelope.model_validate(entry))
            except BrokerUnavailableError as exc:
                logger.warning("Mongo outbox relay paused: %s", exc)
                return True
            sent.append(entry["id"])
        return False

    @staticmethod
    async def _release(
        collection: AsyncCollection[dict[str, Any]], claimed: dict[str, Any], sent: list[str]
    ) -> None:
        # Matching the lease we set means no other relay has taken over; if one has, it republishes.
        result = await collection.update_one(
            {"_id": claimed["_id"], "outbox_lease": claimed["outbox_lease"]},
            {"$pull": {"outbox": {"id": {"$in": sent}}}, "$set": {"outbox_lease": None}},
        )
        if result.matched_count == 0:
            logger.warning("Outbox lease on %s expired before its messages were released", claimed["_id"])
