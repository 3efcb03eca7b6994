"""Settings every service shares; each service subclasses `ServiceSettings` (or `MongoServiceSettings`)."""

from typing import ClassVar, Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Read from environment variables (and `.env`); the defaults work on a development machine."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # Names of fields whose development default must never reach production.
    secret_fields: ClassVar[tuple[str, ...]] = ()

    env: Literal["development", "test", "production"] = "development"
    log_level: str = "INFO"
    host: str = "127.0.0.1"
    port: int
    # Proxies whose X-Forwarded-For is trusted for the client IP (the gateway, in Docker Compose).
    forwarded_allow_ips: str = "127.0.0.1"
    rabbitmq_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    event_exchange: str = "events"
    broker_retry_seconds: float = 2.0
    redis_url: str | None = None
    jwks_url: str = "http://127.0.0.1:8003/.well-known/jwks.json"
    jwt_issuer: str = "event-platform-users"
    jwt_audience: str = "event-platform"
    # Browser origins allowed to call the API (CORS): listed exactly, or matching the pattern.
    cors_origins: list[str] = []
    cors_origin_regex: str | None = r"https?://(localhost|127\.0\.0\.1)(:\d+)?"

    @model_validator(mode="after")
    def _refuse_default_secrets_in_production(self) -> "ServiceSettings":
        if self.env != "production":
            return self
        defaults = [
            name.upper()
            for name in self.secret_fields
            if getattr(self, name) in (None, "", type(self).model_fields[name].default)
        ]
        if defaults:
            raise ValueError(
                f"ENV=production refuses to start with a default or empty secret: {', '.join(defaults)}"
            )
        return self


MEMORY_URL_SCHEME = "memory://"


class MongoServiceSettings(ServiceSettings):
    """Settings of a MongoDB service. `memory://` is an in-process store for development and tests."""

    mongo_url: str = MEMORY_URL_SCHEME
    mongo_database: str
    mongo_timeout_seconds: float = 5.0
    mongo_retry_seconds: float = 2.0

    @model_validator(mode="after")
    def _refuse_memory_store_in_production(self) -> "MongoServiceSettings":
        # Replicas cannot share an in-process store, and it forgets everything on restart.
        if self.env == "production" and self.mongo_url.startswith(MEMORY_URL_SCHEME):
            raise ValueError("ENV=production needs a real MongoDB: set MONGO_URL to a mongodb:// URL")
        return self
