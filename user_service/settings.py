from pathlib import Path

from limits import parse
from pydantic import Field, field_validator

from shared.settings import SqlServiceSettings

DEV_ADMIN_PASSWORD = "admin-dev-password"
DEV_SERVICE_CLIENTS = {"booking_service": "booking-service-dev-secret"}


class UserSettings(SqlServiceSettings):
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
    # Login attempts per client IP.
    login_rate_limit: str = "5/minute"
    # Failed logins per account, whatever address they claim to come from; a success forgets them. The
    # window is short, so that an attacker can hold a real user out for minutes at most.
    login_failure_limit: str = "10/5 minutes"
    # Registrations per client IP.
    register_rate_limit: str = "10/minute"
    # Argon2 hashes (64 MiB each) that registrations run at once, and registrations that may wait for
    # one; beyond both a registration answers 503 with Retry-After, so logins keep the CPU they need.
    register_hash_concurrency: int = Field(default=2, ge=1)
    register_queue_size: int = Field(default=32, ge=0)
    # Where the limits are counted, so every replica shares the counts; in memory when unset.
    redis_url: str | None = None
    # The most one limit check waits for Redis; past it the request answers 503.
    redis_timeout_seconds: float = Field(default=2.0, gt=0)
    rate_limit_key_prefix: str = "users"
    port: int = 8003

    @field_validator("login_rate_limit", "login_failure_limit", "register_rate_limit")
    @classmethod
    def _a_rate_limit(cls, limit: str) -> str:
        try:
            parse(limit)
        except ValueError as exc:
            raise ValueError(f"{limit!r} is not a rate limit such as '5/minute' or '10/5 minutes'") from exc
        return limit
