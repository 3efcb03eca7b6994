from pydantic import model_validator

from shared.mongo import MEMORY_URL_SCHEME
from shared.settings import ServiceSettings


class NotificationSettings(ServiceSettings):
    """Notification service settings, from environment variables of the same name in upper case."""

    port: int = 8001
    # `memory://` is an in-process store for development and tests; anything else is a MongoDB URL.
    mongo_url: str = MEMORY_URL_SCHEME
    mongo_database: str = "notification_db"
    mongo_timeout_seconds: float = 5.0
    mongo_retry_seconds: float = 2.0
    # Durable store queues are `<prefix>.events`, `.bookings`, `.payments` and `.users`, shared by
    # every replica; each replica also declares its own `<prefix>.live.<replica>`.
    queue_prefix: str = "notification_service"
    consumer_prefetch: int = 32
    consumer_max_attempts: int = 5
    # How many frames a WebSocket may fall behind before it is closed (1013) to catch up by `since`.
    ws_queue_size: int = 256
    ws_close_timeout_seconds: float = 5.0
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

    @model_validator(mode="after")
    def _refuse_memory_store_in_production(self) -> "NotificationSettings":
        # Replicas could not share an in-process store, and it forgets everything on restart.
        if self.env == "production" and self.mongo_url.startswith(MEMORY_URL_SCHEME):
            raise ValueError("ENV=production needs a real MongoDB: set MONGO_URL to a mongodb:// URL")
        return self
