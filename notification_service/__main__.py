from notification_service.settings import NotificationSettings
from shared.app import serve

serve("notification_service", "notification_service.main:create_app", NotificationSettings())
