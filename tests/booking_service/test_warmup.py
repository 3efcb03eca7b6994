"""The pool a booking service warms at start-up has a sale's statements ready on every connection,
prepared where the sales path looks for them, so the first buyers after a start wait for no prepare."""

import asyncio
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from booking_service import catalogue, checkout, holds
from booking_service.main import MIGRATIONS
from booking_service.warmup import warm_pool
from shared.db import create_engine, execute_on, upgrade

CONNECTIONS = 3
NO_EVENT = "-" * 65
NO_BOOKING = uuid.UUID(int=0)
PREPARED = text("SELECT statement FROM pg_prepared_statements")


async def test_every_warmed_connection_has_the_sale_statements_prepared_once_as_they_run(
    create_database: Callable[[str], Awaitable[str]],
) -> None:
    url = await create_database("booking_warmup")
    await asyncio.to_thread(upgrade, url, MIGRATIONS)
    engine = create_engine(url, pool_size=CONNECTIONS, max_overflow=0)
    try:
        await warm_pool(engine, connections=CONNECTIONS)
        sales = {
            statement.compile(dialect=engine.dialect).string
            for statement in (catalogue.CATALOGUE, checkout.TAKE, holds.TO_PAYMENT, holds.RECORD_OUTCOME)
        }

        held = [await engine.connect() for _ in range(CONNECTIONS)]  # every connection of the pool
        try:
            for connection in held:
                await _run_the_sale_statements_for_nothing(connection)
                prepared = Counter(row["statement"] for row in await execute_on(connection, PREPARED, {}))
                assert {statement: prepared[statement] for statement in sales} == dict.fromkeys(sales, 1)
        finally:
            for connection in held:
                await connection.close()
    finally:
        await engine.dispose()


async def _run_the_sale_statements_for_nothing(connection: AsyncConnection) -> None:
    """Each statement as the sales path runs it, for no event and no booking: nothing changes."""
    await execute_on(connection, catalogue.CATALOGUE, {"event": NO_EVENT, "code_key": None})
    await execute_on(connection, checkout.TAKE, {**checkout.TAKE.compile().params, "event": NO_EVENT})
    await execute_on(connection, holds.TO_PAYMENT, {"booking": NO_BOOKING, "user": "", "method": None})
    settled = ("from_status", "outcome", "payment", "reason", "forget_key", "entry_state")
    staged = ("outbox_message_id", "outbox_type", "outbox_envelope")
    settle = {"booking": NO_BOOKING, **dict.fromkeys(settled + staged)}
    await execute_on(connection, holds.RECORD_OUTCOME, settle)
