"""ticket types, quotas, vouchers and booking items; holds that expire

An event sells kinds of tickets (`ticket_types`), some sharing seats (`quotas`, `quota_members`),
some at a price a promo code changes (`vouchers`). A booking is made of items, one per type. The
event's own row stays its capacity, and learns its time zone and how long a hold lasts; a booking
learns when its hold expires and the event's start and time zone, which its messages tell.

Every event stored so far gets its default type (the event's id, price and counts), and every
booking one item of it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 04:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _event_key() -> sa.Column:
    return sa.Column(
        "event_id",
        sa.String(64),
        sa.ForeignKey("event_inventory.event_id", ondelete="CASCADE"),
        primary_key=True,
    )


# Takes the seats a checked booking asks for, or says why not, in one call. The counts are checked
# twice: first as they stand, without the lock, so that a buyer whose seats are already gone, or
# whose catalogue is out of date, is answered at once instead of queueing for the lock; then under
# the event row's lock (taken first, as every change of the event's seats takes it), where the answer
# is final. The lock is held only while PostgreSQL runs the rest, so the statements after it are few,
# and the quota and voucher ones run only for a booking that has any. A booking checked against
# another version of the catalogue is `stale`. Every write (seats, types, voucher use, booking, items,
# outbox) or none.
TAKE_SEATS = """
CREATE OR REPLACE FUNCTION take_seats(
    p_event text, p_version int, p_total int,
    p_type_ids text[], p_quantities int[], p_names text[], p_unit_prices int[], p_item_vouchers text[],
    p_quota_ids text[], p_quota_asked int[], p_code_key text,
    p_booking uuid, p_user text, p_title text, p_owner text, p_amount int, p_currency text,
    p_method text, p_status text, p_key text, p_expires_at timestamptz, p_code text,
    p_starts_at timestamptz, p_timezone text,
    p_outbox_message_id uuid, p_outbox_type text, p_outbox_envelope jsonb
) RETURNS TABLE (o_outcome text, o_left int, o_quota text, o_created_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
    seats record;
    short record;
BEGIN
    FOR locked IN 0..1 LOOP
        IF locked = 0 THEN
            SELECT e.version, e.on_sale, e.starts_at > now() AS upcoming,
                   greatest(0, e.capacity - e.sold - e.held) AS left_over
              INTO seats FROM event_inventory e WHERE e.event_id = p_event;
        ELSE
            SELECT e.version, e.on_sale, e.starts_at > now() AS upcoming,
                   greatest(0, e.capacity - e.sold - e.held) AS left_over
              INTO seats FROM event_inventory e WHERE e.event_id = p_event FOR UPDATE;
        END IF;
        IF NOT FOUND OR seats.version <> p_version THEN
            RETURN QUERY SELECT 'stale', 0, NULL::text, NULL::timestamptz;
            RETURN;
        END IF;
        IF NOT seats.on_sale THEN
            RETURN QUERY SELECT 'not_on_sale', 0, NULL::text, NULL::timestamptz;
            RETURN;
        END IF;
        IF NOT seats.upcoming THEN
            RETURN QUERY SELECT 'started', 0, NULL::text, NULL::timestamptz;
            RETURN;
        END IF;
        IF seats.left_over < p_total THEN
            RETURN QUERY SELECT 'not_enough_seats', seats.left_over, NULL::text, NULL::timestamptz;
            RETURN;
        END IF;
        IF cardinality(p_quota_ids) > 0 THEN
            SELECT asked.quota_id, q.size - taken.seats AS left_over
              INTO short
              FROM unnest(p_quota_ids, p_quota_asked) AS asked(quota_id, n)
              JOIN quotas q ON q.event_id = p_event AND q.quota_id = asked.quota_id
             CROSS JOIN LATERAL (
                   SELECT coalesce(sum(t.sold + t.held), 0) AS seats
                     FROM quota_members m
                     JOIN ticket_types t
                       ON t.event_id = m.event_id AND t.ticket_type_id = m.ticket_type_id
                    WHERE m.event_id = q.event_id AND m.quota_id = q.quota_id
                   ) AS taken
             WHERE q.size - taken.seats < asked.n
             ORDER BY asked.quota_id
             LIMIT 1;
            IF FOUND THEN
                RETURN QUERY SELECT 'quota', greatest(0, short.left_over)::int, short.quota_id,
                                    NULL::timestamptz;
                RETURN;
            END IF;
        END IF;
        IF p_code_key IS NOT NULL THEN
            IF NOT EXISTS (
                SELECT 1 FROM vouchers v
                 WHERE v.event_id = p_event AND v.code_key = p_code_key AND v.used < v.max_usages
            ) THEN
                RETURN QUERY SELECT 'used_up', 0, NULL::text, NULL::timestamptz;
                RETURN;
            END IF;
        END IF;
    END LOOP;
    UPDATE event_inventory e SET held = e.held + p_total WHERE e.event_id = p_event;
    IF p_code_key IS NOT NULL THEN
        UPDATE vouchers v SET used = v.used + 1 WHERE v.event_id = p_event AND v.code_key = p_code_key;
    END IF;
    -- One statement for the rest: the fewer statements under the lock, the sooner it is passed on.
    WITH types_held AS (
        UPDATE ticket_types t SET held = t.held + i.quantity
          FROM unnest(p_type_ids, p_quantities) AS i(ticket_type_id, quantity)
         WHERE t.event_id = p_event AND t.ticket_type_id = i.ticket_type_id
    ), booked AS (
        INSERT INTO bookings (id, user_id, event_id, event_title, event_owner_id, tickets, amount, currency,
                              payment_method, status, idempotency_key, created_at, updated_at, expires_at,
                              voucher, event_starts_at, event_timezone, refunded_amount)
        VALUES (p_booking, p_user, p_event, p_title, p_owner, p_total, p_amount, p_currency, p_method,
                p_status, p_key, now(), now(), p_expires_at, p_code, p_starts_at, p_timezone, 0)
        RETURNING id
    ), items AS (
        INSERT INTO booking_items (booking_id, ticket_type_id, name, quantity, unit_price, voucher)
        SELECT booked.id, i.*
          FROM booked, unnest(p_type_ids, p_names, p_quantities, p_unit_prices, p_item_vouchers) AS i
    )
    INSERT INTO outbox (message_id, type, envelope)
    SELECT p_outbox_message_id, p_outbox_type, p_outbox_envelope WHERE p_outbox_envelope IS NOT NULL;
    RETURN QUERY SELECT 'taken', seats.left_over - p_total, NULL::text, now();
END
$$
"""


def upgrade() -> None:
    op.add_column(
        "event_inventory", sa.Column("timezone", sa.String(64), server_default="UTC", nullable=False)
    )
    op.add_column(
        "event_inventory", sa.Column("hold_minutes", sa.Integer(), server_default="15", nullable=False)
    )
    op.add_column("bookings", sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("bookings", sa.Column("voucher", sa.String(64), nullable=True))
    op.add_column("bookings", sa.Column("event_starts_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "bookings", sa.Column("event_timezone", sa.String(64), server_default="UTC", nullable=False)
    )
    op.create_index("ix_bookings_expires_at", "bookings", ["expires_at"])
    op.create_table(
        "ticket_types",
        _event_key(),
        sa.Column("ticket_type_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("price", sa.Integer(), nullable=False),
        sa.Column("sales_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sales_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("min_per_booking", sa.Integer(), nullable=False),
        sa.Column("max_per_booking", sa.Integer(), nullable=False),
        sa.Column("hidden", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("sold", sa.Integer(), server_default="0", nullable=False),
        sa.Column("held", sa.Integer(), server_default="0", nullable=False),
        sa.Column("listed", sa.Boolean(), server_default="true", nullable=False),
        sa.CheckConstraint("sold >= 0 AND held >= 0", name="ck_ticket_types_non_negative"),
    )
    op.create_table(
        "quotas",
        _event_key(),
        sa.Column("quota_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("listed", sa.Boolean(), server_default="true", nullable=False),
    )
    op.create_table(
        "quota_members",
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column("quota_id", sa.String(64), primary_key=True),
        sa.Column("ticket_type_id", sa.String(64), primary_key=True),
    )
    op.create_table(
        "vouchers",
        _event_key(),
        sa.Column("code_key", sa.String(64), primary_key=True),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("max_usages", sa.Integer(), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ticket_type_ids", sa.ARRAY(sa.String(64)), nullable=False),
        sa.Column("price_mode", sa.String(16), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("unlocks_hidden", sa.Boolean(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("used", sa.Integer(), server_default="0", nullable=False),
        sa.Column("listed", sa.Boolean(), server_default="true", nullable=False),
        sa.CheckConstraint("used >= 0", name="ck_vouchers_used_non_negative"),
    )
    op.create_table(
        "booking_items",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("booking_id", sa.Uuid(), sa.ForeignKey("bookings.id"), nullable=False),
        sa.Column("ticket_type_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Integer(), nullable=False),
        sa.Column("voucher", sa.String(64), nullable=True),
        sa.UniqueConstraint("booking_id", "ticket_type_id", name="uq_booking_items_type"),
    )
    op.create_index("ix_booking_items_booking_id", "booking_items", ["booking_id"])
    # Each event's default type: the event's id, price and per-booking limit, and its counts.
    op.execute(
        "INSERT INTO ticket_types (event_id, ticket_type_id, name, price, min_per_booking, max_per_booking,"
        " sold, held) SELECT event_id, event_id, 'Admission', price, 1, max_tickets_per_booking, sold, held"
        " FROM event_inventory"
    )
    # Every booking is one item of its event's default type, at the price it was charged.
    op.execute(
        "INSERT INTO booking_items (booking_id, ticket_type_id, name, quantity, unit_price)"
        " SELECT id, event_id, 'Admission', tickets, amount / tickets FROM bookings"
    )
    op.execute(
        "UPDATE bookings SET event_starts_at = event_inventory.starts_at"
        " FROM event_inventory WHERE event_inventory.event_id = bookings.event_id"
    )
    op.execute(TAKE_SEATS)


def downgrade() -> None:
    op.execute("DROP FUNCTION take_seats")
    op.drop_table("booking_items")
    op.drop_table("vouchers")
    op.drop_table("quota_members")
    op.drop_table("quotas")
    op.drop_table("ticket_types")
    op.drop_index("ix_bookings_expires_at", "bookings")
    for column in ("event_timezone", "event_starts_at", "voucher", "expires_at"):
        op.drop_column("bookings", column)
    op.drop_column("event_inventory", "hold_minutes")
    op.drop_column("event_inventory", "timezone")
