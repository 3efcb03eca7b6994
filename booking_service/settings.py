from pydantic import Field

from shared.settings import SqlServiceSettings

DEV_CLIENT_SECRET = "booking-service-dev-secret"


class BookingSettings(SqlServiceSettings):
    """Booking service settings, from environment variables of the same name in upper case."""

    secret_fields = ("service_client_secret",)

    port: int = 8002
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/booking_db"
    user_service_url: str = "http://127.0.0.1:8003"
    event_service_url: str = "http://127.0.0.1:8000"
    payment_service_url: str = "http://127.0.0.1:8004"
    # This service's identity at the user service (OAuth2 client credentials).
    service_client_id: str = "booking_service"
    service_client_secret: str = DEV_CLIENT_SECRET
    payment_timeout_seconds: float = 10.0
    # A booking still pending after this long is resolved by asking the payment service.
    pending_timeout_seconds: float = 60.0
    sweep_interval_seconds: float = 15.0
    # Holds past their `expires_at` are released within this long.
    hold_sweep_interval_seconds: float = 1.0
    # Seats freed while people wait are offered to the waiting list within this long.
    offer_sweep_interval_seconds: float = Field(default=1.0, gt=0)
    # How long an offer is held, in place of each event's `offer_hours` (for tests: seconds); unset,
    # the event's own.
    waiting_list_offer_seconds: float | None = Field(default=None, gt=0)
    # The outbox relay is woken after each write that staged a message; polling is the fallback.
    outbox_poll_seconds: float = 1.0
    queue_prefix: str = "booking_service"
    # Buyers of one event queue for its lock each on a connection of their own: a burst of them is
    # served by kept connections, not by overflow ones opened for it and closed after it.
    database_pool_size: int = Field(default=32, ge=1)
    # The pool's DATABASE_POOL_SIZE connections are opened at start-up, a booking's statements ready
    # on each, so that the first burst of buyers after a start does not wait for them.
    database_pool_warm: bool = True
