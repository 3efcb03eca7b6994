from event_service.settings import EventSettings
from shared.app import serve

serve("event_service", "event_service.main:create_app", EventSettings())
