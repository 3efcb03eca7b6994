from shared.settings import ServiceSettings


class PaymentSettings(ServiceSettings):
    """Payment service settings, from environment variables of the same name in upper case."""

    # The in-memory store loses every payment on restart: production must name a real server.
    secret_fields = ("mongo_url",)

    mongo_url: str = "memory://"
    mongo_database: str = "payment_db"
    mongo_timeout_seconds: float = 5.0
    port: int = 8004
