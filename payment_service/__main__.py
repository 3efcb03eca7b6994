from payment_service.settings import PaymentSettings
from shared.app import serve

serve("payment_service", "payment_service.main:create_app", PaymentSettings())
