"""the waiting list: entries, the seats owed to them, offers; attendee names on bookings

People queue for a sold-out ticket type (`waiting_list_entries`); each type counts the seats its
waiting entries ask for (`ticket_types.waiting`). Seats that free up while people wait are owed to
them (`owed_seats`), and `take_seats` no longer sells those to the public. An offer is a hold in the
entry's user's name (`bookings.waiting_list_entry_id`), held for the event's `offer_hours`. A booking
keeps the attendee names its booker gave.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 09:00:00.000000
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATES = ("waiting", "offered", "booked", "expired", "withdrawn")

# For each ticket type whose entries wait, the seats free now that they could take: the smallest of
# what they ask together, the event's seats left, and each of the type's quotas' seats left. Only a
# type on sale is owed seats: an entry of a type not on sale gets no offer, so holds nothing back.
OWED_SEATS = """
CREATE FUNCTION owed_seats(p_event text) RETURNS TABLE (o_ticket_type_id text, o_owed int)
LANGUAGE sql STABLE AS $$
    WITH quota_left AS (
        SELECT q.quota_id, q.size - coalesce(sum(t.sold + t.held), 0) AS left_over
          FROM quotas q
          LEFT JOIN quota_members m ON m.event_id = q.event_id AND m.quota_id = q.quota_id
          LEFT JOIN ticket_types t ON t.event_id = m.event_id AND t.ticket_type_id = m.ticket_type_id
         WHERE q.event_id = p_event AND q.listed
         GROUP BY q.quota_id, q.size
    )
    SELECT t.ticket_type_id,
           greatest(0, least(
               t.waiting,
               e.capacity - e.sold - e.held,
               (SELECT min(l.left_over) FROM quota_members m JOIN quota_left l ON l.quota_id = m.quota_id
                 WHERE m.event_id = p_event AND m.ticket_type_id = t.ticket_type_id)
           ))::int
      FROM ticket_types t
      JOIN event_inventory e ON e.event_id = t.event_id
     WHERE t.event_id = p_event AND t.waiting > 0 AND t.listed
       AND (t.sales_start IS NULL OR t.sales_start <= now())
       AND (t.sales_end IS NULL OR t.sales_end > now())
$$
"""

# As in 0004, with two changes: the seats owed to the waiting list are not sold to the public (they
# are taken out of the event's seats left and of each quota's), and the booking keeps its attendee
# names. Owed seats are only counted for an event whose entries wait, so other bookings pay one
# index lookup for them.
TAKE_SEATS = """
CREATE FUNCTION take_seats(
    p_event text, p_version int, p_total int,
    p_type_ids text[], p_quantities int[], p_names text[], p_unit_prices int[], p_item_vouchers text[],
    p_quota_ids text[], p_quota_asked int[], p_code_key text,
    p_booking uuid, p_user text, p_title text, p_owner text, p_amount int, p_currency text,
    p_method text, p_status text, p_key text, p_expires_at timestamptz, p_code text,
    p_starts_at timestamptz, p_timezone text, p_attendee_names text[],
    p_outbox_message_id uuid, p_outbox_type text, p_outbox_envelope jsonb
) RETURNS TABLE (o_outcome text, o_left int, o_quota text, o_created_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
    seats record;
    short record;
    has_waiting boolean;
    owed_total int;
    public_left int;
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
        has_waiting := EXISTS (SELECT 1 FROM ticket_types t WHERE t.event_id = p_event AND t.waiting > 0);
        owed_total := 0;
        IF has_waiting THEN
            SELECT coalesce(sum(o.o_owed), 0) INTO owed_total FROM owed_seats(p_event) o;
        END IF;
        public_left := greatest(0, seats.left_over - owed_total);
        IF public_left < p_total THEN
            RETURN QUERY SELECT 'not_enough_seats', public_left, NULL::text, NULL::timestamptz;
            RETURN;
        END IF;
        IF cardinality(p_quota_ids) > 0 THEN
            SELECT asked.quota_id, q.size - taken.seats - owed.seats AS left_over
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
             CROSS JOIN LATERAL (
                   SELECT CASE WHEN has_waiting THEN (
                       SELECT coalesce(sum(o.o_owed), 0)
                         FROM owed_seats(p_event) o
                         JOIN quota_members m
                           ON m.event_id = q.event_id AND m.quota_id = q.quota_id
                          AND m.ticket_type_id = o.o_ticket_type_id
                   ) ELSE 0 END AS seats
                   ) AS owed
             WHERE q.size - taken.seats - owed.seats < asked.n
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
                              voucher, event_starts_at, event_timezone, refunded_amount, attendee_names)
        VALUES (p_booking, p_user, p_event, p_title, p_owner, p_total, p_amount, p_currency, p_method,
                p_status, p_key, now(), now(), p_expires_at, p_code, p_starts_at, p_timezone, 0,
                p_attendee_names)
        RETURNING id
    ), items AS (
        INSERT INTO booking_items (booking_id, ticket_type_id, name, quantity, unit_price, voucher)
        SELECT booked.id, i.*
          FROM booked, unnest(p_type_ids, p_names, p_quantities, p_unit_prices, p_item_vouchers) AS i
    )
    INSERT INTO outbox (message_id, type, envelope)
    SELECT p_outbox_message_id, p_outbox_type, p_outbox_envelope WHERE p_outbox_envelope IS NOT NULL;
    RETURN QUERY SELECT 'taken', public_left - p_total, NULL::text, now();
