from pydantic import model_validator

from shared.mongo import MEMORY_URL_SCHEME
from shared.settings import ServiceSettings


class EventSettings(ServiceSettings):
    """Event service settings, from environment variables of the same name in upper case."""

    port: int = 8000
    # `memory://` is an in-process store for development and tests; anything else is a MongoDB URL.
    mongo_url: str = MEMORY_URL_SCHEME
    mongo_database: str = "event_db"
    mongo_timeout_seconds: float = 5.0
    mongo_retry_seconds: float = 2.0
    # How often the outbox relay looks for unsent messages when no write has woken it.
    outbox_poll_seconds: float = 1.0

    @model_validator(mode="after")
    def _refuse_memory_store_in_production(self) -> "EventSettings":
        if self.env == "production" and self.mongo_url.startswith(MEMORY_URL_SCHEME):
            raise ValueError("ENV=production needs a real MongoDB: set MONGO_URL to a mongodb:// URL")
        return self
