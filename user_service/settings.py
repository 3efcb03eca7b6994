from pathlib import Path

from shared.settings import ServiceSettings

DEV_ADMIN_PASSWORD = "admin-dev-password"
DEV_SERVICE_CLIENTS = {"booking_service": "booking-service-dev-secret"}


class UserSettings(ServiceSettings):
    """User service settings, from environment variables of the same name in upper case."""

    secret_fields = ("admin_password", "signing_key", "service_clients")

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/users_db"
    admin_username: str = "admin"
    admin_email: str = "admin@example.com"
    admin_password: str = DEV_ADMIN_PASSWORD
    # Ed25519 private key in PEM. Required in production; in development it is generated
    # on first start and kept in `signing_key_file`.
    signing_key: str | None = None
    signing_key_file: Path = Path(".data/user_service/signing_key.pem")
    access_token_ttl_seconds: int = 900
    # OAuth2 client-credentials clients (service identities) as JSON: {"client_id": "secret"}.
    service_clients: dict[str, str] = DEV_SERVICE_CLIENTS
    login_rate_limit: str = "5/minute"
    # Where login attempts are counted, so every replica shares the count; in memory when unset.
    redis_url: str | None = None
    rate_limit_key_prefix: str = "users"
    database_retry_seconds: float = 2.0
    port: int = 8003
