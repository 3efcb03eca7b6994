import socket

from pydantic import Field, PositiveFloat, model_validator

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
    # Names this replica's live queue `<prefix>.live.<pod name>.<random>`: the pod's name on Kubernetes
    # (POD_NAME, from the downward API), else the host's.
    pod_name: str = Field(default_factory=socket.gethostname, min_length=1, max_length=200)
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
    # A `since` replay also sends what was stored with an id up to this long before `since` (clients
    # drop the ids they have): ids follow the clock of the replica that stores, taken before its write,
    # so another replica may store and announce one after a newer id was delivered. It covers a write
    # and its announcement (MONGO_TIMEOUT_SECONDS, plus a publish), the replicas' clock skew, and a part
    # that a replica stored and died before announcing, announced under its id by the replica the
    # message goes to next: 31 and 35 s late in two chaos runs with a replica killed mid-outage.
    ws_replay_window_seconds: float = Field(default=60.0, ge=0)
    # On SIGTERM the replica closes its WebSockets one by one at random moments within this many
    # seconds (so their clients do not all reconnect at once), then stops. It must end before
    # SHUTDOWN_DRAIN_SECONDS, which the deployment waits for; by default it takes half of it.
    ws_drain_seconds: float | None = Field(default=None, gt=0)
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
    # Webhooks (docs/webhooks.md). A failed delivery waits the n-th of these before its next attempt
    # (the last one again and again) until WEBHOOK_RETRY_WINDOW_SECONDS have passed since its first.
    webhook_retry_delays_seconds: list[PositiveFloat] = Field(
        default=[5, 30, 120, 600, 1800, 3600, 10800, 21600, 43200, 86400], min_length=1
    )
    webhook_retry_window_seconds: float = Field(default=3 * 86400, gt=0)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)  # only a 2xx within it counts
    # Only https URLs of public addresses; always so with ENV=production.
    webhook_require_public_urls: bool = False
    webhooks_per_owner: int = Field(default=20, ge=1)
    # Deliveries in flight per replica: many, so slow endpoints at their share cannot easily fill them
    # (see `webhook_worker`).
    webhook_concurrency: int = Field(default=64, ge=1)
    webhook_endpoint_concurrency: int = Field(default=4, ge=1)  # of them, at most this many to one endpoint
    webhook_poll_seconds: float = Field(default=1.0, gt=0)
    webhook_secret_overlap_seconds: float = Field(default=86400, ge=0)  # a rotated-out secret still signs
    webhook_delivery_retention_days: int = Field(default=30, ge=1)
    webhook_tests_per_day: int = Field(default=100, ge=1)  # `POST /webhooks/{id}/test`, per endpoint

    @model_validator(mode="after")
    def _drain_within_shutdown(self) -> "NotificationSettings":
        if self.ws_drain_seconds is not None and self.ws_drain_seconds >= self.shutdown_drain_seconds:
            raise ValueError(
                f"WS_DRAIN_SECONDS ({self.ws_drain_seconds:g}) must be below SHUTDOWN_DRAIN_SECONDS "
                f"({self.shutdown_drain_seconds:g}): the sockets are closed before the server stops"
            )
        return self

    @property
    def drain_seconds(self) -> float:
        """How long the WebSockets take to close on SIGTERM."""
        return self.ws_drain_seconds if self.ws_drain_seconds is not None else self.shutdown_drain_seconds / 2

    @property
    def webhook_public_urls_only(self) -> bool:
        return self.env == "production" or self.webhook_require_public_urls
