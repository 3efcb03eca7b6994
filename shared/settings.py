"""Settings every service shares; each service subclasses `ServiceSettings` (or `MongoServiceSettings`)."""

from typing import ClassVar, Literal

from pydantic import Field, field_validator, model_validator
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
    jwks_url: str = "http://127.0.0.1:8003/.well-known/jwks.json"
    jwt_issuer: str = "event-platform-users"
    jwt_audience: str = "event-platform"
    # Browser origins allowed to call the API (CORS): listed exactly, or matching the pattern.
    cors_origins: list[str] = []
    cors_origin_regex: str | None = r"https?://(localhost|127\.0\.0\.1)(:\d+)?"
    # The largest request body (bytes) a service reads; a larger one is answered 413 before it is
    # read whole. The gateway's `client_max_body_size` says the same.
    max_body_size: int = Field(default=64 * 1024, ge=0)

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


MONGO_URL_SCHEMES = ("mongodb://", "mongodb+srv://")


class MongoServiceSettings(ServiceSettings):
    """Settings of a MongoDB service; the default URL is the embedded server that `make run` starts."""

    mongo_url: str = "mongodb://127.0.0.1:27017"
    mongo_database: str
    # How long one database operation may take, server selection included, before the request
    # answers 503: a database host that stops answering must not hold requests for minutes.
    mongo_timeout_seconds: float = 5.0
    mongo_retry_seconds: float = 2.0

    @field_validator("mongo_url")
    @classmethod
    def _a_mongodb_url(cls, url: str) -> str:
        if not url.startswith(MONGO_URL_SCHEMES):
            raise ValueError("MONGO_URL must be a mongodb:// or mongodb+srv:// URL")
        return url
