from shared.app import serve
from user_service.settings import UserSettings

serve("user_service", "user_service.main:create_app", UserSettings())
