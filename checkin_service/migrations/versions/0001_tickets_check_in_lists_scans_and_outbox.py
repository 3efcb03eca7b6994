"""tickets, check-in lists, scans and outbox

Revision ID: 0001
Revises:
Create Date: 2026-12-01 08:31:14.539790
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(sa.schema.CreateSequence(sa.Sequence("revocation_seq")))
    op.create_table(
        "admissions",
        sa.Column("checkin_list_id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("ticket_type_id", sa.String(length=64), nullable=False),
        sa.Column("first_entry_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("inside", sa.Boolean(), nullable=False),
        sa.Column("double_entry", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("checkin_list_id", "ticket_id"),
    )
    op.create_table(
        "cancelled_bookings",
        sa.Column("booking_id", sa.String(length=64), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("booking_id"),
    )
    op.create_table(
        "checkin_lists",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("ticket_type_ids", sa.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("allow_multiple_entries", sa.Boolean(), nullable=False),
        sa.Column("allow_reentry", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_checkin_lists_event_id"), "checkin_lists", ["event_id"], unique=False)
    op.create_table(
        "door_staff",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("granted_by", sa.String(length=64), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "user_id"),
    )
    op.create_table(
        "events",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("owner_id", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("ticket_types", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_table(
        "outbox",
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("message_id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(length=100), nullable=False),
        sa.Column("envelope", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("message_id"),
    )
    op.create_index(
        "ix_outbox_unsent", "outbox", ["seq"], unique=False, postgresql_where=sa.text("sent_at IS NULL")
    )
    op.create_table(
        "scans",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("checkin_list_id", sa.Uuid(), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=True),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("result", sa.String(length=32), nullable=False),
        sa.Column("scanned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("offline", sa.Boolean(), nullable=False),
        sa.Column("double_entry", sa.Boolean(), nullable=False),
        sa.Column("first_entry_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("checkin_list_id", "nonce", name="uq_scans_list_nonce"),
    )
    op.create_index(op.f("ix_scans_checkin_list_id"), "scans", ["checkin_list_id"], unique=False)
    op.create_index(op.f("ix_scans_ticket_id"), "scans", ["ticket_id"], unique=False)
    op.create_table(
        "tickets",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("booking_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("ticket_type_id", sa.String(length=64), nullable=False),
        sa.Column("attendee_name", sa.String(length=200), nullable=False),
        sa.Column("secret", sa.String(length=400), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.String(length=32), nullable=True),
        sa.Column("revocation_seq", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("booking_id", "position", name="uq_tickets_booking_position"),
    )
    op.create_index(op.f("ix_tickets_booking_id"), "tickets", ["booking_id"], unique=False)
    op.create_index("ix_tickets_event_revocation", "tickets", ["event_id", "revocation_seq"], unique=False)
    op.create_table(
        "user_names",
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )


def downgrade() -> None:
    op.drop_table("user_names")
    op.drop_index("ix_tickets_event_revocation", table_name="tickets")
    op.drop_index(op.f("ix_tickets_booking_id"), table_name="tickets")
    op.drop_table("tickets")
    op.drop_index(op.f("ix_scans_ticket_id"), table_name="scans")
    op.drop_index(op.f("ix_scans_checkin_list_id"), table_name="scans")
    op.drop_table("scans")
    op.drop_index("ix_outbox_unsent", table_name="outbox", postgresql_where=sa.text("sent_at IS NULL"))
    op.drop_table("outbox")
    op.drop_table("events")
    op.drop_table("door_staff")
    op.drop_index(op.f("ix_checkin_lists_event_id"), table_name="checkin_lists")
    op.drop_table("checkin_lists")
    op.drop_table("cancelled_bookings")
    op.drop_table("admissions")
    op.execute(sa.schema.DropSequence(sa.Sequence("revocation_seq")))
