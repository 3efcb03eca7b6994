"""Settings every service shares: MongoDB named by a mongodb:// URL, RabbitMQ by the service's own user."""

import pytest
from pydantic import ValidationError

from event_service.settings import EventSettings
from notification_service.settings import NotificationSettings
from payment_service.settings import PaymentSettings
from shared.settings import MongoServiceSettings

MONGO_SERVICES = (EventSettings, NotificationSettings, PaymentSettings)


@pytest.mark.parametrize("settings_class", MONGO_SERVICES)
@pytest.mark.parametrize("env", ["development", "production"])
@pytest.mark.parametrize("url", ["memory://", "postgresql://127.0.0.1/events", "127.0.0.1:27017"])
def test_a_url_that_is_not_mongodb_is_refused_naming_the_setting(
    settings_class: type[MongoServiceSettings], env: str, url: str
) -> None:
    with pytest.raises(ValidationError, match="MONGO_URL must be a mongodb:// or mongodb\\+srv:// URL"):
        settings_class(_env_file=None, env=env, mongo_url=url)


@pytest.mark.parametrize("settings_class", MONGO_SERVICES)
@pytest.mark.parametrize("url", ["mongodb://mongo:27017", "mongodb+srv://cluster.example.com/?w=majority"])
def test_production_starts_on_a_mongodb_url(settings_class: type[MongoServiceSettings], url: str) -> None:
    broker = "amqp://event_service:secret@rabbitmq:5672/"
    settings = settings_class(_env_file=None, env="production", mongo_url=url, rabbitmq_url=broker)
    assert settings.mongo_url == url


@pytest.mark.parametrize("settings_class", MONGO_SERVICES)
@pytest.mark.parametrize(
    "broker", ["amqp://guest:guest@rabbitmq:5672/", "amqp://rabbitmq:5672/", "amqp://guest:s3cret@rabbitmq/"]
)
def test_production_refuses_rabbitmqs_guest_user(
    settings_class: type[MongoServiceSettings], broker: str
) -> None:
    with pytest.raises(ValidationError, match="guest"):
        settings_class(_env_file=None, env="production", rabbitmq_url=broker)
