"""`execute_alone` runs a statement on the driver's connection, yet answers and fails as SQLAlchemy
would: parameters converted as SQLAlchemy converts them, a unique violation an `IntegrityError`, a
lost connection an outage that leaves no broken connection in the pool. Each test runs straight to
PostgreSQL and again through a real PgBouncer in transaction mode."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import asyncpg
import pytest
from sqlalchemy import Boolean, String, bindparam, insert, literal
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import create_engine, create_sessionmaker, execute_alone, is_database_down
from tests.backends import POSTGRES_ADMIN_DSN
from tests.shared.conftest import database_with_tables, engine_by_route


class Base(DeclarativeBase):
    pass


class Ticket(Base):
    __tablename__ = "tickets"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    holder: Mapped[str] = mapped_column(String, unique=True)
    details: Mapped[dict] = mapped_column(JSONB)
    paid: Mapped[bool] = mapped_column(Boolean)
    kind: Mapped[str] = mapped_column(String)


# A literal compiled into the statement, a JSONB and a Boolean parameter SQLAlchemy converts, and
# parameters named unlike the columns, as the services' statements are.
ISSUE = (
    insert(Ticket)
    .values(
        id=bindparam("ticket"),
        holder=bindparam("who", type_=String),
        details=bindparam("what", type_=JSONB),
        paid=bindparam("settled", type_=Boolean),
        kind=literal("standard"),
    )
    .returning(Ticket.id, Ticket.holder, Ticket.details, Ticket.paid, Ticket.kind)
)


@pytest.fixture
async def database(create_database: Callable[[str], Awaitable[str]]) -> str:
    return await database_with_tables(create_database, "alone", Base.metadata)


@pytest.fixture(params=["direct", "pgbouncer"])
async def engine(request: pytest.FixtureRequest, database: str) -> AsyncIterator[AsyncEngine]:
    engine = engine_by_route(request, database, pool_size=2, max_overflow=0)
    yield engine
    await engine.dispose()


async def issue(engine: AsyncEngine, holder: str) -> asyncpg.Record:
    async with create_sessionmaker(engine)() as session:
        [row] = await execute_alone(
            session, ISSUE, {"ticket": uuid.uuid4(), "who": holder, "what": {"seat": holder}, "settled": True}
        )
        return row


async def test_rows_come_back_with_every_parameter_converted(engine: AsyncEngine) -> None:
    # Many at once, on two pooled connections: behind PgBouncer they land on its two server connections.
    rows = await asyncio.gather(*(issue(engine, f"holder {n}") for n in range(40)))

    assert {row["holder"] for row in rows} == {f"holder {n}" for n in range(40)}
    assert all(row["details"] == {"seat": row["holder"]} for row in rows)
    assert all(row["paid"] is True and row["kind"] == "standard" for row in rows)


async def test_a_unique_violation_is_the_integrity_error_sqlalchemy_raises(engine: AsyncEngine) -> None:
    await issue(engine, "Ada")

    with pytest.raises(IntegrityError, match="tickets_holder_key"):
        await issue(engine, "Ada")
    assert (await issue(engine, "Grace"))["holder"] == "Grace"  # the connection still serves


async def test_a_lost_connection_is_an_outage_and_the_pool_replaces_it(database: str) -> None:
    engine = create_engine(database, pool_size=2, max_overflow=0)
    try:
        await _lose_every_connection_and_recover(engine)
    finally:
        await engine.dispose()


async def _lose_every_connection_and_recover(engine: AsyncEngine) -> None:
    await asyncio.gather(issue(engine, "before"), issue(engine, "also before"))
    admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
            engine.url.database,
        )
    finally:
        await admin.close()

    failures = []
    for attempt in range(3):  # each pooled connection fails once, then is replaced
        try:
            await issue(engine, f"after {attempt}")
        except Exception as error:
            failures.append(error)
    assert failures and all(is_database_down(error) for error in failures)
    assert (await issue(engine, "later"))["holder"] == "later"