END
$$
"""

_OLD_TAKE_SEATS = (
    "DROP FUNCTION take_seats(text, int, int, text[], int[], text[], int[], text[], text[], int[], text,"
    " uuid, text, text, text, int, text, text, text, text, timestamptz, text, timestamptz, text,"
    " uuid, text, jsonb)"
)
_NEW_TAKE_SEATS = (
    "DROP FUNCTION take_seats(text, int, int, text[], int[], text[], int[], text[], text[], int[], text,"
    " uuid, text, text, text, int, text, text, text, text, timestamptz, text, timestamptz, text, text[],"
    " uuid, text, jsonb)"
)


def upgrade() -> None:
    op.add_column(
        "event_inventory", sa.Column("offer_hours", sa.Integer(), server_default="24", nullable=False)
    )
    op.add_column("ticket_types", sa.Column("waiting", sa.Integer(), server_default="0", nullable=False))
    op.create_check_constraint("ck_ticket_types_waiting_non_negative", "ticket_types", "waiting >= 0")
    # Only types whose entries wait are looked for, by the offering worker and by `take_seats`.
    op.create_index(
        "ix_ticket_types_waiting", "ticket_types", ["event_id"], postgresql_where=sa.text("waiting > 0")
    )
    op.add_column(
        "bookings",
        sa.Column("attendee_names", sa.ARRAY(sa.String(100)), server_default="{}", nullable=False),
    )
    op.add_column("bookings", sa.Column("waiting_list_entry_id", sa.Uuid(), nullable=True))
    op.create_table(
        "waiting_list_entries",
        sa.Column("id", sa.Uuid(), primary_key=True),
        # The order of joining, across the event: the first entry that fits is offered first.
        sa.Column("seq", sa.BigInteger(), sa.Identity(), nullable=False, unique=True),
        sa.Column(
            "event_id",
            sa.String(64),
            sa.ForeignKey("event_inventory.event_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("ticket_type_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("accept_partial", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("booking_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(f"state IN {STATES!r}", name="ck_waiting_list_entries_state"),
        sa.CheckConstraint("quantity > 0", name="ck_waiting_list_entries_quantity"),
    )
    # One active entry per user and type.
    op.create_index(
        "uq_waiting_list_entries_active",
        "waiting_list_entries",
        ["user_id", "event_id", "ticket_type_id"],
        unique=True,
        postgresql_where=sa.text("state IN ('waiting', 'offered')"),
    )
    op.create_index(
        "ix_waiting_list_entries_queue",
        "waiting_list_entries",
        ["event_id", "ticket_type_id", "seq"],
        postgresql_where=sa.text("state = 'waiting'"),
    )
    op.create_index("ix_waiting_list_entries_user", "waiting_list_entries", ["user_id", "created_at"])
    op.execute(OWED_SEATS)
    op.execute(_OLD_TAKE_SEATS)
    op.execute(TAKE_SEATS)


def _take_seats_of_0004() -> str:
    path = next(Path(__file__).parent.glob("0004_*.py"))
    spec = importlib.util.spec_from_file_location("booking_migration_0004", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.TAKE_SEATS


def downgrade() -> None:
    op.execute(_NEW_TAKE_SEATS)
    op.execute(_take_seats_of_0004())
    op.execute("DROP FUNCTION owed_seats(text)")
    op.drop_table("waiting_list_entries")
    op.drop_column("bookings", "waiting_list_entry_id")
    op.drop_column("bookings", "attendee_names")
    op.drop_index("ix_ticket_types_waiting", "ticket_types")
    op.drop_constraint("ck_ticket_types_waiting_non_negative", "ticket_types")
    op.drop_column("ticket_types", "waiting")
    op.drop_column("event_inventory", "offer_hours")
