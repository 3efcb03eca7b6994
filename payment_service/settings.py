from shared.settings import MongoServiceSettings


class PaymentSettings(MongoServiceSettings):
    """Payment service settings, from environment variables of the same name in upper case."""

    mongo_database: str = "payment_db"
    port: int = 8004
