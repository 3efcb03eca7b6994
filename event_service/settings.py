from shared.settings import MongoServiceSettings


class EventSettings(MongoServiceSettings):
    """Event service settings, from environment variables of the same name in upper case."""

    port: int = 8000
    mongo_database: str = "event_db"
    # How often the outbox relay looks for unsent messages when no write has woken it.
    outbox_poll_seconds: float = 1.0
