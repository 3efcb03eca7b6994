"""Behind a PgBouncer in transaction mode, each transaction may run on another server connection: with
`DATABASE_STATEMENT_CACHE_SIZE=0` no statement is expected to outlive the transaction that prepared it.

No PgBouncer here: each checkout from the pool forgets every statement prepared on the connection
(`DEALLOCATE ALL`), as a server connection that another client used last would not have them.
"""

from typing import Any

import pytest
from sqlalchemy import bindparam, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db import create_engine
from tests.backends import postgres_url

QUERY = text("SELECT CAST(:number AS integer) + 1").bindparams(bindparam("number"))


def _as_if_pooled_per_transaction(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "checkout")
    def another_server_connection(dbapi_connection: Any, *_: object) -> None:
        dbapi_connection.run_async(lambda connection: connection.execute("DEALLOCATE ALL"))


async def _run_in_turns(engine: AsyncEngine, turns: int = 3) -> list[int]:
    answers = []
    for number in range(turns):
        async with engine.connect() as connection:
            answers.append(await connection.scalar(QUERY, {"number": number}))
    return answers


async def test_statements_are_prepared_where_they_run_when_the_cache_is_off() -> None:
    engine = create_engine(postgres_url("postgres"), pool_size=1, statement_cache_size=0)
    _as_if_pooled_per_transaction(engine)
    try:
        assert await _run_in_turns(engine) == [1, 2, 3]
    finally:
        await engine.dispose()


async def test_a_kept_statement_is_missing_on_another_server_connection() -> None:
    """Why the setting exists: the default cache expects its statements to stay on the connection."""
    engine = create_engine(postgres_url("postgres"), pool_size=1)
    _as_if_pooled_per_transaction(engine)
    try:
        with pytest.raises(DBAPIError, match="does not exist"):
            await _run_in_turns(engine)
    finally:
        await engine.dispose()
