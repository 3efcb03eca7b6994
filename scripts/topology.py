"""The consumers each service attaches to the broker, built from its settings as its lifespan builds them.

Their handlers are never called here: what they give is each queue, its arguments and its bindings,
for the migration to quorum queues (scripts/migrate_queues.py) and the tests that hold the broker's
definitions and the operators' topology to the code.
"""

from booking_service.consumers import BookingConsumer
from booking_service.settings import BookingSettings
from checkin_service.consumers import CheckinConsumer
from checkin_service.settings import CheckinSettings
from event_service.consumers import sales_consumer
from event_service.read_cache import EventReadCache
from event_service.settings import EventSettings
from notification_service.consumers import TRANSIENT_ERRORS, NotificationConsumers
from notification_service.settings import NotificationSettings
from notification_service.webhook_consumers import WebhookConsumers
from shared.messaging import Broker, Consumer, RetryPolicy
from shared.settings import ServiceSettings

# The services that consume, each with its settings.
CONSUMING_SERVICES: dict[str, type[ServiceSettings]] = {
    "event_service": EventSettings,
    "booking_service": BookingSettings,
    "notification_service": NotificationSettings,
    "checkin_service": CheckinSettings,
}


def service_consumers(
    service: str, settings: ServiceSettings | None = None, broker: Broker | None = None
) -> list[Consumer]:
    """Returns the consumers `service` attaches when it starts, with its settings' queue names and retry
    delays (the defaults, unless `settings` are given); none for a service that only publishes."""
    if service not in CONSUMING_SERVICES:
        return []
    settings = settings or CONSUMING_SERVICES[service](_env_file=None)
    prefix: str = settings.queue_prefix  # type: ignore[attr-defined]
    if isinstance(settings, EventSettings):
        consumers = [EventReadCache(broker, size=1).consumer(), sales_consumer(prefix)]  # type: ignore[arg-type]
    elif isinstance(settings, BookingSettings):
        booking = BookingConsumer(sessionmaker=None, payments=None, relay=None)  # type: ignore[arg-type]
        consumers = [booking.consumer(f"{prefix}.events")]
    elif isinstance(settings, CheckinSettings):
        checkin = CheckinConsumer(sessionmaker=None, signer=None, events=None, relay=None)  # type: ignore[arg-type]
        consumers = [checkin.consumer(f"{prefix}.events")]
    else:
        assert isinstance(settings, NotificationSettings)
        notifications = NotificationConsumers(settings=settings, notifier=None, hub=None)  # type: ignore[arg-type]
        webhooks = WebhookConsumers(settings=settings, fanout=None)  # type: ignore[arg-type]
        consumers = [*notifications.consumers(), *webhooks.consumers(TRANSIENT_ERRORS)]
    for consumer in consumers:
        consumer.retry = RetryPolicy.from_settings(settings)
    return consumers
