"""Settings every service shares; each service subclasses `ServiceSettings` (or `MongoServiceSettings`)."""

from typing import ClassVar, Literal
from urllib.parse import urlsplit

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
    # On SIGTERM a replica takes no new connection and has this long to finish the requests in flight
    # (uvicorn's graceful shutdown timeout) before it closes what remains and stops. What stops it must
    # wait longer: the Helm chart's shutdown.drainSeconds sets it, Compose's stop_grace_period and
    # `make run` (honcho kills 5 s after Ctrl-C) agree with it.
    shutdown_drain_seconds: float = Field(default=30.0, gt=0)
    rabbitmq_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    # An OpenTelemetry collector's OTLP/HTTP address (`http://collector:4318`): spans are recorded and
    # exported there. Unset, none is: requests, calls and messages still carry W3C `traceparent`.
    otlp_endpoint: str | None = None
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
    # A consumer's failing message waits the n-th of these before its n-th retry (the last one past the
    # list); a transient error (a store down) climbs them no higher than TRANSIENT_RETRY_MAX_SECONDS, and
    # dead-letters the message once it has lasted TRANSIENT_RETRY_LIMIT_SECONDS.
    retry_delays_seconds: list[float] = Field(default=[1.0, 10.0, 60.0, 300.0], min_length=1)
    transient_retry_max_seconds: float = Field(default=10.0, gt=0)
    transient_retry_limit_seconds: float = Field(default=86400.0, gt=0)

    @field_validator("retry_delays_seconds")
    @classmethod
    def _positive_delays(cls, delays: list[float]) -> list[float]:
        if min(delays) <= 0:
            raise ValueError("RETRY_DELAYS_SECONDS must be positive seconds")
        return delays

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
        if (urlsplit(self.rabbitmq_url).username or "guest") == "guest":
            raise ValueError(
                "ENV=production refuses RabbitMQ's guest user: RABBITMQ_URL must name this service's own"
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


class SqlServiceSettings(ServiceSettings):
    """Settings of a PostgreSQL service; each service names its own default `database_url`."""

    database_url: str
    database_retry_seconds: float = 2.0
    # Connections each process keeps to PostgreSQL, and how many more a burst may open; all of them
    # across every replica must stay under the server's `max_connections`.
    database_pool_size: int = Field(default=20, ge=1)
    database_max_overflow: int = Field(default=10, ge=0)
    # How long a request waits for a free connection before it answers 503 (SQLAlchemy's own default
    # is 30 s, far longer than a client waits).
    database_pool_timeout_seconds: float = Field(default=3.0, gt=0)
    # Statements prepared and kept on each connection. 0 behind a PgBouncer in transaction mode that does
    # not keep prepared statements itself (older than 1.21, or `max_prepared_statements = 0`): each
    # statement is then prepared where it runs, under a name of its own.
    database_statement_cache_size: int = Field(default=100, ge=0)
