"""MongoDB for the Beanie services: a real server for `mongodb://` URLs, an in-process store for `memory://`.

The in-memory store is mongomock behind PyMongo's async API (`pymongo-async-mock`). It covers the
CRUD, update operators, unique indexes and find-and-modify the services use, but not `$text`
search, multi-document transactions or change streams, and its `$min`/`$max` fail on a null field:
service code keeps to single-document atomic operations, which both stores do alike.
"""

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

import mongomock
from beanie import Document, init_beanie
from beanie.exceptions import CollectionWasNotInitialized
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import ConnectionFailure
from pymongo_async_mock import AsyncMongoMockClient, AsyncMongoMockDatabase

from shared.lifecycle import Running
from shared.settings import MEMORY_URL_SCHEME, MongoServiceSettings

logger = logging.getLogger(__name__)


# Raised while MongoDB is unreachable (server selection, network errors) or before Beanie is set up;
# such a request answers 503 and a consumer retries later.
MONGO_DOWN_ERRORS: tuple[type[BaseException], ...] = (ConnectionFailure, CollectionWasNotInitialized)


class MongoUnavailableError(RuntimeError):
    """MongoDB has not been reached yet, so the store is not ready."""


class _MemoryDatabase(AsyncMongoMockDatabase):
    """A mongomock database that accepts the listing options Beanie passes.

    Beanie 2.2's `init_beanie` calls `list_collection_names(authorizedCollections=True, nameOnly=True)`;
    those are server options mongomock's signature rejects, and they change nothing in-process.
    """

    async def list_collection_names(
        self, filter: dict[str, Any] | None = None, session: None = None, **_server_options: Any
    ) -> list[str]:
        return self.delegate.list_collection_names(filter=filter, session=session)


class _MemoryDatabases:
    """The in-process databases by name, each kept while at least one store has it open."""

    def __init__(self) -> None:
        self._open: dict[str, tuple[mongomock.MongoClient, int]] = {}

    def open(self, name: str) -> mongomock.MongoClient:
        """Returns the client holding database `name`, a new empty one if no store has it open."""
        client, users = self._open.get(name) or (mongomock.MongoClient(tz_aware=True), 0)
        self._open[name] = (client, users + 1)
        return client

    def release(self, name: str) -> None:
        client, users = self._open[name]
        if users == 1:
            del self._open[name]
        else:
            self._open[name] = (client, users - 1)


_memory_databases = _MemoryDatabases()


class MongoStore(Running):
    """One service's database with its Beanie document models; opened in the lifespan, closed there.

    `start` never fails because MongoDB is down: it keeps initializing in the background and
    `check` (for `/ready`) raises until it is done. A Beanie model is bound to one database at a
    time, so starting another store with the same models rebinds them to it.

    In-memory stores open at the same time under the same database name share it, as replicas
    share a server; once the last of them closes it is gone, so a store opened later starts empty.
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
        self._client: AsyncMongoClient[dict[str, Any]] | AsyncMongoMockClient | None = None
        self._database: AsyncDatabase[dict[str, Any]] | None = None
        self._initializing: asyncio.Task[None] | None = None

    @classmethod
    def from_settings(
        cls, settings: MongoServiceSettings, document_models: Sequence[type[Document]]
    ) -> "MongoStore":
        return cls(
            url=settings.mongo_url,
            database=settings.mongo_database,
            document_models=document_models,
            timeout_seconds=settings.mongo_timeout_seconds,
            retry_seconds=settings.mongo_retry_seconds,
        )

    @property
    def in_memory(self) -> bool:
        return self.url.startswith(MEMORY_URL_SCHEME)

    @property
    def database(self) -> AsyncDatabase[dict[str, Any]]:
        if self._database is None:
            raise MongoUnavailableError("The store has not been started")
        return self._database

    async def start(self) -> None:
        """Opens the client and initializes Beanie (indexes included), waiting at most one attempt."""
        if self.in_memory:
            memory = _memory_databases.open(self.database_name)
            self._client = AsyncMongoMockClient(mock_mongo_client=memory)
            self._database = _MemoryDatabase(self._client, memory.get_database(self.database_name))
        else:
            timeout_ms = int(self.timeout_seconds * 1000)
            client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
                self.url,
                tz_aware=True,
                serverSelectionTimeoutMS=timeout_ms,
                connectTimeoutMS=timeout_ms,
            )
            self._client = client
            self._database = client.get_database(self.database_name)
        self._initializing = asyncio.create_task(self._initialize(), name="mongo-init")
        await asyncio.wait({self._initializing}, timeout=self.timeout_seconds + 1)
        if self._initializing.done():
            self._initializing.result()  # a reachable server that rejects the models is a bug: raise

    async def close(self) -> None:
        if self._initializing is not None:
            self._initializing.cancel()
            await asyncio.gather(self._initializing, return_exceptions=True)
        if isinstance(self._client, AsyncMongoClient):
            await self._client.close()
        elif self._client is not None:
            _memory_databases.release(self.database_name)
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
                await init_beanie(database=self.database, document_models=self.document_models)
                return
            except ConnectionFailure as exc:
                logger.warning("MongoDB unreachable (%r); retrying in %ss", exc, self.retry_seconds)
                await asyncio.sleep(self.retry_seconds)


async def connect_mongo(url: str, database: str, document_models: Sequence[type[Document]]) -> MongoStore:
    """Returns a started store for `database` at `url` (`mongodb://...` or `memory://`)."""
    store = MongoStore(url=url, database=database, document_models=document_models)
    await store.start()
    return store


def add_mongo_error_handler(app: FastAPI) -> None:
    """Answers 503 instead of 500 when a request needs MongoDB and it is down."""

    async def database_unavailable(request: Request, exc: Exception) -> JSONResponse:
        logger.warning("MongoDB unavailable: %r", exc)
        return JSONResponse(
            {"detail": "The database is unavailable; try again shortly."},
            status_code=503,
            headers={"Retry-After": "5"},
        )

    for error in MONGO_DOWN_ERRORS:
        app.add_exception_handler(error, database_unavailable)
