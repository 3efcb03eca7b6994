from booking_service.settings import BookingSettings
from shared.app import serve

serve("booking_service", "booking_service.main:create_app", BookingSettings())
