"""The migrations make exactly the tables the models describe."""

import asyncio
from collections.abc import Awaitable, Callable

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import create_async_engine

from checkin_service.main import MIGRATIONS
from checkin_service.models import Base
from shared.db import upgrade


def _differences(connection: Connection) -> list[object]:
    return compare_metadata(MigrationContext.configure(connection), Base.metadata)


async def test_the_migrations_make_the_tables_of_the_models(
    create_database: Callable[[str], Awaitable[str]],
) -> None:
    url = await create_database("checkin_migrations")
    await asyncio.to_thread(upgrade, url, MIGRATIONS)
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(_differences) == []
            sequences = await connection.scalar(
                text("SELECT count(*) FROM pg_sequences WHERE sequencename = 'revocation_seq'")
            )
            assert sequences == 1
    finally:
        await engine.dispose()
