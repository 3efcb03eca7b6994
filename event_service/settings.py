from pydantic import Field

from shared.settings import MongoServiceSettings


class EventSettings(MongoServiceSettings):
    """Event service settings, from environment variables of the same name in upper case."""

    port: int = 8000
    mongo_database: str = "event_db"
    # How often the outbox relay looks for unsent messages when no write has woken it.
    outbox_poll_seconds: float = 1.0
    # The durable queue `<prefix>.sales`, shared by every replica, hears which ticket types and vouchers sold.
    queue_prefix: str = "event_service"
    # Events whose public view each replica keeps in memory for `GET /events/{id}`; 0 turns it off.
    read_cache_size: int = Field(default=10_000, ge=0)
