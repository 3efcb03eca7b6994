from checkin_service.settings import CheckinSettings
from shared.app import serve

serve("checkin_service", "checkin_service.main:create_app", CheckinSettings())
