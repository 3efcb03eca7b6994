"""plans of the sales path: bookings indexed by status only where a sweep looks; take_seats planned once

An index of every booking's status let PostgreSQL, before it had statistics of a new table, settle a
booking by walking every booking of its status instead of taking it by id: on every sale, a walk
growing with the sales. The sweeps each get an index of their own rows instead (pending, released,
held to expire), which a statement naming a booking by id has no reason to take.

`take_seats` runs a few small statements by key. PostgreSQL planned some of them afresh on every call
(their arrays made a generic plan look worse than it is): half the function's time on a checkout of
three types sharing a quota. Each connection now plans them once.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 18:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_bookings_status", table_name="bookings")
    op.execute(
        "CREATE INDEX ix_bookings_unsettled ON bookings (status, updated_at) "
        "WHERE status IN ('pending', 'released')"
    )
    op.execute("CREATE INDEX ix_bookings_hold_expiry ON bookings (expires_at) WHERE status = 'held'")
    op.execute("ALTER FUNCTION take_seats SET plan_cache_mode = force_generic_plan")


def downgrade() -> None:
    op.execute("ALTER FUNCTION take_seats RESET plan_cache_mode")
    op.drop_index("ix_bookings_hold_expiry", table_name="bookings")
    op.drop_index("ix_bookings_unsettled", table_name="bookings")
    op.create_index("ix_bookings_status", "bookings", ["status"])
