"""bookings released at the pending timeout get a status of their own

Until now such a booking was `failed` with the reason "the payment was not confirmed in time", and
the sweeper looked for that text; it is now the status `released`.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 23:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RELEASED_REASON = "the payment was not confirmed in time"


def upgrade() -> None:
    op.execute(
        "UPDATE bookings SET status = 'released' "
        f"WHERE status = 'failed' AND failure_reason = '{RELEASED_REASON}'"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE bookings SET status = 'failed' "
        f"WHERE status = 'released' AND failure_reason = '{RELEASED_REASON}'"
    )
