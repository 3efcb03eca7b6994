"""MongoDB for the Beanie services: one client per service, bounded in time, its models bound at start."""

import asyncio
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from beanie import Document, init_beanie
from beanie.exceptions import CollectionWasNotInitialized
from fastapi import FastAPI
from pymongo import AsyncMongoClient, WriteConcern
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import ConnectionFailure, ExecutionTimeout

from shared.errors import answer_store_down
from shared.lifecycle import Running
from shared.settings import MongoServiceSettings

logger = logging.getLogger(__name__)


# Raised while MongoDB is unreachable or too slow: server selection, network errors, and the operation
# timeout (over a connection that stopped answering, a NetworkTimeout, which is a ConnectionFailure).
UNREACHABLE_ERRORS: tuple[type[BaseException], ...] = (ConnectionFailure, ExecutionTimeout)
# Those, or Beanie not set up yet; such a request answers 503 and a consumer retries later.
MONGO_DOWN_ERRORS: tuple[type[BaseException], ...] = (*UNREACHABLE_ERRORS, CollectionWasNotInitialized)


def to_stored_time(moment: datetime) -> datetime:
    """Returns `moment` in UTC at millisecond precision, as MongoDB will store and return it (so a
    document read back equals the one written)."""
    utc = moment.astimezone(UTC)
    return utc.replace(microsecond=utc.microsecond // 1000 * 1000)


def stored_now() -> datetime:
    return to_stored_time(datetime.now(UTC))


class MongoUnavailableError(RuntimeError):
    """MongoDB has not been reached yet, so the store is not ready."""


class MongoStore(Running):
    """One service's database with its Beanie document models; opened in the lifespan, closed there.

    `start` never fails because MongoDB is down: it keeps initializing in the background and
    `check` (for `/ready`) raises until it is done. A Beanie model is bound to one database at a
    time, so starting another store with the same models rebinds them to it.

    Every operation, server selection included, ends within `timeout_seconds`: a database host that
    stops answering turns into 503s, not requests that hang. Unless MONGO_URL says otherwise, every
    write waits for the server's journal (see `journaled`), so what a service answered or acked survives
    a crash of the database process. Indexes are made as the models declare them: one whose
    definition changed between releases is dropped and built anew, so an upgrade never leaves a
    service unable to start.
    """

    def __init__(
        self,
        *,
        url: str,
        database: str,
        document_models: Sequence[type[Document]],
        timeout_seconds: float = 5.0,
        retry_seconds: float = 2.0,
    ) -> None:
        self.url = url
        self.database_name = database
        self.document_models = list(document_models)
        self.timeout_seconds = timeout_seconds
        self.retry_seconds = retry_seconds
        self._client: AsyncMongoClient[dict[str, Any]] | None = None
        self._database: AsyncDatabase[dict[str, Any]] | None = None
        self._initializing: asyncio.Task[None] | None = None

    @classmethod
    def from_settings(
        cls,
        settings: MongoServiceSettings,
        document_models: Sequence[type[Document]],
    ) -> "MongoStore":
        return cls(
            url=settings.mongo_url,
            database=settings.mongo_database,
            document_models=document_models,
            timeout_seconds=settings.mongo_timeout_seconds,
            retry_seconds=settings.mongo_retry_seconds,
        )

    @property
    def database(self) -> AsyncDatabase[dict[str, Any]]:
        if self._database is None:
            raise MongoUnavailableError("The store has not been started")
        return self._database

    async def start(self) -> None:
        """Opens the client and initializes Beanie (indexes included), waiting at most one attempt."""
        timeout_ms = int(self.timeout_seconds * 1000)
        client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
            self.url,
            tz_aware=True,
            serverSelectionTimeoutMS=timeout_ms,
            connectTimeoutMS=timeout_ms,
            timeoutMS=timeout_ms,
        )
        self._client = client
        self._database = client.get_database(
            self.database_name, write_concern=journaled(client.write_concern)
        )
        self._initializing = asyncio.create_task(self._initialize(), name="mongo-init")
        await asyncio.wait({self._initializing}, timeout=self.timeout_seconds + 1)
        if self._initializing.done():
            self._initializing.result()  # a reachable server that rejects the models is a bug: raise

    async def close(self) -> None:
        if self._initializing is not None:
            self._initializing.cancel()
            await asyncio.gather(self._initializing, return_exceptions=True)
        if self._client is not None:
            await self._client.close()
        self._client = None
        self._database = None

    async def check(self) -> None:
        """Raises when the database does not answer or is not initialized yet (for `/ready`)."""
        if self._initializing is None or not self._initializing.done():
            raise MongoUnavailableError("MongoDB has not been reached yet")
        self._initializing.result()  # re-raises an initialization that failed after `start` returned
        await self.database.command("ping")

    async def _initialize(self) -> None:
        while True:
            try:
                await init_beanie(
                    database=self.database,
                    document_models=self.document_models,
                    allow_index_dropping=True,
                )
                return
            except UNREACHABLE_ERRORS as exc:  # a slow server's timeout too: it may answer next time
                logger.warning("MongoDB unreachable (%r); retrying in %ss", exc, self.retry_seconds)
                await asyncio.sleep(self.retry_seconds)


def journaled(write_concern: WriteConcern) -> WriteConcern:
    """Returns `write_concern` waiting for the journal too (`j: true`), unless it says how already.

    A write acknowledged with `j: false` (MongoDB's default for `w: 1`) may be only in the server's
    memory: a crash of the server process loses the last of them, and with them payments already
    answered 201 and messages already acked. MONGO_URL may still choose: its `journal`, `fsync` or
    `w=0` are kept as they are, and `w=majority` is kept along with the journal.
    """
    document = write_concern.document
    if {"j", "fsync"} & document.keys() or document.get("w") == 0:
        return write_concern
    return WriteConcern(**document, j=True)


def add_mongo_error_handler(app: FastAPI) -> None:
    """Answers 503 instead of 500 when a request needs MongoDB and it is down."""

    for error in MONGO_DOWN_ERRORS:
        app.add_exception_handler(error, answer_store_down)
