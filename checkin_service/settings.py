from pathlib import Path

from pydantic import Field

from shared.settings import SqlServiceSettings


class CheckinSettings(SqlServiceSettings):
    """Check-in service settings, from environment variables of the same name in upper case."""

    secret_fields = ("ticket_signing_key",)

    port: int = 8005
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/checkin_db"
    # Asked for an event whose booking arrived before any `event.*` snapshot of it.
    event_service_url: str = "http://127.0.0.1:8000"
    event_service_timeout_seconds: float = Field(default=5.0, gt=0)
    # Ed25519 private key in PEM that signs ticket secrets. Required in production; in development
    # it is generated on first start and kept in `ticket_signing_key_file`.
    ticket_signing_key: str | None = None
    ticket_signing_key_file: Path = Path(".data/checkin_service/ticket_key.pem")
    # A ticket admits from this long before its event starts (doors open early) until this long
    # after it ends (a late scan of someone already there is still theirs).
    ticket_valid_before_minutes: int = Field(default=720, ge=0, le=7 * 24 * 60)
    ticket_valid_after_minutes: int = Field(default=360, ge=0, le=7 * 24 * 60)
    # The furthest into the future a scan's `scanned_at` may lie: a scanner's clock running fast.
    scan_clock_skew_seconds: int = Field(default=300, ge=0)
    # The most rows one CSV export of a list's attendees holds.
    export_max_rows: int = Field(default=50_000, ge=1)
    outbox_poll_seconds: float = 1.0
    queue_prefix: str = "checkin_service"
