"""The consumers each service attaches to the broker, built as its lifespan builds them."""

from booking_service.consumers import BookingConsumer
from checkin_service.consumers import CheckinConsumer
from event_service.consumers import sales_consumer
from event_service.read_cache import EventReadCache
from event_service.settings import EventSettings
from notification_service.consumers import NotificationConsumers
from notification_service.settings import NotificationSettings
from shared.messaging import Broker, Consumer


def service_consumers(service: str, broker: Broker | None = None) -> list[Consumer]:
    """Returns the consumers `service` attaches when it starts (their handlers are never called here)."""
    if service == "event_service":
        return [
            EventReadCache(broker, size=1).consumer(),
            sales_consumer(EventSettings(_env_file=None).queue_prefix),
        ]  # type: ignore[arg-type]
    if service == "booking_service":
        booking = BookingConsumer(sessionmaker=None, payments=None, relay=None)  # type: ignore[arg-type]
        return [booking.consumer("booking_service.events")]
    if service == "checkin_service":
        checkin = CheckinConsumer(sessionmaker=None, signer=None, events=None, relay=None)  # type: ignore[arg-type]
        return [checkin.consumer("checkin_service.events")]
    if service == "notification_service":
        settings = NotificationSettings(_env_file=None)
        return NotificationConsumers(settings=settings, notifier=None, hub=None).consumers()  # type: ignore[arg-type]
    return []
