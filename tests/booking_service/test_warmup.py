"""The pool a booking service warms at start-up has a sale's statements ready on every connection,
prepared where the sales path looks for them, so the first buyers after a start wait for no prepare."""

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable

from sqlalchemy import text

from booking_service.main import MIGRATIONS
from booking_service.warmup import FOR_NOTHING, warm_pool
from shared.db import create_engine, execute_on, upgrade

CONNECTIONS = 3
PREPARED = text("SELECT statement FROM pg_prepared_statements")


async def test_every_warmed_connection_has_the_sale_statements_prepared_once_as_they_run(
    create_database: Callable[[str], Awaitable[str]],
) -> None:
    url = await create_database("booking_warmup")
    await asyncio.to_thread(upgrade, url, MIGRATIONS)
    engine = create_engine(url, pool_size=CONNECTIONS, max_overflow=0)
    try:
        await warm_pool(engine, connections=CONNECTIONS)
        sales = {statement.compile(dialect=engine.dialect).string for statement, _ in FOR_NOTHING}

        held = [await engine.connect() for _ in range(CONNECTIONS)]  # every connection of the pool
        try:
            for connection in held:
                for statement, parameters in FOR_NOTHING:  # as the sales path runs them
                    await execute_on(connection, statement, parameters)
                prepared = Counter(row["statement"] for row in await execute_on(connection, PREPARED, {}))
                assert {statement: prepared[statement] for statement in sales} == dict.fromkeys(sales, 1)
        finally:
            for connection in held:
                await connection.close()
    finally:
        await engine.dispose()
