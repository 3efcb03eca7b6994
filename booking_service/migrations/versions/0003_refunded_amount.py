"""bookings record what was refunded; failures that charged nothing release their Idempotency-Key

A refund made at the payment service (an admin's) reaches its booking as `payment.refunded`: a
partial one is recorded in `refunded_amount`. A booking that failed with no payment behind it (the
payment service unreachable or refusing) no longer holds its key, so a retry books afresh instead
of being answered as a decline.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("bookings", sa.Column("refunded_amount", sa.Integer(), server_default="0", nullable=False))
    op.execute("UPDATE bookings SET refunded_amount = amount WHERE status = 'cancelled'")
    op.execute(
        "UPDATE bookings SET idempotency_key = NULL "
        "WHERE status = 'failed' AND payment_id IS NULL AND idempotency_key IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_column("bookings", "refunded_amount")
