from pydantic import Field

from shared.settings import MongoServiceSettings

# The most recipients one stored notification document holds. With user ids of up to 100 characters,
# the recipients and the readers of a full part take about 2.3 MB: well within MongoDB's 16 MB.
MAX_PART_SIZE = 10_000


class NotificationSettings(MongoServiceSettings):
    """Notification service settings, from environment variables of the same name in upper case."""

    port: int = 8001
    mongo_database: str = "notification_db"
    # Durable store queues are `<prefix>.events`, `.bookings`, `.payments` and `.users`, shared by
    # every replica; each replica also declares its own `<prefix>.live.<replica>`.
    queue_prefix: str = "notification_service"
    consumer_prefetch: int = 32
    consumer_max_attempts: int = 5
    # How many recipients of one notification share a stored document (and a live message): an
    # event's million attendees are told in a thousand parts of a thousand.
    part_size: int = Field(default=1000, ge=1, le=MAX_PART_SIZE)
    # How many frames a WebSocket may fall behind before it is closed (1013) to catch up by `since`.
    ws_queue_size: int = 256
    ws_close_timeout_seconds: float = 5.0
    # At most this many open WebSockets per user on each replica; the next one is closed with 4429.
    ws_sockets_per_user: int = Field(default=10, ge=1)
    # The largest message a client may send (it has nothing to say); a bigger one closes with 1009.
    ws_max_inbound_bytes: int = Field(default=4096, ge=1)
    # The most notifications `since` replays; past it the socket sends a `replay_truncated` frame instead.
    ws_replay_limit: int = Field(default=1000, ge=1)
    # Email is sent only when SMTP_HOST is set.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_use_tls: bool = False  # implicit TLS (port 465); otherwise STARTTLS whenever the server offers it
    smtp_timeout_seconds: float = 10.0
    email_sender: str = "Event Platform <notifications@example.com>"
    email_max_attempts: int = 8
    email_retry_seconds: float = 30.0  # doubles with every failed attempt, up to an hour
    email_poll_seconds: float = 5.0
