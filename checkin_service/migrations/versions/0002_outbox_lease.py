"""outbox lease: one relay publishes at a time under a lease kept in a row

The relays took a PostgreSQL advisory lock of their connection. Behind a PgBouncer in transaction
mode each statement may run on another server connection, where that lock is neither seen nor
released: two replicas could publish at once, out of order, or none ever again. A row is seen by
every connection.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbox_lease",
        sa.Column("id", sa.SmallInteger(), nullable=False),
        sa.Column("holder", sa.Uuid(), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("outbox_lease")
